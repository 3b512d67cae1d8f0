"""Failing tests fail for the right reason, and say how to reproduce them."""

import json
import re


def test_quality_wrong_expected_output_shows_mismatch(example_suite):
    example_suite.edit(
        "multi_module/multi_module_quality_cpu.json",
        expected_outputs=[{"value": "8xf32=9,9,9,9,9,9,9,9"}],
    )
    result = example_suite.run("-k", "multi_module_quality")
    assert result.returncode == 1, result.output
    assert "FAILED [100%]" in result.stdout
    # The short summary line says what did not match.
    assert re.search(r"^FAILED multi_module/multi_module_quality_cpu\.json - \[FAILED\] result\[0\]",
                     result.stdout, re.M), result.stdout
    # The tool's own mismatch line is in the reason.
    assert re.search(r"\[FAILED\] result\[0\]: element at index 0 \(.*\) does not match the "
                     r"expected \(9\)", result.stdout), result.stdout
    # The exact command and working directory to rerun by hand.
    repro = re.search(r"^cd (\S+) && (\S+iree-run-module) --module=\S+activations\S*\.vmfb "
                      r"--module=\S+pipeline\S*\.vmfb .*--expected_output=8xf32=9,9,9,9,9,9,9,9 "
                      r"--device=local-task --function=run$", result.stdout, re.M)
    assert repro, result.stdout
    assert repro.group(1) == str(example_suite.base)
    assert "--- logs ---" in result.stdout
    log = re.search(r"^(\S+/run\.log)$", result.stdout, re.M).group(1)
    assert "[FAILED]" in open(log).read()
    assert re.search(r"=+ 1 failed, 7 deselected in", result.stdout)
    summary = json.loads((example_suite.summary_dir / "job_summary.json").read_text())
    assert summary["quality"]["rows"] == [["multi_module/multi_module_quality_cpu.json", "FAILED"]]


def test_benchmark_impossible_golden_fails_with_arithmetic(example_suite):
    example_suite.edit("mlp/mlp_benchmark_cpu.json", golden_time_ms=0.000001,
                       tolerance_factor=2.0)
    result = example_suite.run("-k", "mlp_benchmark")
    assert result.returncode == 1, result.output
    match = re.search(r"measured (\d+\.\d{3}) ms \(minimum real_time\) > threshold 0\.000 ms = "
                      r"golden_time_ms 0\.000 x tolerance_factor 2", result.stdout)
    assert match, result.stdout
    assert "iree-benchmark-module --benchmark_format=json" in result.stdout


def test_benchmark_time_unit_is_honoured(example_suite):
    # --time_unit=us makes the tool report microseconds; the runner converts to ms.
    example_suite.edit("mlp/mlp_benchmark_cpu.json",
                       run_args=["--device=local-task", "--function=forward",
                                 "--benchmark_repetitions=2", "--benchmark_min_time=0.05s",
                                 "--time_unit=us"])
    result = example_suite.run("-k", "mlp_benchmark")
    assert result.returncode == 0, result.output
    log = next(example_suite.artifacts.glob("logs/*mlp_benchmark*/benchmark.json"))
    entries = json.loads(log.read_text())["benchmarks"]
    assert entries[0]["time_unit"] == "us"
    fastest_us = min(e["real_time"] for e in entries if "aggregate_name" not in e)
    summary = json.loads((example_suite.summary_dir / "job_summary.json").read_text())
    reported_ms = float(summary["benchmark"]["rows"][0][1])
    assert abs(reported_ms - fastest_us / 1000) < 0.0015


def test_compstat_too_small_golden_fails(example_suite):
    example_suite.edit("mlp/mlp_compstat_cpu.json", golden_dispatch_count=1,
                       golden_binary_size=100)
    result = example_suite.run("-k", "mlp_compstat_cpu")
    assert result.returncode == 1, result.output
    assert re.search(r"dispatch count 2 > golden_dispatch_count 1 \(\+1\)", result.stdout)
    assert re.search(r"binary size \d+ bytes > golden_binary_size 100 bytes", result.stdout)
    summary = json.loads((example_suite.summary_dir / "job_summary.json").read_text())
    row = summary["compstat"]["rows"][0]
    assert row[1:4] == [1, 2, 100] and row[5] == "FAILED"


def test_compile_failure_shows_compiler_output_and_command(example_suite):
    (example_suite.root / "mlp/mlp.mlir").write_text("func.func @broken( {\n")
    result = example_suite.run("-k", "mlp_quality")
    assert result.returncode == 1, result.output
    assert 'iree-compile failed (exit status 1) for module "examples/modules/mlp_cpu"' in result.stdout
    assert "--- tool output (last lines) ---" in result.stdout
    assert "error:" in result.stdout
    assert re.search(r"^cd \S+ && \S+iree-compile \S+mlp\.mlir -o ", result.stdout, re.M)
    assert re.search(r"--iree-scheduling-dump-statistics-format=json$", result.stdout, re.M)


def test_missing_input_file_is_an_error_naming_the_field(example_suite):
    example_suite.edit("mlp/mlp_quality_cpu.json",
                       inputs=[{"url": "mlp/data/nope.bin", "value": "4x16xf32"}])
    result = example_suite.run("-k", "mlp_quality")
    assert result.returncode == 1, result.output
    assert "ERROR [100%]" in result.stdout
    assert re.search(r"mlp_quality_cpu\.json: inputs\[0\]\.url: mlp/data/nope\.bin: file not found",
                     result.stdout), result.stdout


def test_exitfirst_stops_after_first_failure(example_suite):
    example_suite.edit("mlp/mlp_benchmark_cpu.json", golden_time_ms=0.000001)
    result = example_suite.run("-x", "-j", "1", "-m", "cpu")  # in order: no test in flight
    assert result.returncode == 1, result.output
    assert "mlp/mlp_benchmark_cpu.json FAILED" in result.stdout
    assert "mlp/mlp_quality_cpu.json" not in result.stdout.split("FAILURES")[0]
    # pytest's line, with what never ran counted (the benchmark sorts first of 6).
    assert re.search(r"^!+ stopping after 1 failures, 5 tests not run !+$", result.stdout,
                     re.MULTILINE), result.stdout
