#!/usr/bin/env python3
"""Operator-suite benchmark: iree-suite side by side with the reference
onnx_ops conftest (../shared/reference/iree-test-suites) on the ONNX operator
corpus under configs-iree/onnx_ops_cpu_llvm_sync_O2.json (IREE's CI config).

Rows, all from one run of this script on the same copy of the tests:
  reference cold / warm   pytest -n JOBS (pytest-xdist) with the reference
                          conftest, twice (it compiles every module each run)
  iree-suite cold         -j JOBS on an empty artifact directory (compile workers)
  iree-suite warm         again, same artifact directory
  iree-suite cold process --compile-mode=process: the worker gain on its own
Prints each time, the ratios reference / iree-suite, the verdict counts and
every test whose verdict differs between the two, and the machine's load
before and after (the ratios are only meaningful side by side in one run).

The reference runs in a venv this script makes (build/bench-op-suite-venv):
the project venv's pinned IREE packages plus the conftest's own
requirements (pyjson5, pytest-xdist), with the pip console scripts of the
project venv on PATH, as `pip install` would leave them.

    .venv/bin/python bench/op_suite/run.py [--limit N] [--jobs N] [-k EXPR] [--keep DIR]

The whole corpus (~1150 tests) takes ~10 min per row on 2 cores: --limit
measures on the first N test folders. Skips with a message when the shared
corpus or the reference is absent.
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from side_by_side import (REPO, SHARED, junit_verdicts, print_comparison,  # noqa: E402
                          reference_env, reference_python, run_iree_suite, timed,
                          work_directory)

CORPUS = SHARED / "corpus" / "iree-onnx-ops"
REFERENCE = SHARED / "reference" / "iree-test-suites" / "onnx_ops"
VENV = REPO / "build" / "bench-op-suite-venv"


def copy_tests(work: Path, limit: int, keyword: str, config: Path) -> Path:
    """A private copy of the selected test folders (the reference writes its
    .vmfb files into them) with the config and the reference conftest."""
    generated = CORPUS / "onnx" / "node" / "generated"
    names = sorted(d.name for d in generated.iterdir()
                   if (d / "run_module_io_flags.txt").is_file() and keyword in d.name)
    if limit:
        names = names[:limit]
    suite = work / "suite"
    for name in names:
        shutil.copytree(generated / name, suite / "onnx" / "node" / "generated" / name)
    (suite / "configs-iree").mkdir(parents=True)
    shutil.copy(config, suite / "configs-iree" / config.name)
    shutil.copy(REFERENCE / "conftest.py", suite / "conftest.py")
    return suite


def run_reference(python: Path, suite: Path, config: Path, jobs: int, junit: Path):
    for vmfb in suite.rglob("*.vmfb"):
        vmfb.unlink()
    seconds, done = timed([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", jobs,
                           f"--junitxml={junit}", suite, "--config-files", config],
                          env=reference_env(python), cwd=suite)
    if done.returncode not in (0, 1):
        sys.exit(f"reference pytest exited {done.returncode}:\n{done.stdout[-4000:]}")

    def test_directory(case):
        props = {p.get("name"): p.get("value") for p in case.iter("property")}
        return props.get("relative_test_directory_name", case.get("name"))

    return seconds, junit_verdicts(junit, test_directory)


def run_suite(suite: Path, config: Path, jobs: int, work: Path, artifacts: str, *extra):
    results = work / f"results-{artifacts}-{len(extra)}.json"
    return run_iree_suite([f"--test-file-directory={suite}",
                           f"--artifact-directory={work / artifacts}", f"--job-summary-path={work}",
                           "-q", "-j", jobs, *extra, "--config-files", config], results)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="-n / -j of every row (default 2)")
    parser.add_argument("--config", default="onnx_ops_cpu_llvm_sync_O2.json",
                        help="config file in configs-iree/")
    parser.add_argument("--limit", type=int, default=0,
                        help="only the first N test folders (default: all)")
    parser.add_argument("-k", default="", help="only test folders whose name contains this")
    parser.add_argument("--keep", type=Path, help="keep the copy, artifacts and reports here")
    args = parser.parse_args()
    config = CORPUS / "configs-iree" / args.config
    if not config.is_file() or not (REFERENCE / "conftest.py").is_file():
        print(f"skipped: {config} or {REFERENCE} is absent (the shared corpus and reference "
              "exist only on development and CI machines)")
        return
    python = reference_python(VENV, ["pyjson5", "pytest-xdist"],
                              "import iree.compiler, pyjson5, xdist")
    with work_directory(args.keep, "op_suite_bench_") as work:
        suite = copy_tests(work, args.limit, args.k, config)
        config = suite / "configs-iree" / config.name
        load_before = os.getloadavg()
        rows = {}
        rows["reference cold"] = run_reference(python, suite, config, args.jobs, work / "r1.xml")
        rows["iree-suite cold"] = run_suite(suite, config, args.jobs, work, "artifacts")
        rows["iree-suite warm"] = run_suite(suite, config, args.jobs, work, "artifacts")
        rows["iree-suite cold process"] = run_suite(suite, config, args.jobs, work,
                                                    "artifacts-process", "--compile-mode=process")
        rows["reference warm"] = run_reference(python, suite, config, args.jobs, work / "r2.xml")
        load_after = os.getloadavg()
        tests = len(rows["reference cold"][1])
        print(f"{tests} tests ({'first ' + str(args.limit) if args.limit else 'all'} folders), "
              f"config {args.config}, -n/-j {args.jobs} on {os.cpu_count()} cores; load average "
              f"{load_before[0]:.1f} before, {load_after[0]:.1f} after")
        print_comparison(rows, (("iree-suite cold", "reference cold"),
                                ("iree-suite warm", "reference warm"),
                                ("iree-suite cold process", "reference cold")), "reference cold")


if __name__ == "__main__":
    main()
