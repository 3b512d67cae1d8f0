"""Writes the .bin inputs and expected output of ops/mul_bin_pass (raw
little-endian f32, as the onnx_ops suite stores them). Rerun after editing."""

from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent / "ops" / "mul_bin_pass"

a = np.arange(1, 7, dtype="<f4").reshape(2, 3)
b = np.full((2, 3), 0.5, dtype="<f4")
a.tofile(HERE / "input_0.bin")
b.tofile(HERE / "input_1.bin")
(a * b).astype("<f4").tofile(HERE / "output_0.bin")
(HERE / "run_module_io_flags.txt").write_text(
    "--input=2x3xf32=@input_0.bin\n"
    "--input=2x3xf32=@input_1.bin\n"
    "--expected_output=2x3xf32=@output_0.bin\n"
)
