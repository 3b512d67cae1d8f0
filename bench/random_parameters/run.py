#!/usr/bin/env python3
"""Benchmark: random parameter archives, iree-suite vs the reference method.

Makes a synthetic MLIR module with SIZE GiB of f16 parameters spread over
many globals, then writes its random archive two ways, one after the other:

  iree-suite   build/iree-suite-make-parameters (the runner's own generator:
               streamed in fixed-size blocks by a thread pool)
  reference    what the pytest plugin does: per parameter
               numpy default_rng(seed).normal(0, 0.01, shape).astype(f16),
               added to iree.runtime.ParameterIndex, then create_archive_file

Each runs in its own child process; the reference in a bench-only venv
(build/bench-venv, from this folder's requirements.txt, made on first use).
Wall time, throughput and peak RSS (from wait4's rusage) are printed, then
the ratio; the exit status is 1 when the target (>= 5x faster, peak RSS
< 256 MiB) is missed. Both archives are checked with iree-dump-parameters to
hold the same entries, then deleted.

Run on demand (not part of `make test`), with the project venv:

    .venv/bin/python bench/random_parameters/run.py            # 4 GiB
    .venv/bin/python bench/random_parameters/run.py --gib 8 --globals 256
"""

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = REPO / ".venv" / "bin"

REFERENCE = r"""
import re, sys
import numpy as np
import iree.runtime as rt

mlir, scope, seed, output = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
pattern = re.compile(r'util\.global\s.*@(\S+)\s*=\s*#(?:stream|flow)\.parameter\.named<'
                     r'(?:"([^"]*)"::)?"([^"]*)"[^>]*>\s*:\s*tensor<((?:\d+x)*)f16>')
index = rt.ParameterIndex()
rng = np.random.default_rng(seed)
for line in open(mlir):
    match = pattern.search(line)
    if not match or (match.group(2) is not None and match.group(2) != scope):
        continue
    shape = [int(d) for d in match.group(4).split("x") if d]
    index.add_buffer(match.group(3), rng.normal(0, 0.01, shape).astype(np.float16))
index.create_archive_file(output)
"""


def bench_venv_python() -> Path:
    """The reference's own venv, made (or remade when its pins change) on use."""
    requirements = Path(__file__).resolve().parent / "requirements.txt"
    venv = REPO / "build" / "bench-venv"
    stamp = venv / ".requirements.sha256"
    want = hashlib.sha256(requirements.read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != want:
        print(f"making {venv} for the reference method")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                        "--disable-pip-version-check", "-r", str(requirements)], check=True)
        stamp.write_text(want)
    return venv / "bin" / "python"


def write_module(path: Path, total_bytes: int, globals_count: int) -> int:
    """f16 globals of [rows x 4096] adding up to total_bytes; returns their count."""
    per_global = total_bytes // globals_count
    rows = max(1, per_global // (4096 * 2))
    with path.open("w") as out:
        out.write("module @synthetic {\n")
        for i in range(globals_count):
            out.write(f'  util.global private @p{i} = #stream.parameter.named<"model"::'
                      f'"layers.{i}.weight"> : tensor<{rows}x4096xf16>\n')
        out.write("}\n")
    return globals_count * rows * 4096 * 2


def measure(argv, label):
    """Runs argv as a child; returns (wall seconds, peak RSS in MiB)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"{label} failed ({process.returncode}):\n{output}")
    return seconds, usage.ru_maxrss / 1024.0  # ru_maxrss is in KiB on Linux


def dump(archive: Path):
    text = subprocess.run([VENV_BIN / "iree-dump-parameters", f"--parameters={archive}"],
                          capture_output=True, text=True, check=True).stdout
    return re.findall(r"\|\s+(\d+) \| `([^`]+)`", text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gib", type=float, default=4.0, help="size of the parameters")
    parser.add_argument("--globals", type=int, default=128, help="number of parameter globals")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=0, help="iree-suite threads (0: all)")
    parser.add_argument("--tool", type=Path, default=REPO / "build" / "iree-suite-make-parameters")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the archives go (default: a temp dir under build/)")
    args = parser.parse_args()
    if not args.tool.exists():
        sys.exit(f"{args.tool} does not exist: build the iree-suite-make-parameters target")
    reference_python = bench_venv_python()

    workdir = args.workdir or REPO / "build"
    workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=workdir, prefix="bench-params-") as tmp:
        tmp = Path(tmp)
        mlir = tmp / "synthetic.mlir"
        total = write_module(mlir, int(args.gib * (1 << 30)), args.globals)
        print(f"module: {args.globals} f16 globals, {total / (1 << 30):.2f} GiB of parameters; "
              f"{os.cpu_count()} CPUs")

        ours = tmp / "iree_suite.irpa"
        ours_argv = [args.tool, f"--mlir={mlir}", "--scope=model", f"--seed={args.seed}",
                     f"--output={ours}", "--quiet"]
        if args.threads:
            ours_argv.append(f"--threads={args.threads}")
        results = {"iree-suite": measure(ours_argv, "iree-suite")}

        reference = tmp / "reference.irpa"
        results["reference"] = measure(
            [reference_python, "-c", REFERENCE, mlir, "model", str(args.seed), reference],
            "reference")

        entries = dump(ours)
        if entries != dump(reference) or len(entries) != args.globals:
            sys.exit("the two archives hold different entries")

        print(f"{'method':<12} {'wall (s)':>10} {'GB/s':>8} {'peak RSS (MiB)':>15}")
        for name, (seconds, rss) in results.items():
            print(f"{name:<12} {seconds:>10.2f} {total / 1e9 / seconds:>8.2f} {rss:>15.1f}")
        ratio = results["reference"][0] / results["iree-suite"][0]
        print(f"iree-suite is {ratio:.1f}x faster; peak RSS {results['iree-suite'][1]:.1f} MiB "
              f"vs {results['reference'][1]:.1f} MiB")
        target_met = ratio >= 5 and results["iree-suite"][1] < 256
        print("target (>= 5x faster, peak RSS < 256 MiB):", "met" if target_met else "NOT met")
        if not target_met:
            sys.exit(1)


if __name__ == "__main__":
    main()
