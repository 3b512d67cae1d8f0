"""--trace records every job, and no job overlaps a benchmark; shards' reports
merge into the reports of the whole run."""

import json
import re
import xml.etree.ElementTree as ET


def test_trace_shows_no_job_overlapping_a_benchmark(example_suite):
    trace = example_suite.tmp / "trace.json"
    result = example_suite.run("-j", "2", f"--trace={trace}", "--force-recompile")
    assert result.returncode == 0, result.output
    events = [e for e in json.loads(trace.read_text())["traceEvents"] if e["ph"] == "X"]
    kinds = {e["cat"] for e in events}
    assert {"compile", "run", "benchmark", "generate-parameters", "fetch"} <= kinds
    # Each distinct module compiled once (6 modules in the examples).
    assert len([e for e in events if e["cat"] == "compile"]) == 6
    benchmarks = [e for e in events if e["cat"] == "benchmark"]
    assert len(benchmarks) == 2
    for bench in benchmarks:
        start, end = bench["ts"], bench["ts"] + bench["dur"]
        for other in events:
            if other is bench or other["cat"] == "wait":
                continue  # waiting for the benchmark to finish is no work beside it
            assert other["ts"] + other["dur"] <= start or other["ts"] >= end, (bench, other)
    names = [e for e in json.loads(trace.read_text())["traceEvents"] if e["ph"] == "M"]
    assert any(e["args"].get("name") == "iree-suite" for e in names)


def _reports(directory):
    """The reports of a run (or a merge) in `directory`, normalised."""
    from conftest import _tools_dir
    from output_normaliser import MEASURED_TIMES, NUMBER, normalise

    paths = {"<TMP>": {str(directory.parent), str(directory.parent.resolve())},
             "<TOOLS>": {str(_tools_dir()), str(_tools_dir().resolve())}}
    names = ["job_summary.md", "job_summary.json", "junit.xml", "report.html", "results.json"]
    reports = {name: normalise((directory / name).read_text(), name, paths) for name in names}
    # A benchmark chart's geometry follows its measurement, whole numbers included.
    reports["report.html"] = "\n".join(
        re.sub(NUMBER, "<n>", line) if any(f'data-test="{test}"' in line for test in MEASURED_TIMES)
        else line for line in reports["report.html"].split("\n"))
    return reports


def _report_flags(directory):
    return [f"--junitxml={directory}/junit.xml", f"--html={directory}/report.html",
            f"--results-json={directory}/results.json", f"--trace={directory}/trace.json"]


def test_merge_reports_of_shards_equals_the_whole_run(example_suite):
    from conftest import _binary, run_binary

    whole = example_suite.tmp / "whole"
    whole.mkdir()
    example_suite.summary_dir = whole
    # No history: a trend under a chart would depend on the runs before.
    result = example_suite.run("--no-history", "-j", "1", *_report_flags(whole))
    assert result.returncode == 0, result.output
    shards = []
    for index in range(2):
        shard = example_suite.tmp / f"shard{index}"
        shard.mkdir()
        example_suite.summary_dir = shard
        result = example_suite.run("--no-history", "--shard-count=2", f"--shard-index={index}",
                                   *_report_flags(shard))
        assert result.returncode == 0, result.output
        shards.append(shard)
    merged = example_suite.tmp / "merged"
    argv = [_binary(), "merge-reports", f"--job-summary-path={merged}",
            *_report_flags(merged)[:3], f"--trace={merged}/trace.json"]
    for shard in reversed(shards):  # any order: shards merge in id order
        argv += [shard / "results.json", f"--trace-input={shard}/trace.json"]
    result = run_binary(argv)
    assert result.returncode == 0, result.output
    assert "merged 2 results files (8 tests)" in result.stdout

    expected = _reports(whole)
    for name, text in _reports(merged).items():
        assert text == expected[name], name
    tests = json.loads((merged / "results.json").read_text())["tests"]
    assert len(tests) == 8
    html = (merged / "report.html").read_text()
    assert all(f">{test['id']}<" in html for test in tests)
    # The trace holds both shards' timelines, each its own process.
    events = json.loads((merged / "trace.json").read_text())["traceEvents"]
    assert {e["pid"] for e in events} == {1, 2}
    ran = {e["args"]["test"] for e in events if e["ph"] == "X" and e["cat"] in ("run", "benchmark")}
    assert ran == {t["id"] for t in tests if t["type"] != "compstat"}


def test_merge_reports_refuses_the_old_inputs_and_bad_files(example_suite):
    from conftest import _binary, run_binary

    summary = example_suite.tmp / "job_summary.json"
    summary.write_text("{}")
    old = run_binary([_binary(), "merge-reports", f"--job-summary={summary}"])
    assert old.returncode == 4
    assert "run each shard with --results-json=FILE" in old.stderr
    bad = example_suite.tmp / "bad.json"
    bad.write_text("[1, 2]")
    result = run_binary([_binary(), "merge-reports", bad,
                         f"--job-summary-path={example_suite.tmp}"])
    assert result.returncode == 4
    assert str(bad) in result.stderr
    assert not (example_suite.tmp / "job_summary.md").exists()
