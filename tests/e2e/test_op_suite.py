"""The operator-suite format (config files + test folders) end to end, on the
hand-written fixture in op_suite_fixture/."""

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import _tools_dir, run_binary, verdicts

FIXTURE = Path(__file__).resolve().parent / "op_suite_fixture"

# Every collected test of configs/cpu.json and its verdict (ops/skipped is in
# skip_compile_tests and is never collected).
VERDICTS = {
    "ops/add_pass::cpu": "PASSED",
    "ops/compile_error::cpu": "FAILED",
    "ops/compile_only::cpu": "PASSED",  # wrong expected output, but never run
    "ops/mul_bin_pass::cpu": "PASSED",
    "ops/wrong_output::cpu": "FAILED",
    "ops/run_listed_compile_error::cpu": "FAILED",  # only a run failure was expected
    "ops/xfail_compile::cpu": "XFAIL",
    "ops/xfail_run::cpu": "XFAIL",
    "ops/xpass_compile::cpu": "XPASS",  # compiles and runs: off the list
    "ops/xpass_compile_run_fails::cpu": "XPASS",  # compiles, fails to run: other list
    "ops/xpass_run::cpu": "XPASS",
}


class OpSuite:
    def __init__(self, tmp: Path, binary: Path):
        self.root = tmp / "suite"
        shutil.copytree(FIXTURE, self.root)
        self.config = self.root / "configs" / "cpu.json"
        self.tmp = tmp
        self.binary = binary

    def run(self, *args, configs=None, env=None):
        argv = [self.binary, f"--test-file-directory={self.root}",
                f"--artifact-directory={self.tmp / 'artifacts'}",
                f"--job-summary-path={self.tmp}", f"--iree-tools-dir={_tools_dir()}"]
        if configs is None:
            configs = [self.config]
        if configs:
            argv += ["--config-files", *configs]
        return run_binary(argv + list(args), cwd=self.tmp, env=env)


@pytest.fixture
def op_suite(tmp_path, binary):
    return OpSuite(tmp_path, binary)


def closing_line(output):
    return [line for line in output.splitlines() if line.startswith("=")][-1]


def test_every_verdict_console_and_junit(op_suite):
    junit = op_suite.tmp / "junit.xml"
    result = op_suite.run(f"--junitxml={junit}", "-j", "2")
    assert result.returncode == 1, result.output
    assert verdicts(result.stdout) == VERDICTS
    assert "3 failed, 3 passed, 2 xfailed, 3 xpassed in" in closing_line(result.stdout)
    assert "ops/skipped" not in result.stdout
    assert "passed although listed in expected_run_failures" in result.stdout
    assert re.search(r"compiled and ran although listed in expected_compile_failures of \S+cpu"
                     r"\.json: remove it from that list", result.stdout)
    assert re.search(r"compiled although listed in expected_compile_failures of \S+cpu\.json, "
                     r"then failed to run: move it to expected_run_failures", result.stdout)

    cases = {case.get("name"): case for case in ET.parse(junit).getroot().iter("testcase")}
    assert set(cases) == set(VERDICTS)
    for test_id, verdict in VERDICTS.items():
        children = {child.tag for child in cases[test_id]} - {"properties", "system-out"}
        expected = {"PASSED": set(), "FAILED": {"failure"}, "XFAIL": {"skipped"},
                    "XPASS": {"failure"}}[verdict]
        assert children == expected, (test_id, children)

    # The job summary uses the same vocabulary.
    summary = json.loads((op_suite.tmp / "job_summary.json").read_text())
    statuses = {row[0]: row[-1] for table in summary.values() for row in table["rows"]}
    assert statuses == {test_id: {"XFAIL": "XFAILED", "XPASS": "XPASSED"}.get(v, v)
                        for test_id, v in VERDICTS.items()}


def test_collect_only_markers_and_selection(op_suite):
    result = op_suite.run("--collect-only")
    assert result.returncode == 0, result.output
    assert "ops/add_pass::cpu  [cpu, op_suite, add_pass]" in result.stdout
    assert "11 selected, 0 deselected, 0 collection errors" in result.stdout

    result = op_suite.run("--collect-only", "-m", "add_pass or xfail_run", "-k", "not xfail")
    assert result.returncode == 0, result.output
    assert re.search(r"^1 selected, 10 deselected", result.stdout, re.M), result.stdout
    # Positional paths restrict the folders.
    result = op_suite.run("--collect-only", str(op_suite.root / "ops" / "mul_bin_pass"))
    assert result.returncode == 0, result.output
    # Anchored at the line start: "11 selected" must not satisfy it.
    assert re.search(r"^1 selected, 0 deselected", result.stdout, re.M), result.stdout
    assert "ops/mul_bin_pass::cpu" in result.stdout
    assert "ops/add_pass::cpu" not in result.stdout


