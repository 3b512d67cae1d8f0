"""The example suite's data files are exactly what the numpy script computes,
so expected outputs come from an independent computation, not from IREE."""

import subprocess
import sys

from conftest import EXAMPLES


def test_example_data_matches_numpy_reference():
    result = subprocess.run([sys.executable, str(EXAMPLES / "generate_data.py"), "--check"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mlp/data/mlp_expected_output.bin" in result.stdout
