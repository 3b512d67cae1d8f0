"""What the side-by-side benches (bench/op_suite, bench/torch_models) share:
the reference's venv, timing a child process, reading either tool's
verdicts, and printing the rows, ratios and verdict differences."""

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BINARY = REPO / "build" / "iree-suite"
TOOLS = REPO / ".venv" / "bin"
SHARED = REPO.parent / "shared"
OUTCOMES = ["passed", "xfailed", "xpassed", "failed", "skipped", "error"]


def reference_python(venv: Path, packages, probe: str) -> Path:
    """A venv for the reference: the project venv's packages (the pinned IREE
    wheels) plus `packages`, made once; `probe` imports what it needs."""
    python = venv / "bin" / "python"
    ready = python.exists() and subprocess.run([str(python), "-c", probe],
                                               capture_output=True).returncode == 0
    if not ready:
        print(f"making {venv} for the reference")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)

        def site_packages(interpreter):
            return subprocess.run([str(interpreter), "-c", "import site; "
                                   "print(site.getsitepackages()[0])"], check=True,
                                  capture_output=True, text=True).stdout.strip()

        Path(site_packages(python), "project-venv.pth").write_text(site_packages(TOOLS / "python")
                                                                   + "\n")
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        *packages], check=True)
    return python


def reference_env(python: Path, **extra):
    """The reference's environment: its venv and the project venv's pip
    console scripts on PATH, as `pip install` would leave them."""
    return dict(os.environ, PATH=f"{python.parent}:{TOOLS}:{os.environ.get('PATH', '')}", **extra)


@contextlib.contextmanager
def work_directory(keep, prefix):
    """The bench's scratch folder: `keep` when given (and kept), else a
    temporary one removed at the end."""
    work = keep or Path(tempfile.mkdtemp(prefix=prefix))
    work.mkdir(parents=True, exist_ok=True)
    try:
        yield work
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def timed(argv, env=None, cwd=None):
    start = time.monotonic()
    done = subprocess.run([str(a) for a in argv], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, env=env, cwd=cwd)
    return time.monotonic() - start, done


def junit_verdicts(junit: Path, name_of=None):
    """Per test, the reference's verdict from its JUnit file."""
    verdicts = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = name_of(case) if name_of else case.get("name")
        failure = case.find("failure")
        if failure is not None and failure.get("message", "").startswith("[XPASS(strict)]"):
            outcome = "xpassed"  # a strict xfail that passed: fails the run, as ours does
        elif failure is not None:
            outcome = "failed"
        elif case.find("error") is not None:
            outcome = "error"
        elif (skipped := case.find("skipped")) is not None:
            outcome = "xfailed" if skipped.get("type") == "pytest.xfail" else "skipped"
        else:
            outcome = "passed"
        verdicts[name] = outcome
    return verdicts


def results_verdicts(results: Path):
    """Per test, iree-suite's verdict from its results file."""
    return {re.sub(r"::.*$", "", t["id"]): t["outcome"]
            for t in json.loads(results.read_text())["tests"]}


def run_iree_suite(argv, results: Path):
    seconds, done = timed([BINARY, f"--iree-tools-dir={TOOLS}", f"--results-json={results}",
                           *argv])
    if done.returncode not in (0, 1):
        sys.exit(f"iree-suite exited {done.returncode}:\n{done.stderr[-4000:]}")
    return seconds, results_verdicts(results)


def counts(verdicts):
    tally = {outcome: 0 for outcome in OUTCOMES}
    for outcome in verdicts.values():
        tally[outcome] = tally.get(outcome, 0) + 1
    return ", ".join(f"{n} {outcome}" for outcome, n in tally.items() if n)


def print_comparison(rows, ratios, reference_row):
    """The rows (name -> (seconds, verdicts)), each (ours, theirs) ratio, and
    every test whose verdict differs from the reference's."""
    for name, (seconds, verdicts) in rows.items():
        print(f"  {name:24} {seconds:7.1f} s   {counts(verdicts)}")
    for ours, theirs in ratios:
        print(f"  {ours} vs {theirs}: {rows[theirs][0] / rows[ours][0]:.2f}x")
    reference = rows[reference_row][1]
    for name in sorted({ours for ours, _ in ratios}):
        ours = rows[name][1]
        differ = sorted(t for t in set(reference) | set(ours) if reference.get(t) != ours.get(t))
        print(f"  verdicts of {name} vs the reference: "
              f"{'identical' if not differ else str(len(differ)) + ' differ'}")
        for test in differ:
            print(f"    {test}: reference {reference.get(test)}, iree-suite {ours.get(test)}")
