"""Expected outputs of torch_ops tests computed with numpy, from inputs
generated as the reference generates them (np.random.seed, then each Formula
in order). The snapshot's expected arrays live on Azure, out of reach here:
these are served in their place from a loopback server under the same URL
paths. Used by test_torch_ops.py and bench/torch_ops/run.py.

  python3 torch_ops_numpy.py SUITE_ROOT SERVED_ROOT NAME...   # writes SERVED_ROOT/<url path>
"""

import json
import math
import re
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


# Element types of the torch dialect -> what numpy rounds a value to.
def _element_type(name):
    if name == "bf16":
        import ml_dtypes
        return ml_dtypes.bfloat16
    return {"f16": np.float16, "f32": np.float32, "f64": np.float64, "si8": np.int8,
            "si32": np.int32, "si64": np.int64, "i1": np.bool_}[name]


# The torch ops of the snapshot's test.mlir, on float64 values; each result is
# then rounded to the element type its MLIR declares (torch computes a bf16 or
# f16 mm with a wider accumulator and rounds the result once, as this does).
TORCH_OPS = {
    "torch.aten.mm": lambda a, b: a @ b,
    "torch.aten.matmul": lambda a, b: a @ b,
    "torch.aten.transpose.int": lambda x, d0, d1: np.swapaxes(x, d0, d1),
    "torch.aten.permute": lambda x, dims: np.transpose(x, dims),
    "torch.aten.add.Tensor": lambda a, b, alpha: a + alpha * b,
    "torch.aten.relu": lambda x: np.maximum(x, 0),
    "torch.aten.gelu": lambda x, approximate: _gelu(x),
    "torch.aten.copy": lambda destination, source, non_blocking: source,
    "torch.copy.to_vtensor": lambda x: x,
    "torch.prims.convert_element_type": lambda x, dtype: x,
    "torch.aten.to.dtype": lambda x, dtype, non_blocking, copy, memory_format: x,
    "torch.prim.ListConstruct": lambda *items: list(items),
}
# Ops that only check or alias: no value.
IGNORED_OPS = ("torch.aten._assert_tensor_metadata", "torch.overwrite.tensor.contents")
_OP_LINE = re.compile(r"^\s*(?:(%[\w.]+) = )?([\w.]+) ?(.*?)(?: : (.*))?$")
_CONSTANT = re.compile(r"^torch\.constant\.(int|bool|none|str|device)$")


def _constant(kind, operand_text):
    if kind == "int":
        return int(operand_text)
    if kind == "bool":
        return operand_text == "true"
    return None if kind == "none" else operand_text.strip('"')


def _rounded(value, result_type):
    """`value` in the element type of `result_type` (!torch.vtensor<[...],f16>)."""
    element = re.search(r"!torch\.vtensor<\[[^\]]*\],(\w+)>", result_type)
    if not element:
        raise ValueError(f"torch_ops_numpy: not a tensor type: {result_type}")
    return value.astype(_element_type(element.group(1)))


def interpret_mlir(mlir, inputs):
    """What the single function of a torch-dialect test.mlir returns for
    `inputs` (numpy arrays), for the ops in TORCH_OPS; an error names any other."""
    values = {f"%arg{i}": x.astype(np.float64) for i, x in enumerate(inputs)}
    for line in mlir.splitlines():
        match = _OP_LINE.match(line)
        if not match or not match.group(2).startswith(("torch.", "return")):
            continue
        result, op, operand_text, types = match.groups()
        if op == "return":
            return _rounded(values[operand_text.strip()], types)
        if op in IGNORED_OPS:
            continue
        if constant := _CONSTANT.match(op):
            values[result] = _constant(constant.group(1), operand_text)
            continue
        if op not in TORCH_OPS:
            raise ValueError(f"torch_ops_numpy: no numpy equivalent of {op}")
        operands = [values[name.strip()] for name in operand_text.split(",") if name.strip()]
        with np.errstate(all="ignore"):
            value = TORCH_OPS[op](*operands)
        values[result] = _rounded(value, (types or "").rpartition("->")[2]).astype(np.float64) \
            if isinstance(value, np.ndarray) else value
    raise ValueError("torch_ops_numpy: the MLIR has no return")


_CONVOLUTION = re.compile(r"@conv_2d_(\w+?)_forward_[0-9x]+_([nchw]{4})_[0-9x]+_([fchw]{4})_"
                          r"([nfhw]{4})_(\d+)x(\d+)s_(\d+)x(\d+)p_1x1d_1g\b")


def convolve(mlir, image, kernel):
    """ConvForward: its test.mlir calls a linalg convolution (f32 accumulator)
    that its function name describes: layouts of the image, kernel and
    result, strides and padding (dilation 1, one group)."""
    match = _CONVOLUTION.search(mlir)
    if not match:
        raise ValueError("torch_ops_numpy: no conv_2d_<type>_forward_... function")
    _, image_layout, kernel_layout, result_layout, *numbers = match.groups()
    stride_h, stride_w, pad_h, pad_w = map(int, numbers)
    x = np.einsum(f"{image_layout}->nchw", image.astype(np.float64))
    w = np.einsum(f"{kernel_layout}->fchw", kernel.astype(np.float64))
    x = np.pad(x, ((0, 0), (0, 0), (pad_h, pad_h), (pad_w, pad_w)))
    windows = np.lib.stride_tricks.sliding_window_view(x, w.shape[2:], axis=(2, 3))
    result = np.einsum("nchwij,fcij->nfhw", windows[:, :, ::stride_h, ::stride_w], w)
    return np.einsum(f"nfhw->{result_layout}", result).astype(image.dtype)


# Classes whose expected outputs this computes.
COMPUTABLE_CLASSES = ("AB", "ABT", "ATB", "ABPlusC", "ReluABPlusC", "GeluABPlusC", "AB_bfloat16",
                      "InterestingShapesBiasAdd", "ConvForward")


def expected_output(suite_root: Path, name: str):
    spec = json.loads((suite_root / name / "run_module_io.json").read_text())
    inputs = reference_inputs(spec)
    mlir = (suite_root / name / spec.get("file_name", "test.mlir")).read_text()
    if name.split("/")[0] == "ConvForward":
        return convolve(mlir, *inputs), spec
    return interpret_mlir(mlir, inputs), spec


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
