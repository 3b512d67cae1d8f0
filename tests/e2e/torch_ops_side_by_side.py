"""torch_ops side by side: the reference conftest (pytest on a copy of the
snapshot: it writes into its suite tree) and iree-suite on the same tests,
with the expected arrays torch_ops_numpy computes served to both from one
loopback server under the Azure URL paths. Used by test_torch_ops.py (a cheap
selection) and bench/torch_ops/run.py (every test, with wall times).

The reference's Azure download helper (pytest_iree.azure) is replaced by a
stub that fetches from the loopback server.
"""

import json
import os
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT = REPO.parent / "shared" / "reference" / "iree-test-suites" / "torch_ops"
CONFIG = Path("configs") / "torch_ops_cpu_llvm_sync.json"  # relative to the suite root
AZURE = "https://sharkpublic.blob.core.windows.net/"

AZURE_STUB = '''
import os, shutil, urllib.request
from pathlib import Path
from urllib.parse import urlparse

class AzureArtifact:
    """Stand-in for pytest_iree.azure: fetches from the side-by-side's loopback server."""
    def __init__(self, artifact_base_dir, url):
        self.url = url
        self.path = Path(artifact_base_dir) / urlparse(url).path.lstrip("/")
    def join(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        mirror = os.environ["TORCH_OPS_MIRROR"] + urlparse(self.url).path
        with urllib.request.urlopen(mirror) as response, open(self.path, "wb") as out:
            shutil.copyfileobj(response, out)
'''


def computable_names(suite: Path = SNAPSHOT):
    """The snapshot's compare tests whose expected outputs torch_ops_numpy computes."""
    import torch_ops_numpy
    names = sorted(f"{p.parent.parent.name}/{p.parent.name}"
                   for p in (suite / "generated").rglob("run_module_io.json"))
    spec = lambda n: json.loads((suite / "generated" / n / "run_module_io.json").read_text())
    return [n for n in names if spec(n).get("mode", "compare") == "compare"
            and n.split("/")[0] in torch_ops_numpy.COMPUTABLE_CLASSES]


def junit_verdicts(junit: Path):
    """pytest's JUnit as verdicts: passed, failed, skipped, xfailed."""
    verdicts = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        skipped = case.find("skipped")
        if case.find("failure") is not None or case.find("error") is not None:
            verdict = "failed"
        elif skipped is not None:
            verdict = "xfailed" if skipped.get("type") == "pytest.xfail" else "skipped"
        else:
            verdict = "passed"
        verdicts[case.get("name")] = verdict
    return verdicts


def run_reference(work: Path, python: Path, tools_dir: Path, base: str, k: str = ""):
    """Runs the reference conftest with `python -m pytest` on a copy of the
    snapshot; returns (verdicts by test name, seconds)."""
    suite = work / "reference_suite"
    shutil.copytree(SNAPSHOT, suite)
    stub = work / "stub" / "pytest_iree"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("")
    (stub / "azure.py").write_text(AZURE_STUB)
    env = dict(os.environ, TORCH_OPS_MIRROR=base, PATH=f"{tools_dir}:{os.environ['PATH']}",
               PYTHONPATH=str(work / "stub"))
    junit = work / "reference.xml"
    # The config is the copy's: pytest loads the conftest above any path in
    # its arguments, and the snapshot's would register its options twice.
    argv = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:iree_suite",
            f"--junitxml={junit}", f"--artifact-directory={work / 'reference_artifacts'}",
            "--rootdir", str(suite), str(suite), "--config-files", str(suite / CONFIG)]
    if k:
        argv[3:3] = ["-k", k]
    start = time.monotonic()
    with open(work / "reference.log", "w") as log:
        subprocess.run(argv, cwd=suite, env=env, stdin=subprocess.DEVNULL, stdout=log,
                       stderr=subprocess.STDOUT)
    seconds = time.monotonic() - start
    if not junit.exists():
        raise RuntimeError("the reference wrote no JUnit; its output:\n"
                           + (work / "reference.log").read_text())
    return junit_verdicts(junit), seconds


def run_ours(work: Path, binary: Path, tools_dir: Path, base: str, k: str = "", jobs: int = 2):
    """Runs iree-suite on the snapshot itself; returns (verdicts by test name,
    seconds), verdicts as pytest counts them."""
    results = work / "results.json"
    argv = [str(binary), f"--test-file-directory={SNAPSHOT}", f"--iree-tools-dir={tools_dir}",
            f"--artifact-directory={work / 'artifacts'}", f"--job-summary-path={work}",
            f"--results-json={results}", f"--url-mirror={AZURE}={base}/", "-q", "-j", str(jobs)]
    if k:
        argv += ["-k", k]
    argv += ["--config-files", str(SNAPSHOT / CONFIG)]
    start = time.monotonic()
    with open(work / "iree-suite.log", "w") as log:
        subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - start
    verdicts = {}
    for test in json.loads(results.read_text())["tests"]:
        outcome = test["outcome"]
        # pytest counts a strict XPASS and an error in runtest as failures.
        verdicts[test["id"].split("::")[0]] = ("failed" if outcome in ("xpassed", "error")
                                               else outcome)
    return verdicts, seconds


def verdict_table(ours, reference):
    """One line per test with both verdicts (differences marked), and the
    number of differences."""
    lines = []
    differences = 0
    for name in sorted(set(ours) | set(reference)):
        mine, theirs = ours.get(name, "-"), reference.get(name, "-")
        differences += mine != theirs
        mark = "" if mine == theirs else "   <-- differs"
        lines.append(f"{name:62} reference {theirs:8} iree-suite {mine:8}{mark}")
    return lines, differences


def write_expected(served_root: Path, names=None):
    import torch_ops_numpy
    torch_ops_numpy.write_expected(SNAPSHOT / "generated", served_root,
                                   computable_names() if names is None else names)
