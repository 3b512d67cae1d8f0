"""The pytest front end: `pip install` of this repository into a fresh venv
makes pytest-iree's own command lines (the seed README's) run on the C++
engine, with the same verdicts as the iree-suite CLI."""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from conftest import (EXAMPLES, REPO, SEED_COLLECT, SEED_COMMANDS, SEED_SUITE as SUITE,
                      run_binary)


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh venv with the pinned IREE wheels, pytest and its xdist and
    timeout plugins, and this repository installed by pip."""
    root = tmp_path_factory.mktemp("plugin") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True)
    pip = [str(root / "bin" / "python"), "-m", "pip", "install", "-q",
           "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(REPO / "requirements-iree.txt"),
                    "-r", str(REPO / "requirements-plugin-test.txt")], check=True)
    # A build directory kept in build/ makes reinstalls on this machine incremental.
    subprocess.run([*pip, str(REPO), f"--config-settings=build-dir={REPO / 'build' / 'pip'}"],
                   check=True)
    return root


def venv_env(venv: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("IREE_SUITE_BINARY", "IREE_SUITE_TOOLS_DIR", "PYTEST_ADDOPTS",
                        "VIRTUAL_ENV", "CI")}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '')}"
    env["COLUMNS"] = "200"
    env.update(extra)
    return env


def pytest_in(venv: Path, cwd: Path, *args, **env):
    result = subprocess.run([str(venv / "bin" / "pytest"), *args], cwd=cwd, env=venv_env(venv, **env),
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=900)
    result.output = result.stdout + result.stderr
    return result


@pytest.fixture
def work(tmp_path) -> Path:
    """A directory holding an editable copy of the examples as ./examples."""
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    return tmp_path


def break_quality_test(work: Path):
    path = work / "examples/multi_module/multi_module_quality_cpu.json"
    test = json.loads(path.read_text())
    test["expected_outputs"] = [{"value": "8xf32=9,9,9,9,9,9,9,9"}]
    path.write_text(json.dumps(test, indent=2))


def junit_verdicts(path: Path) -> dict:
    """{iree-suite id: outcome} from a JUnit file pytest wrote."""
    verdicts = {}
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        test_id = case.find("properties/property[@name='iree_suite_id']").get("value")
        outcome = "passed"
        for tag in ("failure", "error", "skipped"):
            if case.find(tag) is not None:
                outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[tag]
        verdicts[test_id] = outcome
    return verdicts


def cli_verdicts(venv: Path, work: Path, args, tmp: Path):
    """The iree-suite CLI's exit status and {id: outcome} on the same suite."""
    results = tmp / "cli-results.json"
    results.unlink(missing_ok=True)
    argv = [str(venv / "bin" / "iree-suite"), *args, "--artifact-directory=./artifacts",
            f"--job-summary-path={tmp}", f"--results-json={results}"]
    done = subprocess.run(argv, cwd=work, env=venv_env(venv), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=900)
    verdicts = {}
    if results.exists():
        verdicts = {t["id"]: t["outcome"] for t in json.loads(results.read_text())["tests"]}
    return done.returncode, verdicts


def test_pip_install_puts_engine_and_plugin_in_the_venv(venv, tmp_path):
    assert (venv / "bin" / "iree-suite").is_file()
    info = subprocess.run([str(venv / "bin" / "iree-suite"), "engine-info"], capture_output=True,
                          text=True, check=True)
    assert json.loads(info.stdout)["protocol"] >= 1
    help_text = pytest_in(venv, tmp_path, "--help").stdout
    for flag in ["--test-file-directory", "--module-directory", "--external-file-directory",
                 "--artifact-directory", "--force-recompile", "--cache-modules",
                 "--job-summary-path"]:
        assert flag in help_text, flag
    # Without --test-file-directory the plugin stays out of the way.
    (tmp_path / "test_plain.py").write_text("def test_plain():\n    assert True\n")
    plain = pytest_in(venv, tmp_path, "-q", "test_plain.py")
    assert plain.returncode == 0, plain.output
    assert "1 passed" in plain.stdout


