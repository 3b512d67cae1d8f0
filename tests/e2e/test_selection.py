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


def reference_rows(definition, name):
    """What the reference's get_test_summary gives for a test it never ran."""
    if definition["type"] == "benchmark":
        golden = definition.get("golden_time_ms")
        factor = definition.get("tolerance_factor", 1.1)
        return [name, "N/A", f"{golden:.3f}" if golden is not None else "N/A", f"{factor}",
                f"{golden * factor:.3f}" if golden is not None else "N/A", "N/A"]
    if definition["type"] == "compstat":
        return [name, definition.get("golden_dispatch_count", "N/A"), "N/A",
                definition.get("golden_binary_size", "N/A"), "N/A", "N/A"]
    return [name, "N/A"]


HEADERS = {
    "benchmark": ["Name", "Current Time (ms)", "Golden Time (ms)", "Tolerance Factor",
                  "Threshold (ms)", "Status"],
    "compstat": ["Name", "Golden Dispatch Count", "Current Dispatch Count",
                 "Golden Binary Size (bytes)", "Current Binary Size (bytes)", "Status"],
}


def test_collect_only_job_summary_json_is_the_references_byte_for_byte(example_suite):
    import json

    example_suite.edit("mlp/mlp_benchmark_cpu.json", tolerance_factor=2)
    example_suite.edit("mlp/mlp_compstat_cpu.json", golden_dispatch_count=100.0,
                       golden_binary_size=5e7)
    ids = ["mlp/mlp_benchmark_cpu.json", "mlp/mlp_compstat_cpu.json",
           "multi_module/multi_module_benchmark_cpu.json"]
    result = example_suite.run("--co", *ids, cwd=example_suite.root)
    assert result.returncode == 0, result.output
    summaries = {}
    for test_id in ids:
        definition = json.loads((example_suite.root / test_id).read_text())
        table = summaries.setdefault(definition["type"],
                                     {"headers": HEADERS[definition["type"]], "rows": []})
        table["rows"].append(reference_rows(definition, test_id))
    written = (example_suite.summary_dir / "job_summary.json").read_text()
    # The reference: json.dump(summaries, json_file, indent=2).
    assert written == json.dumps(summaries, indent=2)
    assert '"2",' in written and "100.0," in written and "50000000.0," in written


def test_usage_errors_after_collection_still_write_the_job_summary(example_suite):
    # As the reference's pytest_sessionfinish: a bad -m leaves every collected
    # test as an N/A row, a missing path an empty summary; stale ones are replaced.
    summary = example_suite.summary_dir / "job_summary.md"
    summary.write_text("stale")
    bad = example_suite.run("-m", "cpu and (", "mlp/mlp_quality_cpu.json",
                            cwd=example_suite.root)
    assert bad.returncode == 4, bad.output
    assert summary.read_text() == (
        "# Job Summary For Markers: cpu and (\n\n## Quality Test Summary\n\n"
        "| Name                     | Status   |\n"
        "|--------------------------|----------|\n"
        "| mlp/mlp_quality_cpu.json | N/A      |\n\n")
    missing = example_suite.run("-m", "cpu", "mlp/nope.json", cwd=example_suite.root)
    assert missing.returncode == 4, missing.output
    assert summary.read_text() == "# Job Summary For Markers: cpu\n\n"
    assert (example_suite.summary_dir / "job_summary.json").read_text() == "{}"


def test_junit_records_each_collection_error_as_an_error_testcase(example_suite, tmp_path):
    import xml.etree.ElementTree as ET

    (example_suite.root / "mlp" / "broken.json").write_text("{not json")
    (example_suite.root / "mlp" / "untyped.json").write_text('{"type": "qualty", "markers": []}')
    junit = tmp_path / "junit.xml"
    result = example_suite.run("-k", "no_such_test", f"--junitxml={junit}")
    assert result.returncode == 2, result.output
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite.get("errors") == "2" and suite.get("tests") == "2"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"mlp/broken.json", "mlp/untyped.json"}
    error = cases["mlp/untyped.json"].find("error")
    assert error.get("message") == "collection failure"
    assert "unknown test type \"qualty\"" in error.text


def test_colour_as_pytest_decides_it(example_suite):
    import os

    green_passed = "\x1b[32mPASSED\x1b[0m"
    base = {k: v for k, v in os.environ.items()
            if k not in ("NO_COLOR", "FORCE_COLOR", "PY_COLORS")}

    def run(*args, **env):
        return example_suite.run("-k", "mlp_compstat_cpu", "-rA", *args, env={**base, **env})

    piped = run()
    assert piped.returncode == 0, piped.output
    assert "\x1b[" not in piped.stdout  # none in a pipe
    forced = run("--color=yes")
    assert f"mlp/mlp_compstat_cpu.json {green_passed} [100%]" in forced.stdout
    assert f"{green_passed} mlp/mlp_compstat_cpu.json" in forced.stdout  # short summary
    assert re.search(r"\x1b\[32;1m=+ 1 passed, \d+ deselected in", forced.stdout)
    assert green_passed in run(FORCE_COLOR="1").stdout
    assert green_passed in run(PY_COLORS="1", NO_COLOR="1").stdout
    assert "\x1b[" not in run(FORCE_COLOR="1", NO_COLOR="1").stdout
    assert "\x1b[" not in run("--color=no", PY_COLORS="1").stdout
