#!/usr/bin/env python3
"""Computes the expected output of params/splat_quality_cpu.json with numpy,
independently of IREE and of iree-suite's own conversions.

The test fills every parameter of splat_affine.mlir with the splat value of
its "weights" entry, converted to each parameter's element type:
w: 4x3 f16, b: 3 bf16, c: 3 i32 (rounded to nearest). Then
y = x @ w + b + c for the test's input x.

    .venv/bin/python examples/params/expected_output.py          # print it
    .venv/bin/python examples/params/expected_output.py --check  # compare with the JSON
"""

import argparse
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TEST = os.path.join(HERE, "splat_quality_cpu.json")


def to_bf16(values):
    """Rounds float32 values to bfloat16 (nearest, ties to even), as float64."""
    bits = np.asarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16 << 16
    return rounded.astype(np.uint32).view(np.float32).astype(np.float64)


def parse_literal(value):
    """'2x4xf32=1,2,...' -> array of that shape."""
    shape_and_type, _, data = value.partition("=")
    shape = tuple(int(d) for d in shape_and_type.split("x")[:-1])
    return np.array([float(v) for v in data.split(",")], dtype=np.float64).reshape(shape)


def format_literal(array):
    shape = "x".join(str(d) for d in array.shape)
    return f"{shape}xf32=" + ",".join(f"{v:g}" for v in array.astype(np.float32).ravel())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless the JSON's expected output is this one")
    args = parser.parse_args()

    test = json.load(open(TEST))
    value = test["weights"][0]["value"]
    x = parse_literal(test["inputs"][0]["value"])
    w = np.full((4, 3), value, dtype=np.float64).astype(np.float16).astype(np.float64)
    b = to_bf16(np.full(3, value))
    c = np.rint(np.full(3, value)).astype(np.int32).astype(np.float64)
    expected = format_literal(x @ w + b + c)
    print(expected)
    if args.check:
        actual = test["expected_outputs"][0]["value"]
        same = np.array_equal(parse_literal(actual), parse_literal(expected))
        print("matches the JSON" if same else f"the JSON says {actual}")
        sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