def test_module_and_external_directories_not_required(op_suite):
    result = op_suite.run("-k", "add_pass")
    assert result.returncode == 0, result.output
    assert verdicts(result.stdout) == {"ops/add_pass::cpu": "PASSED"}


def test_ignore_xfails(op_suite):
    result = op_suite.run("--ignore-xfails")
    expected = dict(VERDICTS)
    expected.update({"ops/xfail_compile::cpu": "FAILED", "ops/xfail_run::cpu": "FAILED",
                     "ops/xpass_run::cpu": "PASSED", "ops/xpass_compile::cpu": "PASSED",
                     "ops/xpass_compile_run_fails::cpu": "FAILED"})
    assert verdicts(result.stdout) == expected
    assert "6 failed, 5 passed in" in closing_line(result.stdout)


def test_skip_all_runs(op_suite):
    result = op_suite.run("--skip-all-runs")
    expected = {test_id: "PASSED" for test_id in VERDICTS}
    expected.update({"ops/compile_error::cpu": "FAILED", "ops/xfail_compile::cpu": "XFAIL",
                     "ops/run_listed_compile_error::cpu": "FAILED",
                     "ops/xpass_compile::cpu": "XPASS",
                     "ops/xpass_compile_run_fails::cpu": "XPASS"})
    assert verdicts(result.stdout) == expected
    assert "2 failed, 6 passed, 1 xfailed, 2 xpassed in" in closing_line(result.stdout)


def test_config_files_from_environment(op_suite):
    second = op_suite.root / "configs" / "second.json"
    second.write_text(json.dumps({
        "config_name": "second",
        "iree_compile_flags": ["--iree-hal-target-device=local",
                               "--iree-hal-local-target-device-backends=llvm-cpu",
                               "--iree-llvmcpu-target-cpu=generic"],
        "iree_run_module_flags": ["--device=local-sync"],
    }))
    env = dict(os.environ, IREE_TEST_CONFIG_FILES=f"{op_suite.config};{second}")
    result = op_suite.run("--collect-only", configs=[], env=env)
    assert result.returncode == 0, result.output
    ids = [line.split()[0] for line in result.stdout.splitlines() if "::" in line]
    # Folders in sorted order, configs in the given order within each folder.
    assert ids[:3] == ["ops/add_pass::cpu", "ops/add_pass::second", "ops/compile_error::cpu"]
    assert "ops/skipped::second" in ids and "ops/skipped::cpu" not in ids
    assert "23 selected" in result.stdout

    result = op_suite.run("-k", "add_pass", configs=[], env=env)
    assert verdicts(result.stdout) == {"ops/add_pass::cpu": "PASSED",
                                       "ops/add_pass::second": "PASSED"}


def test_json_suites_still_require_module_directory(op_suite):
    result = run_binary([op_suite.binary, f"--test-file-directory={op_suite.root}",
                         f"--module-directory={op_suite.root}"], cwd=op_suite.tmp)
    assert result.returncode == 4
    assert "--external-file-directory is required" in result.stderr


@pytest.mark.parametrize("body, field, message", [
    ('{"iree_compile_flags": [], "iree_run_module_flags": []}', "config_name", "required"),
    ('{"config_name": 3, "iree_compile_flags": [], "iree_run_module_flags": []}',
     "config_name", "non-empty string"),
    ('{"config_name": "x", "iree_run_module_flags": []}', "iree_compile_flags", "required"),
    ('{"config_name": "x", "iree_compile_flags": ["a", 1], "iree_run_module_flags": []}',
     "iree_compile_flags[1]", "expected a string"),
    ('{"config_name": "x", "iree_compile_flags": [], "iree_run_module_flags": [],\n'
     ' "skip_run_tests": "ops/add_pass"}', "skip_run_tests", "array of strings"),
])
def test_config_validation_errors_name_file_and_field(op_suite, body, field, message):
    bad = op_suite.root / "configs" / "bad.json"
    bad.write_text(body)
    result = op_suite.run("--collect-only", configs=[bad, op_suite.config])
    assert result.returncode == 2, result.output
    line = next(line for line in result.output.splitlines() if str(bad) in line)
    assert f"{bad}: {field}: " in line and message in line, line
    # The valid config's tests are still collected.
    assert "11 selected" in result.stdout


