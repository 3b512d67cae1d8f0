"""The reports of a run are byte-identical to the expected files in
expected_outputs/ once what depends on the clock, the host, the paths or the
measurement is replaced by placeholders (output_normaliser.py).

The rule: an output changes only on purpose, and the commit that changes it
refreshes the expected files (scripts/refresh_expected_outputs.sh, or this
file with IREE_SUITE_REFRESH_OUTPUTS=1) and says in its message why the output
changed. A refactoring never refreshes them.

Each suite runs once (with -j 1, so the console order is fixed) and every
report of that run is compared: console, job_summary.md/.json, JUnit XML, the
HTML report and results.json."""

import difflib
import os
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, _tools_dir, run_binary
from output_normaliser import normalise

EXPECTED = Path(__file__).resolve().parent / "expected_outputs"
OP_SUITE_FIXTURE = Path(__file__).resolve().parent / "op_suite_fixture"
REPO = Path(__file__).resolve().parents[2]
REFRESH = os.environ.get("IREE_SUITE_REFRESH_OUTPUTS") == "1"
REPORTS = ["console.txt", "job_summary.md", "job_summary.json", "junit.xml", "report.html",
           "results.json"]


def _run_and_normalise(binary, tmp, source, suite_args, folder=""):
    suite = tmp / "suite"
    shutil.copytree(source, suite / folder)
    summary = tmp / "summary"
    summary.mkdir()
    argv = [binary, *suite_args(suite), f"--artifact-directory={tmp / 'artifacts'}",
            f"--job-summary-path={summary}", f"--iree-tools-dir={_tools_dir()}", "-j", "1",
            f"--junitxml={tmp / 'junit.xml'}", f"--html={tmp / 'report.html'}",
            f"--results-json={tmp / 'results.json'}"]
    result = run_binary(argv, cwd=tmp)
    console = result.stdout + (f"--- stderr ---\n{result.stderr}" if result.stderr else "")
    files = {
        "console.txt": console,
        "job_summary.md": (summary / "job_summary.md").read_text(),
        "job_summary.json": (summary / "job_summary.json").read_text(),
        "junit.xml": (tmp / "junit.xml").read_text(),
        "report.html": (tmp / "report.html").read_text(),
        "results.json": (tmp / "results.json").read_text(),
    }
    tools = _tools_dir()
    paths = {"<TMP>": {str(tmp), str(tmp.resolve())},
             "<TOOLS>": {str(tools), str(tools.resolve())},
             "<REPO>": {str(REPO)}}
    return result.returncode, {name: normalise(text, name, paths) for name, text in files.items()}


@pytest.fixture(scope="module")
def examples_run(binary, tmp_path_factory):
    return _run_and_normalise(
        binary, tmp_path_factory.mktemp("examples"), EXAMPLES,
        lambda suite: [f"--test-file-directory={suite / 'examples'}",
                       f"--module-directory={suite}", f"--external-file-directory={suite}"],
        folder="examples")


@pytest.fixture(scope="module")
def op_suite_run(binary, tmp_path_factory):
    return _run_and_normalise(
        binary, tmp_path_factory.mktemp("op_suite"), OP_SUITE_FIXTURE,
        lambda suite: [f"--test-file-directory={suite}", "--config-files",
                       suite / "configs" / "cpu.json"])


def _compare(suite, name, actual):
    expected_path = EXPECTED / suite / name
    if REFRESH:
        expected_path.parent.mkdir(parents=True, exist_ok=True)
        expected_path.write_text(actual)
        return
    assert expected_path.exists(), f"{expected_path} is missing: refresh the expected outputs"
    expected = expected_path.read_text()
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            f"expected/{suite}/{name}", f"actual/{suite}/{name}"))
        pytest.fail(f"{suite}/{name} changed (refresh only on purpose):\n{diff[:6000]}")


@pytest.mark.parametrize("name", REPORTS)
def test_examples_outputs(examples_run, name):
    returncode, files = examples_run
    assert returncode == 0, files["console.txt"]
    _compare("examples", name, files[name])


@pytest.mark.parametrize("name", REPORTS)
def test_op_suite_outputs(op_suite_run, name):
    returncode, files = op_suite_run
    assert returncode == 1, files["console.txt"]
    _compare("op_suite", name, files[name])
