#!/usr/bin/env python3
"""Operator-suite benchmark: the real onnx_ops corpus (~1150 tests) with
configs-iree/onnx_ops_cpu_llvm_sync_O0.json, on a cold cache with -j 1 and
with -j 2 (or --jobs). Prints the verdict counts and wall time of each run;
both runs must reach the same verdicts.

    .venv/bin/python bench/op_suite/run.py [--jobs 2] [-k EXPR] [--keep DIR]

Skips with a message when the shared corpus is absent.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BINARY = REPO / "build" / "iree-suite"
TOOLS = REPO / ".venv" / "bin"
CORPUS = REPO.parent / "shared" / "corpus" / "iree-onnx-ops"
CONFIG = CORPUS / "configs-iree" / "onnx_ops_cpu_llvm_sync_O0.json"


def run(jobs: int, work: Path, keyword: str):
    out = work / f"j{jobs}"
    out.mkdir(parents=True)
    argv = [str(BINARY), f"--test-file-directory={CORPUS}", f"--iree-tools-dir={TOOLS}",
            f"--artifact-directory={out / 'artifacts'}", f"--job-summary-path={out}",
            f"--results-json={out / 'results.json'}", "-q", "-j", str(jobs)]
    if keyword:
        argv += ["-k", keyword]
    argv += ["--config-files", str(CONFIG)]
    start = time.monotonic()
    result = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if result.returncode not in (0, 1):
        sys.exit(f"iree-suite -j {jobs} exited {result.returncode}:\n{result.stderr[-4000:]}")
    tests = json.loads((out / "results.json").read_text())["tests"]
    verdicts = {test["id"]: test["outcome"] for test in tests}
    return seconds, verdicts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="the parallel run's -j")
    parser.add_argument("-k", default="", help="only tests matching this -k expression")
    parser.add_argument("--keep", type=Path, help="keep artifacts and reports here")
    args = parser.parse_args()
    if not CONFIG.is_file():
        print(f"skipped: {CONFIG} is absent (the shared corpus exists only on development "
              "machines)")
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="op_suite_bench_"))
    try:
        timings = {}
        verdicts = {}
        for jobs in (1, args.jobs):
            timings[jobs], verdicts[jobs] = run(jobs, work, args.k)
            counts = Counter(verdicts[jobs].values())
            print(f"-j {jobs}: {len(verdicts[jobs])} tests in {timings[jobs]:.1f}s: " +
                  ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())))
        print(f"-j {args.jobs} / -j 1 wall time: {timings[args.jobs] / timings[1]:.2f}x")
        differing = [i for i in verdicts[1] if verdicts[1][i] != verdicts[args.jobs].get(i)]
        if differing:
            print(f"verdicts differ between the runs for {len(differing)} tests, e.g. "
                  f"{differing[:5]}")
            sys.exit(1)
        print("same verdicts in both runs")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
