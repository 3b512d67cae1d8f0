#!/usr/bin/env python3
"""Writes numpy_cases.json: what numpy computes for the torch_ops inputs and
allclose, checked byte for byte by tests/unit/numpy_arrays_test.cc.

  python3 tests/unit/data/make_numpy_cases.py [OUTPUT]   # numpy 2, ml_dtypes

Formula cases: np.random.seed(seed), then for each formula in order
(coeff * np.random.rand(*shape) + offset).astype(dtype), saved with np.save;
the SHA-256 of each .npy file (or "undefined" where a value is outside an
integer type's range, where numpy's cast is undefined). Allclose cases: small
observed/expected arrays as .npy hex, the tolerances, np.allclose and the
number of elements np.isclose finds not close.
"""

import hashlib
import io
import json
import sys

import ml_dtypes
import numpy as np

FORMULA_CASES = [
    (0, [([64, 64], "float32", 1, 0), ([64, 64], "float32", 1, 0)]),
    (1, [([3, 4], "float16", 1, 0), ([5], "float16", 2, -1)]),
    (9, [([2, 3, 4], "float16", 2, -1), ([7, 1], "float32", 0.1, -0.05)]),
    (17, [([700], "float64", 1, 0), ([13], "int8", 1, 0)]),
    (12345, [([31], "int8", 100, -50), ([9], "int32", 1000, -500), ([4], "uint8", 255, 0)]),
    (4294967295, [([11], "bool", 2, -1), ([6], "int64", 1e6, -5e5), ([3, 3], "bfloat16", 3, -1)]),
    (20, [([1000], "float16", 70000, 0)]),  # overflows to inf
    (5, [([6], "uint8", 2, -1)]),  # negative values truncate to 0 when above -1
    (6, [([8], "uint8", 10, -5)]),  # undefined: below -1
    (7, [([8], "int8", 300, 0)]),  # undefined: above 127
]

def dtype_of(name):
    return ml_dtypes.bfloat16 if name == "bfloat16" else np.dtype(name)

def npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()

def defined(values, name):
    if name in ("bool",) or name.startswith("float") or name == "bfloat16":
        return True
    info = np.iinfo(np.dtype(name))
    truncated = np.trunc(values)
    return bool(np.all((truncated >= info.min) & (truncated <= info.max)))

def formula_cases():
    cases = []
    for seed, formulas in FORMULA_CASES:
        np.random.seed(seed)
        results = []
        for shape, dtype, coeff, offset in formulas:
            values = coeff * np.random.rand(*shape) + offset
            entry = {"shape": shape, "dtype": dtype, "coeff": coeff, "offset": offset}
            if defined(values, dtype):
                with np.errstate(over="ignore"):
                    array = values.astype(dtype_of(dtype))
                entry["sha256"] = hashlib.sha256(npy_bytes(array)).hexdigest()
            else:
                entry["undefined"] = True
            results.append(entry)
        cases.append({"seed": seed, "formulas": results})
    return cases

def allclose_cases():
    nan, inf = float("nan"), float("inf")
    f32 = np.float32
    raw = [
        (np.array([1.0, 2.0, 3.0], f32), np.array([1.0, 2.00001, 3.1], f32), 1e-5, 1e-8, False),
        (np.array([1.0, nan, inf, -inf], f32), np.array([1.0, nan, inf, inf], f32), 1e-5, 1e-8, False),
        (np.array([1.0, nan, inf], f32), np.array([1.0, nan, inf], f32), 1e-5, 1e-8, True),
        (np.array([nan, 1.0], f32), np.array([1.0, nan], f32), 1e-5, 1e-8, True),
        (np.array([[1.0, 2.0], [3.0, 4.0]], np.float16),
         np.array([1.001, 2.003], np.float16), 1e-3, 1e-3, False),
        (np.array([0.0, 1e-8, 2e-8], np.float16), np.array([0.0, 0.0, 0.0], np.float16), 0, 1e-8, False),
        (np.array([1, 2, 3], np.int32), np.array([1, 2, 4], np.int32), 1e-5, 1e-8, False),
        (np.array([1, 2, 3], np.int8), np.array([1.0, 2.0, 3.00001], f32), 1e-5, 1e-8, False),
        (np.array([1.0001, 2.0], np.float64), np.array([1.0, 2.0], f32), 1e-4, 0, False),
        (np.array([[1.0], [2.0]], f32), np.array([1.0, 2.0, 3.0], f32), 1e-5, 1e-8, False),
        (np.array([1.0, 2.0], f32), np.array([1.0, 2.0, 3.0], f32), 1e-5, 1e-8, False),
        (np.array([True, False]), np.array([1.0, 0.0], np.float16), 1e-5, 1e-8, False),
        (np.arange(24, dtype=f32).reshape(2, 3, 4),
         (np.arange(24, dtype=f32) * np.float32(1.0000001)).reshape(2, 3, 4), 1e-7, 0, False),
    ]
    cases = []
    for observed, expected, rtol, atol, equal_nan in raw:
        case = {"observed": npy_bytes(observed).hex(), "expected": npy_bytes(expected).hex(),
                "rtol": rtol, "atol": atol, "equal_nan": equal_nan}
        try:
            with np.errstate(all="ignore"):
                close = np.isclose(observed, expected, rtol=rtol, atol=atol, equal_nan=equal_nan)
            case["allclose"] = bool(np.all(close))
            case["mismatches"] = int(np.size(close) - np.count_nonzero(close))
        except ValueError:
            case["broadcasts"] = False
        cases.append(case)
    return cases

def main():
    output = sys.argv[1] if len(sys.argv) > 1 else __file__.replace("make_numpy_cases.py", "numpy_cases.json")
    document = {"numpy": np.__version__, "formulas": formula_cases(), "allclose": allclose_cases()}
    with open(output, "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")

if __name__ == "__main__":
    main()
