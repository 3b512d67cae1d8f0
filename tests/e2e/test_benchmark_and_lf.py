"""Benchmark noise is visible (median, CV), retries show every attempt, and
--lf reruns what failed last time."""

import re


def test_benchmark_retries_show_every_attempt(example_suite):
    example_suite.edit("mlp/mlp_benchmark_cpu.json", golden_time_ms=0.000001)
    result = example_suite.run("-k", "mlp_benchmark", "--benchmark-retries=2")
    assert result.returncode == 1, result.output
    line = next(l for l in result.stdout.splitlines() if l.startswith("mlp/mlp_benchmark_cpu.json"))
    assert re.search(r"median \d+\.\d{3} ms, cv \d+\.\d% over 3 repetitions", line), line
    assert re.search(r"retried: attempts \d+\.\d{3}, \d+\.\d{3}, \d+\.\d{3} ms", line), line
    assert "(best of 3 attempts)" in result.stdout


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
