"""Expected outputs of torch_ops tests computed with numpy, from inputs
generated as the reference generates them (np.random.seed, then each Formula
in order). The snapshot's expected arrays live on Azure, out of reach here:
these are served in their place from a loopback server under the same URL
paths. Used by test_torch_ops.py and bench/torch_ops/run.py.

  python3 torch_ops_numpy.py SUITE_ROOT SERVED_ROOT NAME...   # writes SERVED_ROOT/<url path>
"""

import json
import math
import sys
from pathlib import Path
from urllib.parse import urlparse

import numpy as np


def reference_inputs(spec):
    """What the reference's formulas_to_npy gives for run_module_io.json `spec`."""
    np.random.seed(spec.get("seed", 0))
    arrays = []
    for arg in spec.get("flat_args") or []:
        if isinstance(arg, dict) and "Formula" in arg:
            f = arg["Formula"]
            values = f.get("coeff", 1) * np.random.rand(*f["shape"]) + f.get("offset", 0)
            arrays.append(values.astype(np.dtype(f.get("dtype", "float32"))))
        else:
            arrays.append(np.asarray(arg))
    return arrays


def _gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def _bfloat16_matmul(a, b):
    """AB_bfloat16: both operands rounded to bfloat16, the product too."""
    import ml_dtypes
    as_bf16 = lambda x: x.astype(ml_dtypes.bfloat16).astype(np.float64)
    return as_bf16(as_bf16(a) @ as_bf16(b))


# Class directory -> the operation of its test.mlir, on float64 copies of the inputs.
OPERATIONS = {
    "AB": lambda a, b: a @ b,
    "ABT": lambda a, b: a @ b.T,
    "ATB": lambda a, b: a.T @ b,
    "ABPlusC": lambda a, b, c: a @ b + c,
    "ReluABPlusC": lambda a, b, c: np.maximum(a @ b + c, 0),
    "GeluABPlusC": lambda a, b, c: _gelu(a @ b + c),
    "AB_bfloat16": _bfloat16_matmul,
}


def bias_add(mlir, a, b, c, _out):
    """InterestingShapesBiasAdd: mm(a, b) with the operands its MLIR
    transposes, plus c when it adds (the _matmul_ ones return the product)."""
    if "transpose.int %arg0" in mlir:
        a = a.T
    if "transpose.int %arg1" in mlir:
        b = b.T
    return a @ b + c if "aten.add.Tensor" in mlir else a @ b


def expected_output(suite_root: Path, name: str):
    spec = json.loads((suite_root / name / "run_module_io.json").read_text())
    inputs = reference_inputs(spec)
    class_dir = name.split("/")[0]
    wide = [x.astype(np.float64) for x in inputs]
    if class_dir == "InterestingShapesBiasAdd":
        result = bias_add((suite_root / name / "test.mlir").read_text(), *wide)
    else:
        result = OPERATIONS[class_dir](*wide)
    return result.astype(inputs[0].dtype), spec


def url_path(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def write_expected(suite_root: Path, served_root: Path, names, perturb=None):
    """Writes each test's expected array where its URL's path says, under
    served_root. perturb: {name: flat index} adds 1 to that element."""
    for name in names:
        result, spec = expected_output(suite_root, name)
        if perturb and name in perturb:
            result.reshape(-1)[perturb[name]] += 1
        target = served_root / url_path(spec["expected_output"][0]["url"])
        target.parent.mkdir(parents=True, exist_ok=True)
        np.save(target, result)


if __name__ == "__main__":
    write_expected(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:])