@pytest.mark.parametrize("name", sorted(SEED_COMMANDS))
def test_seed_command_gives_the_cli_verdicts(venv, work, tmp_path, name):
    break_quality_test(work)  # so that the verdicts include a failure
    junit = tmp_path / "pytest.xml"
    result = pytest_in(venv, work, *SEED_COMMANDS[name], PYTEST_ADDOPTS=f"--junitxml={junit}")
    cli_code, cli = cli_verdicts(venv, work, SEED_COMMANDS[name], tmp_path)
    assert result.returncode == cli_code, result.output
    assert junit_verdicts(junit) == cli, result.output
    if name == "all":
        assert cli["multi_module/multi_module_quality_cpu.json"] == "failed"
        assert len(cli) == 8 and list(cli.values()).count("passed") == 7
        # The job summary is the engine's, in ./ as pytest-iree writes it.
        summary = json.loads((work / "job_summary.json").read_text())
        cli_summary = json.loads((tmp_path / "job_summary.json").read_text())
        assert list(summary) == list(cli_summary)
        for kind in summary:
            assert summary[kind]["headers"] == cli_summary[kind]["headers"]
            assert ([(row[0], row[-1]) for row in summary[kind]["rows"]] ==
                    [(row[0], row[-1]) for row in cli_summary[kind]["rows"]])
        assert (work / "job_summary.md").read_text().startswith("# Job Summary For Markers: \n")
        # --log-cli-level=info: the live log shows each tool command.
        assert re.search(r"INFO .*mlp/mlp_quality_cpu\.json: cd \S+ && \S+iree-run-module ",
                         result.stdout), result.stdout
    if name == "hip_and_benchmark":
        assert result.returncode == 5 and cli == {}


def test_positional_suite_directory_as_iree_ci_passes_it(venv, work, tmp_path):
    # The seed's "external directory" command (and IREE's CI): pytest <suite dir> --test-file-...
    examples = work / "examples"
    junit = tmp_path / "pytest.xml"
    result = pytest_in(venv, work, "examples", f"--test-file-directory={examples}",
                       f"--module-directory={work}", f"--external-file-directory={work}",
                       "--log-cli-level=info", "-m", "quality", f"--junitxml={junit}")
    assert result.returncode == 0, result.output
    assert set(junit_verdicts(junit)) == {"mlp/mlp_quality_cpu.json",
                                          "multi_module/multi_module_quality_cpu.json",
                                          "params/splat_quality_cpu.json"}
    # A positional path inside the suite restricts collection, as in pytest.
    one = pytest_in(venv, work, "examples/mlp", *SUITE, "-q", "-m", "quality")
    assert one.returncode == 0, one.output
    assert "1 passed, 4 deselected" in one.stdout, one.stdout


def collected_ids(output: str) -> list:
    ids = []
    for line in output.splitlines():
        match = re.match(r"^examples/(\S+\.json)::\S+$", line)
        if match:
            ids.append(match.group(1))
    return ids


@pytest.mark.parametrize("expression", ["hip or cpu", "cpu and not benchmark", "compstat",
                                        "quick or (hip and not gfx942)", "llvm-cpu"])
def test_collect_only_selection_equals_the_cli(venv, work, expression):
    args = [*SUITE, "-m", expression, "--collect-only"]
    result = pytest_in(venv, work, *args, "-q", "--strict-markers")
    assert result.returncode == 0, result.output
    cli = run_binary([venv / "bin" / "iree-suite", *args], cwd=work)
    cli_ids = [line.split()[0] for line in cli.stdout.splitlines() if line.endswith("]")]
    assert collected_ids(result.stdout) == cli_ids
    assert cli_ids


def test_seed_collect_only_command_lists_the_cli_selection(venv, work):
    result = pytest_in(venv, work, *SEED_COLLECT, PYTEST_ADDOPTS="-q")
    assert result.returncode == 0, result.output
    cli = run_binary([venv / "bin" / "iree-suite", *SEED_COLLECT], cwd=work)
    cli_ids = [line.split()[0] for line in cli.stdout.splitlines() if line.endswith("]")]
    assert collected_ids(result.stdout) == cli_ids and len(cli_ids) == 7
    assert not (work / "artifacts").exists()  # collecting runs nothing


def test_collect_only_on_iree_torch_models_equals_the_cli(venv, corpus, tmp_path):
    suite = corpus / "iree-torch-models"
    args = [f"--test-file-directory={suite}", f"--module-directory={suite}",
            f"--external-file-directory={tmp_path}", "--collect-only"]
    for expression in ["hip and mi325", "cpu", "compstat and not gfx942"]:
        result = pytest_in(venv, tmp_path, *args, "-m", expression, "-q")
        assert result.returncode == 0, result.output
        ids = [re.sub(r"::.*$", "", line) for line in result.stdout.splitlines()
               if "::" in line]
        cli = run_binary([venv / "bin" / "iree-suite", *args, "-m", expression], cwd=tmp_path)
        cli_ids = [line.split()[0] for line in cli.stdout.splitlines() if line.endswith("]")]
        # Outside the rootdir, pytest names nodes from the suite directory: as the CLI does.
        assert ids == cli_ids, result.stdout
        assert cli_ids


