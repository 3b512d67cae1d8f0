"""Benchmark noise is visible (median, CV), retries show every attempt, and
--lf reruns what failed last time."""

import re


def size_golden(size, percent=5):
    """update-goldens' golden_binary_size: size + ceil(size x percent / 100),
    then rounded up to 3 significant digits (integers only: no float error)."""
    value = size - (-size * percent // 100)
    step = 10 ** max(0, len(str(value)) - 3)
    return -(-value // step) * step


def test_benchmark_retries_show_every_attempt(example_suite):
    example_suite.edit("mlp/mlp_benchmark_cpu.json", golden_time_ms=0.000001)
    result = example_suite.run("-k", "mlp_benchmark", "--benchmark-retries=4")
    assert result.returncode == 1, result.output
    line = next(l for l in result.stdout.splitlines() if l.startswith("mlp/mlp_benchmark_cpu.json"))
    assert re.search(r"median \d+\.\d{3} ms, cv \d+\.\d% over 3 repetitions", line), line
    attempts = re.search(r"retried: attempts ((?:\d+\.\d{3}(?:, )?){5}) ms", line)
    assert attempts, line
    assert "(best of 5 attempts)" in result.stdout
    # The line's time and the reason's are the best attempt, not the last one.
    best = min(attempts.group(1).split(", "), key=float)
    assert f" {best} ms (threshold" in line, line
    assert f"benchmark too slow: measured {best} ms (minimum real_time)" in result.stdout, line
    assert "suggested golden_time_ms" not in line  # measured above the golden


def test_suggested_golden_when_missing_or_far_too_loose(example_suite):
    result = example_suite.run("-m", "benchmark")
    assert result.returncode == 0, result.output
    # No golden: a suggestion. Golden of 1000 ms for a ~0.03 ms run: a suggestion too.
    assert len(re.findall(r"; suggested golden_time_ms \d+\.\d{3}", result.stdout)) == 2


def test_last_failed_reruns_only_failures(example_suite):
    example_suite.edit("mlp/mlp_compstat_cpu.json", golden_dispatch_count=1)
    first = example_suite.run("-m", "compstat")
    assert first.returncode == 1, first.output
    rerun = example_suite.run("-m", "compstat", "--lf")
    assert "run-last-failure: rerun previous 1 failure" in rerun.stdout
    assert re.search(r"=+ 1 failed, 7 deselected in", rerun.stdout), rerun.stdout
    # Fixed: it passes, leaves the set, and the next --lf runs everything selected.
    example_suite.edit("mlp/mlp_compstat_cpu.json", golden_dispatch_count=4)
    fixed = example_suite.run("-m", "compstat", "--lf")
    assert fixed.returncode == 0, fixed.output
    again = example_suite.run("-m", "compstat", "--lf")
    assert "no previously failed tests, running all selected tests" in again.stdout
    assert re.search(r"=+ 3 passed, 5 deselected in", again.stdout), again.stdout


def test_results_json_compare_and_update_goldens(example_suite):
    import json

    from conftest import run_binary, _binary

    base = example_suite.tmp / "base.json"
    result = example_suite.run("-m", "benchmark or compstat", f"--results-json={base}")
    assert result.returncode == 0, result.output
    data = json.loads(base.read_text())
    assert data["schema"] == "iree-suite-results" and data["version"] == 1
    assert data["context"]["core_count"] >= 1 and data["context"]["host_name"]
    tests = {t["id"]: t for t in data["tests"]}
    bench = tests["mlp/mlp_benchmark_cpu.json"]["benchmark"]
    assert len(bench["samples"]) == 3 and bench["min"] == min(bench["samples"])
    assert bench["unit"] == "ms" and bench["threshold_ms"] == 1500.0

    # A made-up slower run: compare flags the regression and fails when asked.
    slower = json.loads(base.read_text())
    for test in slower["tests"]:
        if test["id"] == "mlp/mlp_compstat_cpu.json":
            test["compstat"]["binary_size"] *= 2
    new = example_suite.tmp / "new.json"
    new.write_text(json.dumps(slower))
    compared = run_binary([_binary(), "compare", base, new, "--fail-on-regression"])
    assert compared.returncode == 1, compared.output
    assert "1 regression" in compared.stdout

    # update-goldens rewrites only the numbers' text, leaving headroom: sizes and
    # counts + 5% rounded up (sizes to 3 significant digits), times never below
    # the slowest sample.
    path = example_suite.root / "mlp/mlp_compstat_cpu.json"
    bench_path = example_suite.root / "mlp/mlp_benchmark_cpu.json"
    before = path.read_text()
    dry = run_binary([_binary(), "update-goldens", base,
                      f"--test-file-directory={example_suite.root}"])
    assert dry.returncode == 0, dry.output
    assert path.read_text() == before
    size = tests["mlp/mlp_compstat_cpu.json"]["compstat"]["binary_size"]
    assert f"golden_binary_size | 30000 -> {size_golden(size)} ({size} + 5% headroom, rounded " \
        "up to 3 digits)" in dry.stdout, dry.stdout
    assert re.search(r"mlp_benchmark_cpu.json \| golden_time_ms \| 1000.0 -> [0-9.]+ "
                     r"\((max|min) of 3 samples", dry.stdout), dry.stdout
    written = run_binary([_binary(), "update-goldens", base, "--write",
                          f"--test-file-directory={example_suite.root}"])
    assert written.returncode == 0, written.output
    after = path.read_text()
    assert after == before.replace('"golden_dispatch_count": 4', '"golden_dispatch_count": 3') \
        .replace('"golden_binary_size": 30000', f'"golden_binary_size": {size_golden(size)}')
    assert size * 1.05 < size_golden(size) <= size * 1.06
    golden_ms = json.loads(bench_path.read_text())["golden_time_ms"]
    assert golden_ms >= max(bench["samples"]) and golden_ms >= round(bench["min"] * 1.1, 3)

    # Exact values on request; a headroom that is no share is a usage error.
    exact = run_binary([_binary(), "update-goldens", base, "--size-headroom=0%",
                        "--size-round=1", f"--test-file-directory={example_suite.root}"])
    assert exact.returncode == 0, exact.output
    assert f"golden_binary_size | {size_golden(size)} -> {size} ({size} + 0% headroom)" \
        in exact.stdout, exact.stdout
    bad = run_binary([_binary(), "update-goldens", base, "--size-headroom=-5%",
                      f"--test-file-directory={example_suite.root}"])
    assert bad.returncode == 4 and "expected a fraction such as 0.05" in bad.output, bad.output
    huge = run_binary([_binary(), "update-goldens", base, "--size-headroom=2000%",
                       f"--test-file-directory={example_suite.root}"])
    assert huge.returncode == 4 and "at most 1000%" in huge.output, huge.output

    # A test JSON of the results that is gone is a data problem (exit 4), not an
    # internal error (3).
    (example_suite.root / "mlp/mlp_compstat_gfx942.json").unlink()
    missing = run_binary([_binary(), "update-goldens", base,
                          f"--test-file-directory={example_suite.root}"])
    assert missing.returncode == 4, missing.output
    assert "mlp/mlp_compstat_gfx942.json" in missing.stderr


def test_runners_sharing_an_artifact_directory_keep_their_own_logs(example_suite):
    import subprocess

    from conftest import _binary, _tools_dir

    assert example_suite.run("-k", "mlp_benchmark").returncode == 0  # compile once
    processes = []
    for index in range(4):
        summary = example_suite.tmp / f"summary{index}"
        summary.mkdir()
        processes.append(subprocess.Popen(
            [str(_binary()), f"--test-file-directory={example_suite.root}",
             f"--module-directory={example_suite.base}",
             f"--external-file-directory={example_suite.base}",
             f"--artifact-directory={example_suite.artifacts}", f"--job-summary-path={summary}",
             f"--iree-tools-dir={_tools_dir()}", "-k", "mlp_benchmark", "-q"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    for process in processes:
        output, _ = process.communicate(timeout=120)
        assert process.returncode == 0, output
    assert not list(example_suite.artifacts.rglob("*.tmp.*"))
