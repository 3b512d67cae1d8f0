"""--trace records every job, and no job overlaps a benchmark; shards' reports
merge into the reports of the whole run."""

import json
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
            if other is bench:
                continue
            assert other["ts"] + other["dur"] <= start or other["ts"] >= end, (bench, other)
    names = [e for e in json.loads(trace.read_text())["traceEvents"] if e["ph"] == "M"]
    assert any(e["args"].get("name") == "iree-suite" for e in names)


def test_merge_reports_of_shards_equals_the_whole_run(example_suite):
    whole_dir = example_suite.tmp / "whole"
    whole_dir.mkdir()
    example_suite.summary_dir = whole_dir
    assert example_suite.run("-m", "not benchmark", f"--junitxml={whole_dir}/junit.xml",
                             "-j", "1").returncode == 0
    shard_dirs = []
    for index in range(3):
        shard = example_suite.tmp / f"shard{index}"
        shard.mkdir()
        example_suite.summary_dir = shard
        result = example_suite.run("-m", "not benchmark", "--shard-count=3",
                                   f"--shard-index={index}", f"--junitxml={shard}/junit.xml")
        assert result.returncode == 0, result.output
        shard_dirs.append(shard)
    merged = example_suite.tmp / "merged"
    from conftest import run_binary, _binary
    argv = [_binary(), "merge-reports", f"--job-summary-path={merged}", "-m", "not benchmark",
            f"--junitxml={merged}/junit.xml"]
    for shard in shard_dirs:
        argv += [f"--job-summary={shard}/job_summary.json", f"--junitxml-input={shard}/junit.xml"]
    result = run_binary(argv)
    assert result.returncode == 0, result.output

    def strip_times(directory):
        data = json.loads((directory / "job_summary.json").read_text())
        return {kind: sorted(row[0] + row[-1] for row in table["rows"])
                for kind, table in data.items()}

    assert strip_times(merged) == strip_times(whole_dir)
    assert (merged / "job_summary.md").read_text().startswith(
        "# Job Summary For Markers: not benchmark\n")
    suite = ET.parse(merged / "junit.xml").getroot().find("testsuite")
    assert suite.get("tests") == "6"
    names = sorted(case.get("name") for case in suite.iter("testcase"))
    whole = ET.parse(whole_dir / "junit.xml").getroot().find("testsuite")
    assert names == sorted(case.get("name") for case in whole.iter("testcase"))


def test_merge_reports_rejects_a_bad_file(example_suite):
    from conftest import run_binary, _binary
    bad = example_suite.tmp / "bad.json"
    bad.write_text("[1, 2]")
    result = run_binary([_binary(), "merge-reports", f"--job-summary={bad}",
                         f"--job-summary-path={example_suite.tmp}"])
    assert result.returncode == 4
    assert str(bad) in result.stderr