def test_failing_test_report_and_junit(venv, work, tmp_path):
    break_quality_test(work)
    junit = tmp_path / "out.xml"
    result = pytest_in(venv, work, *SUITE, "-rA", "-m", "cpu", f"--junitxml={junit}",
                       "--durations=0")
    assert result.returncode == 1, result.output
    # The engine's reason, the tool's own mismatch line and the command to rerun it.
    assert "quality: multi_module/multi_module_quality_cpu.json" in result.stdout
    assert re.search(r"\[FAILED\] result\[0\]: element at index 0 \(.*\) does not match the "
                     r"expected \(9\)", result.stdout)
    repro = re.search(r"^cd (\S+) && \S+/iree-run-module --module=\S+\.vmfb --module=\S+\.vmfb "
                      r".*--expected_output=8xf32=9,9,9,9,9,9,9,9", result.stdout, re.M)
    assert repro and repro.group(1) == str(work), result.stdout
    assert re.search(r"^FAILED examples/multi_module/multi_module_quality_cpu\.json::"
                     r"multi_module_quality_cpu\.json - \[FAILED\] result\[0\]",
                     result.stdout, re.M), result.stdout
    assert "slowest durations" in result.stdout
    # Valid JUnit: one testcase per test, the failure holding the repro command.
    root = ElementTree.parse(junit).getroot()
    suite = root.find("testsuite")
    cases = list(suite.iter("testcase"))
    assert int(suite.get("tests")) == len(cases) == 6
    assert int(suite.get("failures")) == 1
    failed = [c for c in cases if c.find("failure") is not None]
    assert len(failed) == 1
    assert re.search(r"cd \S+ && \S+iree-run-module ", failed[0].find("failure").text)
    assert failed[0].find("failure").get("message").startswith("[FAILED] result[0]")
    assert all(float(c.get("time")) < 60 for c in cases)


def test_k_x_and_last_failed(venv, work, tmp_path):
    break_quality_test(work)
    # -x: the failing quality test is the second of -k quality; the third never runs.
    first = pytest_in(venv, work, *SUITE, "-x", "-k", "quality", "-v")
    assert first.returncode == 1, first.output
    assert "stopping after 1 failures" in first.stdout
    assert "1 failed, 1 passed" in first.stdout
    assert "splat_quality_cpu.json PASSED" not in first.stdout
    # --lf: only what failed.
    junit = tmp_path / "lf.xml"
    again = pytest_in(venv, work, *SUITE, "--lf", f"--junitxml={junit}")
    assert again.returncode == 1, again.output
    assert junit_verdicts(junit) == {"multi_module/multi_module_quality_cpu.json": "failed"}


def test_xdist_and_timeout(venv, work, tmp_path):
    # A benchmark that would run for a minute; --timeout (pytest-timeout) stops it.
    path = work / "examples/mlp/mlp_benchmark_cpu.json"
    test = json.loads(path.read_text())
    test["run_args"] = ["--device=local-task", "--function=forward", "--benchmark_min_time=60s"]
    path.write_text(json.dumps(test, indent=2))
    junit = tmp_path / "xdist.xml"
    result = pytest_in(venv, work, *SUITE, "-n", "2", "--timeout=5", "-rf",
                       f"--junitxml={junit}")
    assert result.returncode == 1, result.output
    assert "2 workers" in result.stdout
    assert re.search(r"iree-benchmark-module timed out after 5\.\d s", result.stdout), result.stdout
    verdicts = junit_verdicts(junit)
    assert verdicts.pop("mlp/mlp_benchmark_cpu.json") == "failed"
    assert set(verdicts.values()) == {"passed"} and len(verdicts) == 7
    # The workers' job summaries merge into the CLI's layout, in the CLI's order.
    summary = json.loads((work / "job_summary.json").read_text())
    assert [row[0] for row in summary["compstat"]["rows"]] == [
        "mlp/mlp_compstat_cpu.json", "mlp/mlp_compstat_gfx942.json", "mlp/mlp_compstat_sm80.json"]
    assert summary["benchmark"]["rows"][0][0] == "mlp/mlp_benchmark_cpu.json"
    assert summary["benchmark"]["rows"][0][-1] == "FAILED"
    # Each module was compiled once although two workers needed it.
    # (The entry's folder carries a hash of the module name, CacheLayout's EntryName.)
    entries = (work / "artifacts/modules").glob("examples_modules_mlp_cpu+*/*/module.vmfb")
    assert len(list(entries)) == 1
    # The session is one run of the history with every item's result, not
    # one run per item (each worker starts an engine per item).
    with sqlite3.connect(work / "artifacts/history.sqlite") as history:
        assert history.execute("SELECT count(*), sum(test_count) FROM runs").fetchone() == (1, 8)
        outcomes = dict(history.execute(
            "SELECT t.name, r.outcome FROM results r JOIN tests t ON t.id = r.test_id"))
    assert outcomes.pop("mlp/mlp_benchmark_cpu.json") == "failed"
    assert set(outcomes.values()) == {"passed"} and len(outcomes) == 7


