"""The engine's machine interface (what the pytest plugin drives): the event
stream, running an exact list of test ids, `engine-info`, and benchmarks kept
alone across processes that share an artifact directory."""

import json
import os
import subprocess
import time

from conftest import run_binary


def test_engine_info(binary):
    result = run_binary([binary, "engine-info"])
    assert result.returncode == 0
    info = json.loads(result.stdout)
    assert info["name"] == "iree-suite" and info["protocol"] == 1 and info["version"]


def test_events_stream_through_a_pipe(example_suite):
    example_suite.edit("multi_module/multi_module_quality_cpu.json",
                       expected_outputs=[{"value": "8xf32=9,9,9,9,9,9,9,9"}])
    read_end, write_end = os.pipe()
    process = subprocess.Popen([*example_suite.argv(), "-m", "quality",
                                "--events", f"/dev/fd/{write_end}"],
                               pass_fds=(write_end,), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    os.close(write_end)
    with open(read_end) as stream:
        events = [json.loads(line) for line in stream]  # EOF only once the engine is done
    assert process.wait(timeout=300) == 1
    kinds = [e["event"] for e in events]
    assert kinds[0] == "start" and kinds[-1] == "finish"
    assert events[-1]["exit_code"] == 1
    collected = [e["id"] for e in events if e["event"] == "collected"]
    assert collected == ["mlp/mlp_quality_cpu.json", "multi_module/multi_module_quality_cpu.json",
                         "params/splat_quality_cpu.json"]
    finished = {e["id"]: e for e in events if e["event"] == "test_finished"}
    assert set(finished) == set(collected)
    position = {(e["event"], e.get("id")): i for i, e in enumerate(events)}
    for test_id in collected:  # every result follows its start
        assert position[("test_started", test_id)] < position[("test_finished", test_id)]
    failure = finished["multi_module/multi_module_quality_cpu.json"]
    assert failure["outcome"] == "failed" and failure["type"] == "quality"
    assert "[FAILED] result[0]" in failure["reason"]
    assert "--- reproduce ---" in failure["details"]
    assert failure["repros"][0]["shell"] in failure["details"]
    assert failure["repros"][0]["argv"][0].endswith("iree-run-module")
    assert failure["repros"][0]["cwd"] == str(example_suite.base)
    assert os.path.exists(failure["logs"][0])
    assert finished["mlp/mlp_quality_cpu.json"]["outcome"] == "passed"


def test_collect_only_events_carry_errors(example_suite):
    (example_suite.root / "broken.json").write_text('{"type": "quality", "markers": "cpu"}')
    events_path = example_suite.tmp / "events.jsonl"
    result = run_binary([*example_suite.argv(), "--collect-only", "--events", events_path])
    assert result.returncode == 2, result.output
    events = [json.loads(line) for line in events_path.read_text().splitlines()]
    errors = [e for e in events if e["event"] == "collection_error"]
    assert {(e["file"], e["field"]) for e in errors} >= {
        (str(example_suite.root / "broken.json"), "markers")}
    assert len([e for e in events if e["event"] == "collected"]) == 8
    assert events[-1] == {"event": "finish", "exit_code": 2}


def test_test_ids_file_runs_exactly_those_in_that_order(example_suite):
    ids = example_suite.tmp / "ids.txt"
    ids.write_text("params/splat_quality_cpu.json\nmlp/mlp_compstat_cpu.json\n")
    results = example_suite.tmp / "results.json"
    # -m titles the summary but does not select: both listed tests run.
    result = example_suite.run("--test-ids-file", ids, "-m", "quality",
                               f"--results-json={results}", "-j", "1")
    assert result.returncode == 0, result.output
    ran = [t["id"] for t in json.loads(results.read_text())["tests"]]
    assert ran == ["params/splat_quality_cpu.json", "mlp/mlp_compstat_cpu.json"]
    md = (example_suite.summary_dir / "job_summary.md").read_text()
    assert md.startswith("# Job Summary For Markers: quality\n")

    ids.write_text("params/splat_quality_cpu.json\nno/such_test.json\n")
    unknown = example_suite.run("--test-ids-file", ids)
    assert unknown.returncode == 4
    assert f'{ids}:2: no collected test has the id "no/such_test.json"' in unknown.stderr


def test_benchmark_of_one_process_is_not_disturbed_by_another(example_suite):
    # Runners sharing an artifact directory (pytest-xdist workers, shards on
    # one machine) take turns through a lock file: B's quality run waits for
    # A's benchmark to end.
    example_suite.slow_mlp_benchmark(3)
    a = subprocess.Popen(example_suite.argv("-k", "mlp_benchmark"), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(example_suite.artifacts.glob("logs/*mlp_benchmark*/benchmark.log*")):
        assert time.monotonic() < deadline, "the benchmark never started"
        time.sleep(0.05)
    b = example_suite.run("-k", "mlp_quality")
    assert b.returncode == 0, b.output
    assert a.wait(timeout=120) == 0
    benchmark_end = next(example_suite.artifacts.glob("logs/*mlp_benchmark*/benchmark.json"))
    quality_log = next(example_suite.artifacts.glob("logs/*mlp_quality*/run.log"))
    assert quality_log.stat().st_mtime >= benchmark_end.stat().st_mtime
