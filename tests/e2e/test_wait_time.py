"""Waiting for a turn is not test time (issue 14): a benchmark that waits for
another benchmark's exclusive turn reports only its own work in the results
file, JUnit and --durations; the wait is a span of its own in the trace."""

import json
import re
import shutil
import xml.etree.ElementTree as ET


def test_a_benchmark_waiting_for_another_reports_only_its_own_time(example_suite):
    example_suite.slow_mlp_benchmark(1)  # also compiles the module beforehand
    root = example_suite.root
    shutil.copy(root / "mlp/mlp_benchmark_cpu.json", root / "mlp/mlp_benchmark_again_cpu.json")
    trace, results, junit = (example_suite.tmp / name
                             for name in ("trace.json", "results.json", "junit.xml"))
    run = example_suite.run("-k", "mlp_benchmark", "-j", "2", "--durations=0", f"--trace={trace}",
                            f"--results-json={results}", f"--junitxml={junit}")
    assert run.returncode == 0, run.output

    events = [e for e in json.loads(trace.read_text())["traceEvents"] if e["ph"] == "X"]
    first, second = sorted((e for e in events if e["cat"] == "benchmark"), key=lambda e: e["ts"])
    waiter = second["args"]["test"]
    assert waiter != first["args"]["test"]
    # The second waited while the first measured, and the trace shows it.
    waited_us = sum(e["dur"] for e in events if e["cat"] == "wait" and e["args"]["test"] == waiter)
    assert waited_us >= first["dur"] / 2, (waited_us, first)
    # Its own work is its measurement and a little around it, not the first's run as well.
    own_limit_s = (second["dur"] + first["dur"] / 2) / 1e6

    reported = {t["id"]: t["duration_s"] for t in json.loads(results.read_text())["tests"]}
    assert reported[waiter] < own_limit_s, (reported, first, second)
    cases = {c.get("name"): float(c.get("time")) for c in ET.parse(junit).iter("testcase")}
    assert cases[waiter] < own_limit_s, cases
    durations = dict((m.group(2), float(m.group(1)))
                     for m in re.finditer(r"^(\d+\.\d+)s (\S+)$", run.stdout, re.M))
    assert durations[waiter] < own_limit_s, run.stdout