def test_collection_error_names_file_and_field(venv, work):
    (work / "examples/broken.json").write_text('{"type": "quality", "markers": "cpu"}')
    result = pytest_in(venv, work, *SUITE)
    assert result.returncode == 2, result.output
    assert "ERROR collecting examples/broken.json" in result.stdout
    assert re.search(r"broken\.json: markers: expected an array of strings", result.stdout)


def test_missing_or_old_engine_stops_pytest_in_one_line(venv, work, tmp_path):
    missing = pytest_in(venv, work, *SUITE, IREE_SUITE_BINARY=str(tmp_path / "nope"))
    assert missing.returncode == 4
    assert [line for line in missing.output.splitlines() if line.strip()] == [
        f"ERROR: iree-suite: $IREE_SUITE_BINARY={tmp_path / 'nope'} is not an executable file"]
    # An engine from before the plugin protocol: it knows no `engine-info`.
    old = tmp_path / "iree-suite-old"
    old.write_text("#!/bin/sh\necho 'iree-suite: error: unknown argument' >&2\nexit 4\n")
    old.chmod(0o755)
    too_old = pytest_in(venv, work, *SUITE, IREE_SUITE_BINARY=str(old))
    assert too_old.returncode == 4
    lines = [line for line in too_old.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "too old for this pytest plugin" in lines[0], too_old.output


def test_engine_that_cannot_run_fails_items_with_its_message(venv, work, tmp_path):
    empty = tmp_path / "no-tools"
    empty.mkdir()
    result = pytest_in(venv, work, *SUITE, "-m", "quality", f"--iree-tools-dir={empty}")
    assert result.returncode == 1, result.output
    assert "3 failed" in result.stdout
    assert "engine exit status 4" in result.stdout
    assert "cannot find the IREE tool 'iree-compile'" in result.stdout


def test_history_arguments_are_told_apart_from_the_other_engine_arguments():
    # Under xdist the workers' engines get the others (and --no-history); the
    # controller records the session with these.
    sys.path.insert(0, str(REPO / "python"))
    from iree_suite_pytest.plugin import _split_history_args
    assert _split_history_args(["--offline", "--history", "postgresql://h/db", "-v",
                                "--history=x.sqlite", "--no-history"]) == (
        ["--offline", "-v"], ["--history", "postgresql://h/db", "--history=x.sqlite",
                              "--no-history"])


def test_xdist_merges_native_reports_and_nothing_selected_is_no_error(venv, work):
    # Under -n 2 each item runs in an engine of its own: the HTML report,
    # results file and trace asked for cover every item, not the last one.
    result = pytest_in(venv, work, *SUITE, "-n", "2", "--iree-suite-arg=--html=out/report.html",
                       "--iree-suite-arg=--results-json", "--iree-suite-arg=out/results.json",
                       "--iree-suite-arg=--trace=out/trace.json")
    assert result.returncode == 0, result.output
    tests = json.loads((work / "out/results.json").read_text())["tests"]
    assert len(tests) == 8
    html = (work / "out/report.html").read_text()
    assert all(f">{test['id']}<" in html for test in tests)
    events = json.loads((work / "out/trace.json").read_text())["traceEvents"]
    assert {e["args"]["test"] for e in events if e.get("cat") == "run"} == {
        t["id"] for t in tests if t["type"] == "quality"}
    # A marker expression selecting nothing is not an error, and the previous
    # run's job summary is replaced, with and without xdist.
    for xdist in ([], ["-n", "2"]):
        (work / "job_summary.md").write_text("stale\n")
        nothing = pytest_in(venv, work, *SUITE, *xdist, "-m", "hip and benchmark")
        assert "merge-reports failed" not in nothing.output, nothing.output
        assert (work / "job_summary.md").read_text().startswith(
            "# Job Summary For Markers: hip and benchmark\n"), nothing.output
