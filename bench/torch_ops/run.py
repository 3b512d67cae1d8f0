#!/usr/bin/env python3
"""torch_ops side by side: the reference conftest (pytest, in a venv this
script makes with the pinned IREE wheels) and iree-suite on the reference
snapshot's tests, with expected arrays computed by numpy
(tests/e2e/torch_ops_numpy.py) and served to both from one loopback server
under the Azure URL paths. Prints each runner's verdict per test, every
disagreement, and both wall times with their ratio. Exits 1 on a disagreement.

    .venv/bin/python bench/torch_ops/run.py [-k EXPR] [--jobs N] [--venv DIR] [--keep DIR]

The reference writes into its suite tree, so it runs on a copy. Its Azure
download helper (pytest_iree.azure) is replaced by a stub that fetches from
the loopback server. Benchmark verdicts depend on the machine's load (and the
reference judges the first repetition, iree-suite the minimum). Skips with a
message when the snapshot is absent.
"""

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "e2e"))
import torch_ops_numpy  # noqa: E402

BINARY = REPO / "build" / "iree-suite"
SERVER = REPO / "tests" / "fetch_server" / "http_server.py"
SNAPSHOT = REPO.parent / "shared" / "reference" / "iree-test-suites" / "torch_ops"
AZURE = "https://sharkpublic.blob.core.windows.net/"

AZURE_STUB = '''
import os, shutil, urllib.request
from pathlib import Path
from urllib.parse import urlparse

class AzureArtifact:
    """Stand-in for pytest_iree.azure: fetches from the bench's loopback server."""
    def __init__(self, artifact_base_dir, url):
        self.url = url
        self.path = Path(artifact_base_dir) / urlparse(url).path.lstrip("/")
    def join(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        mirror = os.environ["TORCH_OPS_MIRROR"] + urlparse(self.url).path
        with urllib.request.urlopen(mirror) as response, open(self.path, "wb") as out:
            shutil.copyfileobj(response, out)
'''


@contextlib.contextmanager
def served(root: Path, log: Path):
    process = subprocess.Popen([sys.executable, str(SERVER), f"--root={root}", f"--log={log}",
                                "--idle-timeout=3600"], stdout=subprocess.PIPE, text=True)
    try:
        yield f"http://127.0.0.1:{int(process.stdout.readline().strip())}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def make_venv(venv: Path):
    if (venv / "bin" / "pytest").exists() and (venv / "bin" / "iree-compile").exists():
        return
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "-r",
                    str(REPO / "requirements-iree.txt"), "numpy", "pytest", "ml_dtypes"],
                   check=True)


def computable_names(suite: Path):
    names = sorted(f"{p.parent.parent.name}/{p.parent.name}"
                   for p in (suite / "generated").rglob("run_module_io.json"))
    compare = [n for n in names
               if json.loads((suite / "generated" / n / "run_module_io.json").read_text())
               .get("mode", "compare") == "compare"]
    return [n for n in compare if n.split("/")[0] in torch_ops_numpy.COMPUTABLE_CLASSES]


def reference_verdicts(junit: Path):
    verdicts = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = case.get("name")
        skipped = case.find("skipped")
        if case.find("failure") is not None or case.find("error") is not None:
            verdicts[name] = "failed"
        elif skipped is not None:
            verdicts[name] = "xfailed" if skipped.get("type") == "pytest.xfail" else "skipped"
        else:
            verdicts[name] = "passed"
    return verdicts


def run_reference(work, venv, config, base, k):
    # The config is the copy's: pytest loads the conftest above any path in
    # its arguments, and the snapshot's would register its options twice.
    suite = work / "reference_suite"
    shutil.copytree(SNAPSHOT, suite)
    stub = work / "stub" / "pytest_iree"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("")
    (stub / "azure.py").write_text(AZURE_STUB)
    env = dict(os.environ, TORCH_OPS_MIRROR=base,
               PATH=f"{venv / 'bin'}:{os.environ['PATH']}", PYTHONPATH=str(work / "stub"))
    junit = work / "reference.xml"
    argv = [str(venv / "bin" / "pytest"), "-q", "-p", "no:cacheprovider", f"--junitxml={junit}",
            f"--artifact-directory={work / 'reference_artifacts'}", "--rootdir", str(suite),
            str(suite), "--config-files", str(suite / config.relative_to(SNAPSHOT))]
    if k:
        argv[1:1] = ["-k", k]
    start = time.monotonic()
    with open(work / "reference.log", "w") as log:
        subprocess.run(argv, cwd=suite, env=env, stdin=subprocess.DEVNULL, stdout=log,
                       stderr=subprocess.STDOUT)
    seconds = time.monotonic() - start
    if not junit.exists():
        sys.exit(f"the reference wrote no JUnit; its output:\n{(work / 'reference.log').read_text()}")
    return reference_verdicts(junit), seconds


def run_ours(work, venv, config, base, k, jobs):
    results = work / "results.json"
    argv = [str(BINARY), f"--test-file-directory={SNAPSHOT}", f"--iree-tools-dir={venv / 'bin'}",
            f"--artifact-directory={work / 'artifacts'}", f"--job-summary-path={work}",
            f"--results-json={results}", f"--url-mirror={AZURE}={base}/", "-q", "-j", str(jobs)]
    if k:
        argv += ["-k", k]
    argv += ["--config-files", str(config)]
    start = time.monotonic()
    subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True)
    seconds = time.monotonic() - start
    verdicts = {}
    for test in json.loads(results.read_text())["tests"]:
        outcome = test["outcome"]
        # pytest counts a strict XPASS and an error in runtest as failures.
        verdicts[test["id"].split("::")[0]] = "failed" if outcome in ("xpassed", "error") else outcome
    return verdicts, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="only tests matching this -k expression")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="iree-suite -j")
    parser.add_argument("--venv", type=Path, default=REPO / "bench" / "torch_ops" / ".venv",
                        help="the reference's venv (made when missing)")
    parser.add_argument("--keep", type=Path, help="keep artifacts and reports here")
    args = parser.parse_args()
    if not SNAPSHOT.is_dir():
        print(f"skipped: {SNAPSHOT} is absent")
        return 0
    make_venv(args.venv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="torch_ops_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    config = SNAPSHOT / "configs" / "torch_ops_cpu_llvm_sync.json"
    try:
        served_root = work / "served"
        torch_ops_numpy.write_expected(SNAPSHOT / "generated", served_root,
                                       computable_names(SNAPSHOT))
        with served(served_root, work / "server.log") as base:
            ours, our_seconds = run_ours(work, args.venv, config, base, args.k, args.jobs)
            reference, reference_seconds = run_reference(work, args.venv, config, base, args.k)
        disagreements = 0
        for name in sorted(set(ours) | set(reference)):
            mine, theirs = ours.get(name, "-"), reference.get(name, "-")
            mark = "" if mine == theirs else "   <-- differs"
            disagreements += mine != theirs
            print(f"{name:60} reference {theirs:8} iree-suite {mine:8}{mark}")
        print(f"{len(ours)} tests; {disagreements} verdicts differ")
        print(f"reference (pytest, serial) {reference_seconds:.1f} s, iree-suite (-j {args.jobs}, "
              f"cold cache) {our_seconds:.1f} s: ratio {reference_seconds / our_seconds:.2f}x")
        return 1 if disagreements else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
