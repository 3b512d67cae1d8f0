#!/usr/bin/env python3
"""torch_ops side by side: the reference conftest (pytest, in a venv this
script makes with the pinned IREE wheels) and iree-suite on every test of the
reference snapshot, with expected arrays computed by numpy
(tests/e2e/torch_ops_numpy.py) and served to both from one loopback server
under the Azure URL paths (tests/e2e/torch_ops_side_by_side.py). Prints each
runner's verdict per test, every disagreement, and both wall times with their
ratio. Exits 1 on a disagreement.

    .venv/bin/python bench/torch_ops/run.py [-k EXPR] [--jobs N] [--venv DIR] [--keep DIR]

Benchmark verdicts depend on the machine's load (and the reference judges the
first repetition, iree-suite the minimum). Skips with a message when the
snapshot is absent. tests/e2e/test_torch_ops.py runs a cheap selection of
the same comparison.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "e2e"))
import torch_ops_side_by_side as side  # noqa: E402
from test_http import served  # noqa: E402

BINARY = REPO / "build" / "iree-suite"


def make_venv(venv: Path):
    if (venv / "bin" / "pytest").exists() and (venv / "bin" / "iree-compile").exists():
        return
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "-r",
                    str(REPO / "requirements-iree.txt"), "numpy", "pytest", "ml_dtypes"],
                   check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="only tests matching this -k expression")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="iree-suite -j")
    parser.add_argument("--venv", type=Path, default=REPO / "bench" / "torch_ops" / ".venv",
                        help="the reference's venv (made when missing)")
    parser.add_argument("--keep", type=Path, help="keep artifacts and reports here")
    args = parser.parse_args()
    if not side.SNAPSHOT.is_dir():
        print(f"skipped: {side.SNAPSHOT} is absent")
        return 0
    make_venv(args.venv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="torch_ops_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    tools = args.venv / "bin"
    try:
        with served(work, idle_timeout=3600) as (served_root, base, _log):
            side.write_expected(served_root)
            ours, our_seconds = side.run_ours(work, BINARY, tools, base, args.k, args.jobs)
            reference, reference_seconds = side.run_reference(work, tools / "python", tools,
                                                              base, args.k)
        lines, differences = side.verdict_table(ours, reference)
        print("\n".join(lines))
        print(f"{len(ours)} tests; {differences} verdicts differ")
        print(f"reference (pytest, serial) {reference_seconds:.1f} s, iree-suite (-j {args.jobs}, "
              f"cold cache) {our_seconds:.1f} s: ratio {reference_seconds / our_seconds:.2f}x")
        return 1 if differences else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