def test_config_syntax_error_has_line_and_unknown_folder_warns(op_suite):
    bad = op_suite.root / "configs" / "bad.json"
    bad.write_text('{\n  // comment\n  "config_name": "x",,\n}')
    result = op_suite.run("--collect-only", configs=[bad])
    assert result.returncode == 2
    assert f"{bad}: invalid JSON at line 3" in result.output

    text = op_suite.config.read_text().replace('"ops/xfail_run",', '"ops/xfail_run", "ops/gone",')
    op_suite.config.write_text(text)
    result = op_suite.run("--collect-only")
    assert result.returncode == 0, result.output
    assert "expected_run_failures[2]" in result.output
    assert '"ops/gone" is not a test folder' in result.output


def config_lists(text):
    """The two expected-failure lists of a config (JSON with comments and trailing commas)."""
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r",(\s*[\]}])", r"\1", text)
    config = json.loads(text)
    return config.get("expected_compile_failures"), config.get("expected_run_failures")


def outside_lists(text):
    """The config's text with the two lists' values cut out."""
    return re.sub(r'("expected_(?:compile|run)_failures": )\[[^\]]*\]', r"\1[]", text)


def test_update_xfails_round_trip(op_suite):
    results = op_suite.tmp / "results.json"
    first = op_suite.run(f"--results-json={results}")
    assert first.returncode == 1
    before = op_suite.config.read_text()
    steps = {t["id"]: t["failed_step"] for t in json.loads(results.read_text())["tests"]}
    assert steps["ops/compile_error::cpu"] == "compile"
    assert steps["ops/wrong_output::cpu"] == "run"
    assert steps["ops/xpass_compile_run_fails::cpu"] == "run"
    assert steps["ops/add_pass::cpu"] is None

    dry = run_binary([op_suite.binary, "update-xfails", "--results-json", results,
                      op_suite.config])
    assert dry.returncode == 0, dry.output
    for change in ["expected_compile_failures: + ops/compile_error",
                   "expected_compile_failures: + ops/run_listed_compile_error",
                   "expected_compile_failures: - ops/xpass_compile",
                   "expected_compile_failures: - ops/xpass_compile_run_fails",
                   "expected_run_failures: + ops/wrong_output",
                   "expected_run_failures: + ops/xpass_compile_run_fails",
                   "expected_run_failures: - ops/run_listed_compile_error",
                   "expected_run_failures: - ops/xpass_run"]:
        assert change in dry.stdout, (change, dry.stdout)
    assert "dry run" in dry.stdout
    assert op_suite.config.read_text() == before

    wrote = run_binary([op_suite.binary, "update-xfails", "--results-json", results,
                        op_suite.config, "--write"])
    assert wrote.returncode == 0, wrote.output
    after = op_suite.config.read_text()
    # Only the two lists changed, kept sorted; every other byte stays.
    assert config_lists(after) == (
        ["ops/compile_error", "ops/run_listed_compile_error", "ops/xfail_compile"],
        ["ops/wrong_output", "ops/xfail_run", "ops/xpass_compile_run_fails"])
    assert outside_lists(after) == outside_lists(before)

    second = op_suite.run()
    assert second.returncode == 0, second.output
    found = verdicts(second.stdout)
    assert set(found.values()) == {"PASSED", "XFAIL"}
    assert "5 passed, 6 xfailed in" in closing_line(second.stdout)

    again = run_binary([op_suite.binary, "update-xfails", "--results-json", results,
                        op_suite.config])
    assert "no changes" in again.stdout


def test_update_xfails_bad_config_is_a_data_error(op_suite):
    # A config that is missing or malformed is bad input (exit 4), not an
    # internal error (3); the other configs are still updated.
    results = op_suite.tmp / "results.json"
    results.write_text(json.dumps({"schema": "iree-suite-results", "version": 1, "tests": []}))
    missing = op_suite.root / "configs" / "missing.json"
    broken = op_suite.root / "configs" / "broken.json"
    broken.write_text('{"config_name": ')
    for config in (missing, broken):
        result = run_binary([op_suite.binary, "update-xfails", "--results-json", results,
                             op_suite.config, config])
        assert result.returncode == 4, result.output
        assert str(config) in result.stderr
