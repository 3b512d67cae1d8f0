"""Benchmark history: runs record themselves, `history import|show|changes`
and `update-goldens --from-history` (expected figures computed with numpy)."""

import json
import math
import sqlite3

import numpy as np
import pytest

from conftest import run_binary
from postgres_server import PostgresServer, server_binaries


def results_doc(index, tests, commit, version=1, run_id=True):
    """A results.json of run `index` (one day apart) with {id: (min_ms, outcome)}."""
    context = {
        "iree_suite_version": "0.1.0",
        "tools": [{"name": "iree-compile", "path": "/x/iree-compile",
                   "version": f"3.13.0 @ commit{commit:04d}"}],
        "host_name": "ci-1", "cpu_model": "CPU", "core_count": 4,
        "load_average": [0.1, 0.1, 0.1],
        "start_time": f"2025-{1 + index // 28:02d}-{1 + index % 28:02d}T08:00:00Z",
        "suite_git_commit": None,
        "ci": {"GITHUB_SHA": f"sha{index}", "GITHUB_REF": "refs/pull/7/merge"},
    }
    if run_id:
        context["run_id"] = f"run{index}"
    entries = []
    for test_id, (value, outcome) in tests.items():
        samples = [value, value * 1.01, value * 1.02]
        entries.append({
            "id": test_id, "type": "benchmark", "markers": ["cpu", "benchmark"],
            "outcome": outcome, "reason": "", "failed_step": None, "duration_s": 1.0,
            "benchmark": {"unit": "ms", "samples": samples, "golden_time_ms": 10.0,
                          "tolerance_factor": 1.1, "threshold_ms": 11.0},
        })
    return {"schema": "iree-suite-results", "version": version, "context": context,
            "tests": entries}


def step_history(tmp_path, runs=40, step_at=20):
    """`step.json` goes from ~10 ms to ~12 ms at run `step_at`; `flat.json` stays
    at ~5 ms and fails once, then passes on the same compiler."""
    rng = np.random.default_rng(7)
    values = {"step.json": [], "flat.json": []}
    files = []
    for i in range(runs):
        step = (10.0 if i < step_at else 12.0) * (1 + 0.01 * rng.standard_normal())
        flat = 5.0 * (1 + 0.01 * rng.standard_normal())
        values["step.json"].append(round(step, 4))
        values["flat.json"].append(round(flat, 4))
        flat_outcome = "failed" if i == 5 else "passed"
        commit = 5 if i == 6 else i  # run 6 reran run 5's compiler
        doc = results_doc(i, {"step.json": (values["step.json"][-1], "passed"),
                              "flat.json": (values["flat.json"][-1], flat_outcome)}, commit)
        path = tmp_path / f"results_{i:03d}.json"
        path.write_text(json.dumps(doc))
        files.append(path)
    return files, values


def history(binary, *args):
    return run_binary([binary, "history", *[str(a) for a in args]])


def test_import_is_idempotent_and_show_reports_the_distribution(binary, tmp_path):
    files, values = step_history(tmp_path)
    db = tmp_path / "h.sqlite"
    first = history(binary, "import", f"--history={db}", *files)
    assert first.returncode == 0, first.output
    assert "imported 40 runs, 0 already" in first.stdout
    again = history(binary, "import", f"--history={db}", *files)
    assert "imported 0 runs, 40 already" in again.stdout, again.output
    assert sqlite3.connect(db).execute("SELECT count(*) FROM runs").fetchone()[0] == 40

    shown = history(binary, "show", f"--history={db}", "--json")
    assert shown.returncode == 0, shown.output
    report = json.loads(shown.stdout)
    assert report["runs"] == 40
    tests = {t["id"]: t for t in report["tests"]}
    step = tests["step.json"]
    expected = np.array(values["step.json"])
    assert step["n"] == 40
    assert math.isclose(step["mean_ms"], expected.mean(), rel_tol=1e-9)
    assert math.isclose(step["p50_ms"], np.percentile(expected, 50), rel_tol=1e-9)
    assert math.isclose(step["p95_ms"], np.percentile(expected, 95), rel_tol=1e-9)
    assert math.isclose(step["max_ms"], expected.max(), rel_tol=1e-9)
    assert math.isclose(step["cv"], expected.std(ddof=1) / expected.mean(), rel_tol=1e-9)
    assert math.isclose(step["golden_failure_rate"], float((expected > 11.0).mean()))
    # flat.json failed on run 5 and passed on run 6, the same compiler.
    assert tests["flat.json"]["failures"] == 1
    assert tests["flat.json"]["failed_then_passed"] == 1

    table = history(binary, "show", f"--history={db}", "-k", "step", "--last", "10")
    assert table.returncode == 0, table.output
    line = next(l for l in table.stdout.splitlines() if l.startswith("step.json"))
    assert line.split()[1:3] == ["10", "10"]  # runs, n
    assert "flat.json" not in table.stdout
    assert any(c in line for c in "▁▂▃▄▅▆▇█")


