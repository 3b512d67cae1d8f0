#!/usr/bin/env python3
"""torch_models benchmark: iree-suite side by side with the reference plugin
(pytest_iree and torch_models/conftest.py from ../shared/reference/
iree-test-suites) on a twin of the bundled examples.

The reference fetches every `url` of a test from Azure, which this machine
cannot reach, so the bench makes a twin suite: a copy of examples/ whose
local `url` paths become Azure URLs (https://sharkpublic.blob.core.windows.net/
sharkpublic/iree-suite-twin/<path>), the files themselves in a local mirror.
Tests with weights other than `url` (the `splat` of examples/params) are left
out: the reference cannot collect them. The reference runs with twin_downloads.py, a pytest plugin that replaces only
its download method with a copy from the mirror; iree-suite reads the same
URLs through --url-mirror. Everything else of both runs as it is.

Rows, all from one run of this script on the same twin suite:
  reference cold        pytest -n JOBS (pytest-xdist), empty artifact directory
  iree-suite cold       -j JOBS, empty artifact directory (compile workers)
  iree-suite warm       again, same artifact directory
  iree-suite cold process  --compile-mode=process: the worker gain on its own
Each cold row is the best of --repeat runs (a fresh artifact directory each).
Prints the times, the ratios reference / iree-suite, the verdict counts and
every test whose verdict differs, and the load before and after.

    .venv/bin/python bench/torch_models/run.py [--jobs N] [--repeat N] [--keep DIR]

Skips with a message when the shared reference is absent.
"""

import argparse
import json
import os
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from side_by_side import (REPO, SHARED, junit_verdicts, print_comparison,  # noqa: E402
                          reference_env, reference_python, run_iree_suite, timed,
                          work_directory)

REFERENCE = SHARED / "reference" / "iree-test-suites"
VENV = REPO / "build" / "bench-torch-models-venv"
AZURE = "https://sharkpublic.blob.core.windows.net/"
TWIN = "sharkpublic/iree-suite-twin/"


def suite_root(examples: Path) -> Path:
    """The folder the examples' module names and paths are relative to: the
    repository root when they start with `examples/`, else examples/ itself."""
    for test in examples.rglob("*.json"):
        modules = json.loads(test.read_text()).get("modules", []) if test.is_file() else []
        if modules:
            return examples.parent if modules[0].startswith("examples/") else examples
    sys.exit(f"no test with modules in {examples}")


def make_twin(work: Path):
    """Copies examples/ into work/, each local `url` turned into an Azure URL
    whose blob is the file in work/mirror. Returns the suite's root."""
    shutil.copytree(REPO / "examples", work / "examples")
    root = suite_root(work / "examples")
    mirror = work / "mirror"

    def twin_urls(node):
        if isinstance(node, dict):
            url = node.get("url")
            if isinstance(url, str) and not url.startswith(("http://", "https://")):
                (mirror / TWIN / url).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root / url, mirror / TWIN / url)
                node["url"] = AZURE + TWIN + url
            for value in node.values():
                twin_urls(value)
        elif isinstance(node, list):
            for value in node:
                twin_urls(value)

    for test in (work / "examples").rglob("*.json"):
        data = json.loads(test.read_text())
        if not isinstance(data, dict):
            continue
        if any(weight.get("type") != "url" for weight in data.get("weights", [])):
            test.unlink()  # the reference knows only `url` weights (no `splat`)
            continue
        if "type" in data:
            twin_urls(data)
        elif isinstance(data.get("mlir"), str):  # a module: the reference fetches its MLIR
            twin_urls({"url": data["mlir"]})
            data["mlir"] = AZURE + TWIN + data["mlir"]
        test.write_text(json.dumps(data, indent=2))
    # pytest collects the reference's conftest from its own folder.
    (work / "reference").mkdir()
    shutil.copy(REFERENCE / "torch_models" / "conftest.py", work / "reference" / "conftest.py")
    return root


def suite_flags(root: Path):
    return [f"--test-file-directory={root}", f"--module-directory={root}",
            f"--external-file-directory={root}"]


def run_reference(python: Path, work: Path, root: Path, jobs: int, run: int):
    artifacts, junit = work / f"reference-artifacts-{run}", work / f"reference-{run}.xml"
    env = reference_env(python, TWIN_MIRROR=str(work / "mirror"),
                        PYTHONPATH=f"{REFERENCE}:{Path(__file__).parent}")
    seconds, done = timed([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p",
                           "twin_downloads", "-n", jobs, f"--junitxml={junit}",
                           *suite_flags(root), f"--artifact-directory={artifacts}",
                           f"--job-summary-path={work}"], env=env, cwd=work / "reference")
    if done.returncode not in (0, 1):
        sys.exit(f"reference pytest exited {done.returncode}:\n{done.stdout[-4000:]}")

    for case in ET.parse(junit).getroot().iter("testcase"):
        failure = case.find("failure")
        if failure is not None and "azure.py:46" in (failure.text or ""):
            print(f"  (reference run {run}: {case.get('name')} failed reading azure/manifest.json "
                  "while another xdist worker rewrote it: the reference's own race under -n)")
    return seconds, junit_verdicts(junit)  # names are the test files' relative paths


def run_ours(work: Path, root: Path, jobs: int, artifacts: str, *extra):
    return run_iree_suite([*suite_flags(root), f"--artifact-directory={work / artifacts}",
                           f"--job-summary-path={work}", f"--url-mirror={AZURE}=file://"
                           f"{work / 'mirror'}/", "-q", "-j", jobs, *extra],
                          work / f"results-{artifacts}.json")


def best_of(repeat, measure):
    runs = [measure(run) for run in range(repeat)]
    return min(runs, key=lambda row: row[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="-n / -j of every row (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="cold runs per row (default 3)")
    parser.add_argument("--keep", type=Path, help="keep the twin, artifacts and reports here")
    args = parser.parse_args()
    if not (REFERENCE / "torch_models" / "conftest.py").is_file():
        print(f"skipped: {REFERENCE} is absent (the shared reference exists only on "
              "development and CI machines)")
        return
    python = reference_python(VENV, ["azure-storage-blob", "tqdm", "tabulate", "pytest-xdist"],
                              "import iree.compiler, azure.storage.blob, tabulate, xdist")
    with work_directory(args.keep, "torch_models_bench_") as work:
        root = make_twin(work)
        load_before = os.getloadavg()
        rows = {
            "reference cold": best_of(args.repeat,
                                      lambda n: run_reference(python, work, root, args.jobs, n)),
            "iree-suite cold": best_of(args.repeat,
                                       lambda n: run_ours(work, root, args.jobs, f"cold-{n}")),
            "iree-suite warm": run_ours(work, root, args.jobs, "cold-0"),
            "iree-suite cold process": best_of(args.repeat, lambda n: run_ours(
                work, root, args.jobs, f"process-{n}", "--compile-mode=process")),
        }
        load_after = os.getloadavg()
        print(f"{len(rows['reference cold'][1])} tests (twin of examples/), -n/-j {args.jobs} on "
              f"{os.cpu_count()} cores, best of {args.repeat} cold runs; load average "
              f"{load_before[0]:.1f} before, {load_after[0]:.1f} after")
        print_comparison(rows, (("iree-suite cold", "reference cold"),
                                ("iree-suite warm", "reference cold"),
                                ("iree-suite cold process", "reference cold")), "reference cold")


if __name__ == "__main__":
    main()
