#!/usr/bin/env python3
"""Scheduler benchmark: a synthetic suite of 40 tests over 8 modules (quality,
benchmark and compstat mixed), run on a cold cache with -j 1 and with -j 2.

Prints the wall times, their ratio (target: -j 2 <= 0.65x of -j 1) and the
number of iree-compile invocations of each run (target: = 8, the number of
distinct modules, although each module is used by 5 tests).

    .venv/bin/python bench/scheduler/run.py [--jobs 2] [--keep DIR]
"""

import argparse
import json
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BINARY = REPO / "build" / "iree-suite"
TOOLS = REPO / ".venv" / "bin"
MODULES = 8

MLIR = """module @m{k} {{
  func.func @main(%x: tensor<256x256xf32>) -> tensor<256x256xf32> {{
    %c = arith.constant {k}.0 : f32
    %e = tensor.empty() : tensor<256x256xf32>
    %z = linalg.fill ins(%c : f32) outs(%e : tensor<256x256xf32>) -> tensor<256x256xf32>
    %m = linalg.matmul ins(%x, %x : tensor<256x256xf32>, tensor<256x256xf32>)
                       outs(%z : tensor<256x256xf32>) -> tensor<256x256xf32>
    return %m : tensor<256x256xf32>
  }}
}}
"""
FLAGS = ["--iree-hal-target-device=local", "--iree-hal-local-target-device-backends=llvm-cpu",
         "--iree-llvmcpu-target-cpu=host"]


def write_suite(root: Path):
    for k in range(MODULES):
        (root / "models").mkdir(parents=True, exist_ok=True)
        (root / "modules").mkdir(parents=True, exist_ok=True)
        (root / f"models/m{k}.mlir").write_text(MLIR.format(k=k))
        (root / f"modules/m{k}.json").write_text(
            json.dumps({"mlir": f"models/m{k}.mlir", "compiler_flags": FLAGS}))
        module = f"modules/m{k}"
        # x = all ones: every output element is 256 (the dot product) + k.
        expected = f"256x256xf32={256 + k}"
        for q in range(2):
            (root / f"m{k}_quality_{q}.json").write_text(json.dumps({
                "type": "quality", "markers": ["cpu"], "modules": [module],
                "inputs": [{"value": "256x256xf32=1"}],
                "expected_outputs": [{"value": expected}],
                "run_args": ["--device=local-task", "--function=main"]}))
        (root / f"m{k}_benchmark.json").write_text(json.dumps({
            "type": "benchmark", "markers": ["cpu"], "modules": [module],
            "inputs": [{"value": "256x256xf32=1"}],
            "run_args": ["--device=local-task", "--function=main",
                         "--benchmark_min_time=0.02s"],
            "golden_time_ms": 1000.0}))
        for c in range(2):
            (root / f"m{k}_compstat_{c}.json").write_text(json.dumps({
                "type": "compstat", "markers": ["cpu"], "module": module,
                "golden_dispatch_count": 10}))


def run(root: Path, jobs: int, work: Path):
    artifacts = work / f"artifacts-j{jobs}"
    trace = work / f"trace-j{jobs}.json"
    shutil.rmtree(artifacts, ignore_errors=True)  # cold cache
    argv = [str(BINARY), f"--test-file-directory={root}", f"--module-directory={root}",
            f"--external-file-directory={root}", f"--artifact-directory={artifacts}",
            f"--job-summary-path={work}", f"--iree-tools-dir={TOOLS}", "-q", f"-j{jobs}"]
    if "--trace" in subprocess.run([str(BINARY), "--help"], capture_output=True,
                                   text=True).stdout:
        argv.append(f"--trace={trace}")
    start = time.monotonic()
    result = subprocess.run(argv, capture_output=True, text=True)
    seconds = time.monotonic() - start
    summary = result.stdout.strip().splitlines()[-1]
    compiles = len(list(artifacts.glob("modules/*/*/compile.log")))
    if trace.exists():
        events = json.loads(trace.read_text())["traceEvents"]
        compiles = sum(1 for e in events if e.get("ph") == "X" and e.get("cat") == "compile")
    return seconds, compiles, summary, result.returncode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="keep the suite and artifacts here")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="iree-suite-scheduler-"))
    root = work / "suite"
    write_suite(root)
    tests = len(list(root.glob("*.json")))
    print(f"synthetic suite: {tests} tests over {MODULES} modules in {root}")
    serial = run(root, 1, work)
    parallel = run(root, args.jobs, work)
    for name, (seconds, compiles, summary, code) in [("-j 1", serial),
                                                     (f"-j {args.jobs}", parallel)]:
        print(f"{name:6} {seconds:7.2f} s  iree-compile invocations: {compiles:2d}  "
              f"exit {code}  [{summary.strip('= ')}]")
    ratio = parallel[0] / serial[0]
    print(f"wall time -j {args.jobs} / -j 1 = {ratio:.2f} (target <= 0.65)")
    ok = ratio <= 0.65 and serial[1] == MODULES and parallel[1] == MODULES and \
        serial[3] == 0 and parallel[3] == 0
    print("PASS" if ok else "FAIL")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