def test_changes_finds_the_step_and_gates_on_it(binary, tmp_path):
    files, _ = step_history(tmp_path)
    db = tmp_path / "h.sqlite"
    assert history(binary, "import", f"--history={db}", *files).returncode == 0
    changes = history(binary, "changes", f"--history={db}", "--json", "--fail-on-regression")
    assert changes.returncode == 1, changes.output
    report = json.loads(changes.stdout)
    assert [t["id"] for t in report["tests"]] == ["step.json"]
    (change,) = report["tests"][0]["changes"]
    assert change["direction"] == "regression"
    assert change["last_before"]["compiler_commit"] == "commit0019"
    assert change["first_after"]["compiler_commit"] == "commit0020"
    assert 0.17 < change["relative_change"] < 0.23
    assert change["p_value"] <= 0.01
    # Deterministic for a seed.
    assert history(binary, "changes", f"--history={db}", "--json").stdout == changes.stdout
    text = history(binary, "changes", f"--history={db}", "--fail-on-regression", "-k", "flat")
    assert text.returncode == 0, text.output


def test_update_goldens_from_history_rewrites_only_the_number(binary, tmp_path):
    files, values = step_history(tmp_path)
    db = tmp_path / "h.sqlite"
    assert history(binary, "import", f"--history={db}", *files).returncode == 0
    suite = tmp_path / "suite"
    suite.mkdir()
    text = '{\n  "type": "benchmark",\n  "golden_time_ms": 10.0,\n  "modules": []\n}\n'
    (suite / "step.json").write_text(text)
    argv = [binary, "update-goldens", "--from-history", f"--history={db}",
            f"--test-file-directory={suite}", "--max-false-failure=0%", "-k", "step"]
    dry = run_binary(argv)
    assert dry.returncode == 0, dry.output
    after_step = np.array(values["step.json"][20:])
    golden = math.ceil(after_step.max() / 1.1 * 1000) / 1000
    assert "dry run" in dry.stdout
    assert (suite / "step.json").read_text() == text
    line = next(l for l in dry.stdout.splitlines() if l.startswith("step.json "))
    assert line.split()[1] == "20"  # the values since the change
    assert "100.00% -> 0.00%" in line
    written = run_binary(argv + ["--write"])
    assert written.returncode == 0, written.output
    assert (suite / "step.json").read_text() == text.replace("10.0", f"{golden:g}")


def test_runs_record_themselves_and_match_their_results_file(example_suite, binary):
    results = example_suite.tmp / "results.json"
    run = example_suite.run("-m", "benchmark", f"--results-json={results}")
    assert run.returncode == 0, run.output
    assert example_suite.run("-m", "benchmark").returncode == 0
    db = example_suite.artifacts / "history.sqlite"
    shown = history(binary, "show", f"--artifact-directory={example_suite.artifacts}", "--json")
    assert shown.returncode == 0, shown.output
    tests = {t["id"]: t for t in json.loads(shown.stdout)["tests"]}
    bench = tests["mlp/mlp_benchmark_cpu.json"]
    assert bench["runs"] == 2 and bench["n"] == 2
    first = json.loads(results.read_text())
    entry = next(t for t in first["tests"] if t["id"] == "mlp/mlp_benchmark_cpu.json")
    assert bench["values_ms"][0] == min(entry["benchmark"]["samples"])
    # The archived results file is the same run: importing it adds nothing.
    imported = history(binary, "import", f"--history={db}", results)
    assert "imported 0 runs, 1 already" in imported.stdout, imported.output
    row = sqlite3.connect(db).execute(
        "SELECT compiler_version, compiler_commit, marker_expression, host FROM runs "
        "ORDER BY id LIMIT 1").fetchone()
    assert row[0].startswith("3.13") and len(row[1]) == 40 and row[2] == "benchmark" and row[3]


