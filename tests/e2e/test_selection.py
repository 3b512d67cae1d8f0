"""Selection and command-line mistakes, answered as pytest answers them: a
missing path, a flag that swallows a path, a misspelt flag or marker, and
pytest's FILE::NAME ids. Everything here collects only (no tool runs)."""

import re
import shutil
from pathlib import Path

from conftest import run_binary
from test_op_suite import FIXTURE


def collected_ids(output):
    return [line.split("  [")[0] for line in output.splitlines() if "  [" in line]


def test_missing_positional_path_is_a_usage_error(example_suite):
    result = example_suite.run("--co", "mlp/nope.json", cwd=example_suite.root)
    assert result.returncode == 4, result.output
    assert "file or directory not found: mlp/nope.json" in result.stderr


def test_override_ini_takes_one_value(example_suite):
    result = example_suite.run("--co", "-o", "log_cli=True", "mlp/mlp_quality_cpu.json",
                               "-p", "no:cacheprovider", "mlp/mlp_compstat_cpu.json",
                               cwd=example_suite.root)
    assert result.returncode == 0, result.output
    assert collected_ids(result.stdout) == ["mlp/mlp_compstat_cpu.json",
                                            "mlp/mlp_quality_cpu.json"]


def test_pytest_node_ids_select_one_test(example_suite):
    result = example_suite.run("--co", "mlp/mlp_quality_cpu.json::mlp_quality_cpu.json",
                               cwd=example_suite.root)
    assert result.returncode == 0, result.output
    assert collected_ids(result.stdout) == ["mlp/mlp_quality_cpu.json"]
    wrong = example_suite.run("--co", "mlp/mlp_quality_cpu.json::other",
                              cwd=example_suite.root)
    assert wrong.returncode == 4, wrong.output
    assert "not found: mlp/mlp_quality_cpu.json::other" in wrong.stderr
    folder = example_suite.run("--co", "mlp::x", cwd=example_suite.root)
    assert folder.returncode == 4, folder.output
    assert "directory argument cannot contain :: selection parts: mlp::x" in folder.stderr


def test_unknown_flag_is_named_with_the_nearest_one(binary, tmp_path):
    # pytest's argparse takes no abbreviations: a prefix is unknown too.
    for flag, nearest in [("--test-file-dir=.", "--test-file-directory"),
                          ("--force-recomple", "--force-recompile")]:
        result = run_binary([binary, flag, "--module-directory=.",
                             "--external-file-directory=."], cwd=tmp_path)
        assert result.returncode == 4, result.output
        assert f"unrecognized arguments: {flag} (did you mean {nearest}?)" in result.stderr
        assert "is required" not in result.stderr


def test_unknown_marker_warns_and_strict_markers_refuses(example_suite):
    result = example_suite.run("--co", "-m", "cpu and not benchmrk")
    assert result.returncode == 0, result.output
    assert ('WARNING -m: "benchmrk" is no collected test\'s marker (did you mean '
            '"benchmark"?)') in result.stdout
    known = example_suite.run("--co", "-m", "cpu and not benchmark")
    assert "WARNING -m" not in known.stdout
    strict = example_suite.run("--co", "--strict-markers", "-m", "cpu and not benchmrk")
    assert strict.returncode == 4, strict.output
    assert "Unknown marker(s) in '-m' expression: benchmrk" in strict.stderr


def op_suite_argv(binary, root, tmp_path, *args):
    return [binary, f"--test-file-directory={root}", f"--artifact-directory={tmp_path / 'a'}",
            f"--job-summary-path={tmp_path}", "--co", "--config-files",
            root / "configs" / "cpu.json", *args]


def test_operator_suite_folders_after_config_files_are_paths(binary, tmp_path):
    root = tmp_path / "suite"
    shutil.copytree(FIXTURE, root)
    result = run_binary(op_suite_argv(binary, root, tmp_path, "ops/add_pass",
                                      "ops/mul_bin_pass/run_module_io_flags.txt::model.mlir::cpu",
                                      "ops/xfail_run::cpu"), cwd=root)
    assert result.returncode == 0, result.output
    assert "collection error" not in result.stdout.replace("0 collection errors", "")
    assert collected_ids(result.stdout) == ["ops/add_pass::cpu", "ops/mul_bin_pass::cpu",
                                            "ops/xfail_run::cpu"]
    other_config = run_binary(op_suite_argv(binary, root, tmp_path, "ops/add_pass::gpu"),
                              cwd=root)
    assert other_config.returncode == 4, other_config.output
    assert "not found: ops/add_pass::gpu" in other_config.stderr
