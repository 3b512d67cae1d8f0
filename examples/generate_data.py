#!/usr/bin/env python3
"""Regenerates every data file of the bundled example suite.

Run it with the project's virtual environment, from anywhere:

    .venv/bin/python examples/generate_data.py           # (re)write the files
    .venv/bin/python examples/generate_data.py --check   # verify, write nothing

What it writes (paths relative to examples/):

  mlp/data/mlp_weights.irpa          parameter archive, scope "model":
                                     w1 16x32, b1 32, w2 32x8, b2 8 (f32)
  mlp/data/mlp_input.bin             4x16xf32 input of @forward
  mlp/data/mlp_expected_output.bin   4x8xf32 = relu(x @ w1 + b1) @ w2 + b2
  multi_module/data/x.bin            8xf32 first input of @run
  multi_module/data/expected_output.bin
                                     8xf32 = softsign(2 * x) + bias, where bias
                                     is the literal second input written in
                                     multi_module/multi_module_quality_cpu.json

Expected outputs are computed here with numpy from the same weights and
inputs; they never come from IREE. The output is byte-identical on every run:

  * values come from numpy's PCG64 generator with fixed seeds, drawn only
    through Generator.random() (whose stream numpy keeps stable) and
    quantized to small multiples of a power of two;
  * so every product and sum of the MLP reference is exact in float64 and
    the result does not depend on the BLAS summation order;
  * all arrays are stored as little-endian float32 ("<f4"), raw, row-major.

Each file is written under a temporary name in its final directory and then
renamed over the old one, so an interrupted run never leaves a half-written
file behind.
"""

import argparse
import hashlib
import json
import os
import sys
import tempfile

import numpy as np

EXAMPLES = os.path.dirname(os.path.abspath(__file__))
F32 = np.dtype("<f4")


def quantized(rng, shape, limit, step):
    """Uniform values in [-limit, limit] on a grid of `step` (a power of 2)."""
    n = int(round(limit / step))
    k = np.floor(rng.random(shape) * (2 * n + 1)) - n  # integers in [-n, n]
    return (k * step).astype(np.float64)


def as_f32_bytes(array):
    out = np.ascontiguousarray(array, dtype=F32)
    return out.tobytes(order="C")


def parse_literal(value):
    """Parses an iree-run-module literal such as '8xf32=1,2,-0.5,...'."""
    shape_and_type, _, data = value.partition("=")
    dims = shape_and_type.split("x")
    if dims[-1] != "f32":
        raise ValueError(f"expected an f32 literal, got {value!r}")
    shape = tuple(int(d) for d in dims[:-1])
    items = data.replace(",", " ").split()
    array = np.array([float(v) for v in items], dtype=np.float64)
    if array.size != int(np.prod(shape)):
        raise ValueError(f"literal {value!r} has {array.size} elements")
    return array.reshape(shape)


# ---------------------------------------------------------------------------
# The data sets. Each returns {relative path: bytes} (the .irpa entries are
# returned as an ordered list of (name, array) under the archive's path).
# ---------------------------------------------------------------------------


def mlp_data():
    rng = np.random.default_rng(20240601)
    w1 = quantized(rng, (16, 32), 1.0, 1 / 64)
    b1 = quantized(rng, (32,), 0.5, 1 / 64)
    w2 = quantized(rng, (32, 8), 1.0, 1 / 64)
    b2 = quantized(rng, (8,), 0.5, 1 / 64)
    x = quantized(rng, (4, 16), 2.0, 1 / 16)

    # Reference in float64: every intermediate is a short dyadic fraction,
    # so these operations are exact whatever order they are summed in.
    h = np.maximum(x @ w1 + b1, 0.0)
    y = h @ w2 + b2

    weights = [("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2)]
    return {
        "mlp/data/mlp_weights.irpa": weights,
        "mlp/data/mlp_input.bin": as_f32_bytes(x),
        "mlp/data/mlp_expected_output.bin": as_f32_bytes(y),
    }


def multi_module_data():
    test_path = os.path.join(EXAMPLES, "multi_module", "multi_module_quality_cpu.json")
    with open(test_path, encoding="utf-8") as f:
        test = json.load(f)
    # The bias is given in the test itself as a literal (no url); use exactly
    # that value so the JSON stays the single source of truth for it.
    bias = parse_literal(test["inputs"][1]["value"])

    rng = np.random.default_rng(20240602)
    x = quantized(rng, (8,), 2.0, 1 / 8)
    x2 = 2.0 * x
    y = x2 / (1.0 + np.abs(x2)) + bias
    return {
        "multi_module/data/x.bin": as_f32_bytes(x),
        "multi_module/data/expected_output.bin": as_f32_bytes(y),
    }


# ---------------------------------------------------------------------------
# Writing.
# ---------------------------------------------------------------------------


def irpa_bytes(entries, scratch_dir):
    """Builds a parameter archive with iree.runtime and returns its bytes."""
    from iree.runtime import ParameterIndex

    index = ParameterIndex()
    for name, array in entries:
        index.add_buffer(name, np.ascontiguousarray(array, dtype=F32).tobytes())
    fd, path = tempfile.mkstemp(suffix=".irpa.tmp", dir=scratch_dir)
    os.close(fd)
    try:
        index.create_archive_file(path)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def atomic_write(path, data):
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp creates the file 0600; give it the usual umask-based mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if any file is missing or differs",
    )
    args = parser.parse_args()

    files = {}
    for make in (mlp_data, multi_module_data):
        files.update(make())

    stale = []
    with tempfile.TemporaryDirectory() as scratch:
        for rel in sorted(files):
            content = files[rel]
            if not isinstance(content, bytes):
                content = irpa_bytes(content, scratch)
            path = os.path.join(EXAMPLES, rel)
            digest = hashlib.sha256(content).hexdigest()[:16]
            if args.check:
                try:
                    with open(path, "rb") as f:
                        same = f.read() == content
                except FileNotFoundError:
                    same = False
                print(f"{'ok   ' if same else 'DIFF '} {rel} ({len(content)} bytes, sha256 {digest})")
                if not same:
                    stale.append(rel)
            else:
                atomic_write(path, content)
                print(f"wrote {rel} ({len(content)} bytes, sha256 {digest})")

    if stale:
        print(f"{len(stale)} file(s) differ; run {os.path.basename(__file__)} to regenerate", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