def test_no_history_and_an_unreachable_server_never_fail_a_run(example_suite):
    off = example_suite.run("-k", "mlp_compstat_cpu", "--no-history")
    assert off.returncode == 0, off.output
    assert not (example_suite.artifacts / "history.sqlite").exists()
    elsewhere = example_suite.tmp / "elsewhere" / "h.sqlite"
    assert example_suite.run("-k", "mlp_compstat_cpu", f"--history={elsewhere}").returncode == 0
    assert sqlite3.connect(elsewhere).execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    assert not (example_suite.artifacts / "history.sqlite").exists()
    uri = "postgresql://suite:hunter2@127.0.0.1:1/history?connect_timeout=2"
    down = example_suite.run("-k", "mlp_compstat_cpu", f"--history={uri}")
    assert down.returncode == 0, down.output
    warnings = [l for l in down.stderr.splitlines() if "warning" in l]
    assert len(warnings) == 1 and "not in the history" in warnings[0], down.stderr
    assert "hunter2" not in down.output


def test_bad_inputs_are_named_and_the_rest_imported(binary, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(results_doc(1, {"a.json": (1.0, "passed")}, 1)))
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(results_doc(2, {"a.json": (1.0, "passed")}, 1, version=2)))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    db = tmp_path / "h.sqlite"
    result = history(binary, "import", f"--history={db}", good, newer, broken)
    assert result.returncode == 2, result.output
    assert f"{newer}: unsupported results version 2" in result.stderr
    assert f"{broken}: not valid JSON" in result.stderr
    assert "imported 1 run, 0 already in the history, 2 unreadable" in result.stdout

    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"garbage" * 1000)
    shown = history(binary, "show", f"--history={corrupt}")
    assert shown.returncode == 3
    assert str(corrupt) in shown.stderr and "not a database" in shown.stderr
    assert corrupt.read_bytes() == b"garbage" * 1000
    missing = history(binary, "show", f"--history={tmp_path / 'none.sqlite'}")
    assert missing.returncode == 3 and "no history there" in missing.stderr


def test_history_report_draws_every_trend_with_its_change(binary, tmp_path):
    files, _ = step_history(tmp_path)
    db = tmp_path / "h.sqlite"
    assert history(binary, "import", f"--history={db}", *files).returncode == 0
    page = tmp_path / "history.html"
    result = history(binary, "report", f"--history={db}", f"--html={page}")
    assert result.returncode == 0, result.output
    html = page.read_text()
    assert html.count('class="chart trend-chart"') == 2
    step = html[html.index('data-test="step.json"'):]
    step = step[:step.index("</svg>")]
    assert step.count('<circle class="sample') == 40
    assert step.count('class="change"') == 1
    assert 'class="golden"' in step and 'class="threshold"' in step
    flat = html[html.index('<svg class="chart trend-chart" data-test="flat.json"'):]
    assert '<text class="axis flakiness" x="60.0" y="18.0">flaky 1/1</text>' in flat
    assert "http" not in html.replace("http://www.w3.org", "")  # nothing to fetch


def test_the_run_report_draws_the_trend_with_the_current_run(example_suite):
    for _ in range(2):
        assert example_suite.run("-m", "benchmark").returncode == 0
    page = example_suite.tmp / "report.html"
    run = example_suite.run("-m", "benchmark", f"--html={page}")
    assert run.returncode == 0, run.output
    html = page.read_text()
    start = html.index('<svg class="chart trend-chart" data-test="mlp/mlp_benchmark_cpu.json"')
    trend = html[start:html.index("</svg>", start)]
    assert trend.count('<circle class="sample') == 3
    assert trend.count('class="sample current"') == 1
    # The newest point is the current run.
    assert trend.rindex("<circle") == trend.index('class="sample current"') - len("<circle ")


@pytest.fixture
def postgres():
    if server_binaries() is None:
        pytest.skip("PostgreSQL server binaries not installed (/usr/lib/postgresql/*/bin)")
    server = PostgresServer()
    yield server
    server.stop()


def test_runs_record_themselves_in_postgresql(example_suite, postgres, binary):
    for _ in range(2):
        run = example_suite.run("-m", "benchmark", f"--history={postgres.uri}")
        assert run.returncode == 0, run.output
        assert "warning" not in run.stderr, run.stderr
    assert postgres.query("SELECT count(*) FROM runs") == ["2"]
    shown = history(binary, "show", f"--history={postgres.uri}", "--json")
    assert shown.returncode == 0, shown.output
    tests = {t["id"]: t for t in json.loads(shown.stdout)["tests"]}
    assert tests["mlp/mlp_benchmark_cpu.json"]["n"] == 2
    assert not (example_suite.artifacts / "history.sqlite").exists()
