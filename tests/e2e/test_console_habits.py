"""pytest habits on the console: -v shows what runs (each tool command as it
starts, each module's compile time)."""

import re


def test_verbose_prints_commands_and_compile_times(example_suite):
    result = example_suite.run("-k", "mlp_quality", "-v")
    assert result.returncode == 0, result.output
    assert re.search(r"^  \$ cd \S+ && \S+iree-run-module --module=", result.stdout, re.MULTILINE)
    assert re.search(r"^compiled examples/modules/mlp_cpu in \d+\.\d\ds$", result.stdout,
                     re.MULTILINE), result.stdout
    plain = example_suite.run("-k", "mlp_quality", "--force-recompile")
    assert plain.returncode == 0 and "1 passed" in plain.stdout, plain.output
    assert "$ cd" not in plain.stdout and "compiled examples" not in plain.stdout
