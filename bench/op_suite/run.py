#!/usr/bin/env python3
"""Operator-suite benchmark: the full onnx_ops corpus (~1150 tests) under
configs-iree/onnx_ops_cpu_llvm_sync_O2.json (IREE's own CI config) on a cold
cache, with -j equal to the core count. Prints the wall time, tests per
second, the verdict counts, and every test whose verdict disagrees with the
config's expected-failure lists (failed: expected to pass; xpassed: listed as
an expected failure but passed), since IREE versions differ.

    .venv/bin/python bench/op_suite/run.py [--jobs N] [--config NAME] [-k EXPR] [--keep DIR]

Skips with a message when the shared corpus is absent.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BINARY = REPO / "build" / "iree-suite"
TOOLS = REPO / ".venv" / "bin"
CORPUS = REPO.parent / "shared" / "corpus" / "iree-onnx-ops"
OUTCOMES = ["passed", "xfailed", "xpassed", "failed", "skipped", "error"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="-j of the run (default: the core count)")
    parser.add_argument("--config", default="onnx_ops_cpu_llvm_sync_O2.json",
                        help="config file in configs-iree/")
    parser.add_argument("-k", default="", help="only tests matching this -k expression")
    parser.add_argument("--keep", type=Path, help="keep artifacts and reports here")
    args = parser.parse_args()
    config = CORPUS / "configs-iree" / args.config
    if not config.is_file():
        print(f"skipped: {config} is absent (the shared corpus exists only on development "
              "and CI machines)")
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="op_suite_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results_path = work / "results.json"
        argv = [str(BINARY), f"--test-file-directory={CORPUS}", f"--iree-tools-dir={TOOLS}",
                f"--artifact-directory={work / 'artifacts'}", f"--job-summary-path={work}",
                f"--results-json={results_path}", "-q", "-j", str(args.jobs)]
        if args.k:
            argv += ["-k", args.k]
        argv += ["--config-files", str(config)]
        start = time.monotonic()
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        seconds = time.monotonic() - start
        if done.returncode not in (0, 1):
            sys.exit(f"iree-suite exited {done.returncode}:\n{done.stderr[-4000:]}")
        tests = json.loads(results_path.read_text())["tests"]
        counts = {outcome: 0 for outcome in OUTCOMES}
        for test in tests:
            counts[test["outcome"]] = counts.get(test["outcome"], 0) + 1
        print(f"config {args.config}, -j {args.jobs} on {os.cpu_count()} cores, cold cache")
        print(f"{len(tests)} tests in {seconds:.1f} s: {len(tests) / seconds:.2f} tests/s")
        print("verdicts: " + ", ".join(f"{n} {outcome}" for outcome, n in counts.items()))
        agreeing = counts["passed"] + counts["xfailed"]
        print(f"agreement with the config's expected-failure lists: {agreeing}/{len(tests)} "
              f"({100 * agreeing / max(1, len(tests)):.1f}%)")
        disagreeing = [t for t in tests if t["outcome"] in ("failed", "xpassed", "error")]
        if disagreeing:
            print(f"disagreeing with the config ({len(disagreeing)}):")
        for test in sorted(disagreeing, key=lambda t: t["id"]):
            step = test.get("failed_step") or "-"
            reason = (test["reason"].splitlines() or [""])[0][:140]
            print(f"  {test['outcome']:8} {step:7} {test['id']}: {reason}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
