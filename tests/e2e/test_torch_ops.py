"""The torch_ops suite format end to end: inputs generated natively (checked
against numpy's bytes), outputs compared with allclose against expected arrays
computed with numpy and served from loopback, benchmarks judged against the
config's golden_times_ms. On the hand-written fixture in torch_ops_fixture/
and, where present, on the reference snapshot's 30 generated tests."""

import json
import math
import os
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import REPO, _tools_dir, run_binary, verdicts
from test_http import served
import torch_ops_numpy
import torch_ops_side_by_side

FIXTURE = Path(__file__).resolve().parent / "torch_ops_fixture"
SNAPSHOT = REPO.parent / "shared" / "reference" / "iree-test-suites" / "torch_ops"
FIXTURE_MIRROR = "https://example.blob.core.windows.net/"
AZURE = "https://sharkpublic.blob.core.windows.net/"

# Fixture tests and their operation, on float64 copies of the inputs.
FIXTURE_OPERATIONS = {
    "MatMul/4x8xf32": lambda a, b: a @ b,
    "MatMul/4x8xf16": lambda a, b: a @ b,
    "Divide/nan_equal": lambda a, b: a / b,
    "Divide/nan_differs": lambda a, b: a / b,
    "Divide/local_expected": lambda a, b: a / b,
}

# Snapshot compare tests that pass against the expected outputs numpy
# computes (torch_ops_numpy.py), the small ones of every class.
SNAPSHOT_COMPUTABLE = [
    "AB/Nx64xf16_64xNxf16", "AB/Nx64xf32_64xNxf32", "ABT/64x64xf16", "ABT/64x64xf32",
    "ATB/64x64xf32", "ABPlusC/64x64xf16", "ABPlusC/64x64xf32", "ReluABPlusC/64x64xf16",
    "ReluABPlusC/64x64xf32", "GeluABPlusC/64x64xf16", "GeluABPlusC/64x64xf32",
    "AB_bfloat16/Nx64xf32_64xNxf32", "ConvForward/nchw_fchw", "ConvForward/nhwc_fhwc",
    "ConvForward/nhwc_hwcf", "InterestingShapesBiasAdd/6144x419xbf16_matmul_419x384xbf16_NT",
]


def tree_listing(root: Path):
    return sorted((str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in root.rglob("*"))


class TorchOps:
    def __init__(self, tmp: Path, binary: Path, root: Path):
        self.tmp = tmp
        self.binary = binary
        self.root = root
        self.artifacts = tmp / "artifacts"

    def run(self, *args, configs, mirror=None, env=None):
        argv = [self.binary, f"--test-file-directory={self.root}",
                f"--artifact-directory={self.artifacts}", f"--job-summary-path={self.tmp}",
                f"--iree-tools-dir={_tools_dir()}"]
        if mirror:
            argv.append(f"--url-mirror={mirror}")
        if configs:
            args = list(args) + ["--config-files", *configs]
        return run_binary(argv + list(args), cwd=self.tmp, env=env)


@pytest.fixture
def fixture(tmp_path, binary):
    root = tmp_path / "suite"
    shutil.copytree(FIXTURE, root)
    return TorchOps(tmp_path, binary, root)


def write_fixture_expected(suite_root: Path, served_root: Path, perturb=None):
    for name, operation in FIXTURE_OPERATIONS.items():
        spec = json.loads((suite_root / "generated" / name / "run_module_io.json").read_text())
        inputs = torch_ops_numpy.reference_inputs(spec)
        with np.errstate(all="ignore"):
            result = operation(*[x.astype(np.float64) for x in inputs]).astype(inputs[0].dtype)
        if perturb and name in perturb:
            result.reshape(-1)[perturb[name]] += 1
        output = spec["expected_output"][0]
        if output["url"]:
            target = served_root / torch_ops_numpy.url_path(output["url"])
        else:
            target = suite_root / "generated" / name / output["value"]
        target.parent.mkdir(parents=True, exist_ok=True)
        np.save(target, result)


def test_fixture_verdicts_and_inputs_are_numpys(fixture, tmp_path):
    with served(tmp_path) as (served_root, base, _log):
        write_fixture_expected(fixture.root, served_root)
        before = tree_listing(fixture.root)
        result = fixture.run("-v", "-j", "2", f"--results-json={tmp_path / 'results.json'}",
                             configs=[fixture.root / "configs" / "cpu.json"],
                             mirror=f"{FIXTURE_MIRROR}={base}/")
    assert verdicts(result.stdout) == {
        "Divide/local_expected::cpu": "PASSED",
        "Divide/nan_differs::cpu": "FAILED",
        "Divide/nan_equal::cpu": "PASSED",
        "MatMul/4x8xf16::cpu": "PASSED",
        "MatMul/4x8xf32::cpu": "PASSED",
        "MatMulBench/generous::cpu": "PASSED",
        "MatMulBench/impossible::cpu": "FAILED",
        "MatMulBench/no_golden::cpu": "FAILED",
    }, result.output
    # equal_nan=false: NaN is not close to NaN, as numpy.allclose says.
    assert re.search(r"Divide/nan_differs::cpu.*\n(.*\n)*?.*6 of 6 elements differ \(rtol=1e-05, "
                     r"atol=1e-08, equal_nan=false\); the worst at \[0\]: observed nan, expected "
                     r"nan", result.stdout), result.stdout
    assert re.search(r"benchmark too slow: measured [0-9.]+ ms \(minimum real_time\) > threshold "
                     r"0\.000 ms", result.stdout)
    suggestion = re.search(r"golden time has not been set: set it to ([0-9.]+) ms \(measured "
                           r"([0-9.]+) ms", result.stdout)
    assert suggestion, result.stdout
    # Both printed to 3 decimals: each off by up to 0.0005.
    assert float(suggestion.group(1)) == pytest.approx(float(suggestion.group(2)) * 1.1,
                                                       abs=0.0011)
    # Nothing was written into the suite tree; the inputs are numpy's bytes.
    assert tree_listing(fixture.root) == before
    inputs = sorted((fixture.artifacts / "inputs").glob("*.npy"))
    generated = {path.read_bytes() for path in inputs}
    for name in FIXTURE_OPERATIONS:
        spec = json.loads((fixture.root / "generated" / name / "run_module_io.json").read_text())
        for array in torch_ops_numpy.reference_inputs(spec):
            buffer = __import__("io").BytesIO()
            np.save(buffer, array)
            assert buffer.getvalue() in generated, name
    results = json.loads((tmp_path / "results.json").read_text())
    steps = {t["id"]: t.get("failed_step") for t in results["tests"]}
    assert steps["Divide/nan_differs::cpu"] == "check"
    assert steps["MatMulBench/impossible::cpu"] == "check"


def test_perturbed_expected_fails_with_the_mismatch_report(fixture, tmp_path):
    with served(tmp_path) as (served_root, base, _log):
        write_fixture_expected(fixture.root, served_root, perturb={"MatMul/4x8xf32": 7})
        result = fixture.run("-k", "MatMul/4x8xf32", configs=[fixture.root / "configs" / "cpu.json"],
                             mirror=f"{FIXTURE_MIRROR}={base}/")
    assert verdicts(result.stdout) == {"MatMul/4x8xf32::cpu": "FAILED"}, result.output
    spec = json.loads((fixture.root / "generated/MatMul/4x8xf32/run_module_io.json").read_text())
    a, b = torch_ops_numpy.reference_inputs(spec)
    exact = (a.astype(np.float64) @ b.astype(np.float64)).astype(np.float32)
    report = re.search(r"1 of 12 elements differ \(rtol=1e-05, atol=1e-06, equal_nan=false\); the "
                       r"worst at \[2, 1\]: observed (\S+), expected (\S+), \|difference\| (\S+) > "
                       r"tolerance (\S+)", result.stdout)
    assert report, result.stdout
    assert float(report.group(1)) == pytest.approx(float(exact[2, 1]), abs=1e-5)
    assert float(report.group(2)) == pytest.approx(float(exact[2, 1]) + 1, abs=1e-5)
    assert float(report.group(3)) == pytest.approx(1, abs=1e-5)


def read_config(path: Path):
    """The fixture's config (JSON with comments and trailing commas) as data."""
    text = re.sub(r"//[^\n]*|/\*.*?\*/", "", path.read_text(), flags=re.S)
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", text))


def set_list(path: Path, key: str, values):
    """Sets top-level array `key` of the fixture's config, keeping its comments."""
    text, count = re.subn(rf'"{key}": \[[^\]]*\]', f'"{key}": {json.dumps(values)}',
                          path.read_text())
    assert count == 1, key
    path.write_text(text)


def break_run(fixture, name):
    """Gives `name` a wrong input shape, so that iree-run-module fails."""
    spec_file = fixture.root / "generated" / name / "run_module_io.json"
    spec = json.loads(spec_file.read_text())
    spec["flat_args"][0]["Formula"]["shape"] = [5, 8]
    spec_file.write_text(json.dumps(spec))


def test_expected_run_failure_covers_a_failing_tool_not_a_mismatch(fixture, tmp_path):
    config = fixture.root / "configs/cpu.json"
    set_list(config, "expected_run_failures", ["Divide/nan_differs", "MatMul/4x8xf32"])
    break_run(fixture, "MatMul/4x8xf32")
    with served(tmp_path) as (served_root, base, _log):
        write_fixture_expected(fixture.root, served_root)
        result = fixture.run("-k", "nan_differs or 4x8xf32", configs=[config],
                             mirror=f"{FIXTURE_MIRROR}={base}/")
    # As the reference: only IreeRunException is the expected failure; an
    # allclose assertion is a failure whatever the lists say.
    assert verdicts(result.stdout) == {"Divide/nan_differs::cpu": "FAILED",
                                       "MatMul/4x8xf32::cpu": "XFAIL"}, result.output


def test_update_xfails_ignore_xfails_and_skip_all_runs(fixture, tmp_path):
    config = fixture.root / "configs/cpu.json"
    results = tmp_path / "results.json"
    break_run(fixture, "MatMul/4x8xf32")
    with served(tmp_path) as (served_root, base, _log):
        write_fixture_expected(fixture.root, served_root)
        run = lambda *args: fixture.run("-k", "nan_differs or 4x8xf32", *args, configs=[config],
                                        mirror=f"{FIXTURE_MIRROR}={base}/")
        first = run(f"--results-json={results}")
        assert verdicts(first.stdout) == {"Divide/nan_differs::cpu": "FAILED",
                                          "MatMul/4x8xf32::cpu": "FAILED"}, first.output
        update = run_binary([fixture.binary, "update-xfails", "--results-json", str(results),
                             str(config), "--write"])
        assert update.returncode == 0, update.output
        # The failing tool is listed; the mismatch (failed_step "check") is not.
        assert read_config(config)["expected_run_failures"] == ["MatMul/4x8xf32"]
        assert "// JSON5-style" in config.read_text()
        listed = run()
        ignored = run("--ignore-xfails")
    assert verdicts(listed.stdout)["MatMul/4x8xf32::cpu"] == "XFAIL", listed.output
    assert verdicts(ignored.stdout)["MatMul/4x8xf32::cpu"] == "FAILED", ignored.output
    # Compiled only: no golden is needed, none is judged (as the reference);
    # without the flag no_golden and impossible fail (test_fixture_verdicts...).
    compiled = fixture.run("-k", "MatMulBench", "--skip-all-runs", configs=[config])
    assert verdicts(compiled.stdout) == {f"MatMulBench/{name}::cpu": "PASSED"
                                         for name in ("generous", "impossible", "no_golden")}, \
        compiled.output


def test_update_goldens_writes_golden_times_ms(fixture, tmp_path):
    config = fixture.root / "configs" / "cpu.json"
    results = tmp_path / "results.json"
    result = fixture.run("-k", "MatMulBench", f"--results-json={results}", configs=[config])
    assert result.returncode == 1, result.output
    before = config.read_text()
    update = run_binary([fixture.binary, "update-goldens", str(results), "--write",
                         "--config-files", str(config)])
    assert update.returncode == 0, update.output
    after = config.read_text()
    measured = {t["id"]: t["benchmark"] for t in json.loads(results.read_text())["tests"]}
    goldens = read_config(config)["golden_times_ms"]
    for name in ("generous", "impossible"):
        # min x 1.1, but never below the slowest sample (rounded up to 3 decimals).
        bench = measured[f"MatMulBench/{name}::cpu"]
        slowest = max(bench["samples"] + bench["attempts_ms"])
        assert goldens[f"MatMulBench/{name}"] == pytest.approx(
            max(round(min(bench["samples"]) * 1.1, 3), math.ceil(slowest * 1000) / 1000),
            abs=1e-9)
        assert goldens[f"MatMulBench/{name}"] >= slowest
    assert "MatMulBench/no_golden" not in goldens  # listed with a suggestion instead
    assert "MatMulBench/no_golden" in update.output
    # Only the goldens' numbers changed: the comments (one holding a key-like
    # "MatMulBench/generous": 1) and the trailing commas stay.
    numbers = lambda text: re.sub(r"\b[0-9][0-9.e-]*", "N", text)
    assert numbers(before) == numbers(after)
    assert '/* "MatMulBench/generous": 1, */' in after
    assert after.count("\n") == before.count("\n")


@pytest.fixture
def snapshot(tmp_path, binary):
    if not SNAPSHOT.is_dir():
        pytest.skip(f"{SNAPSHOT} is absent: the reference snapshot exists only on development "
                    "machines")
    return TorchOps(tmp_path, binary, SNAPSHOT)


def reference_names():
    """The reference's test names: <class dir>/<test dir> of every run_module_io.json."""
    return sorted(f"{p.parent.parent.name}/{p.parent.name}"
                  for p in (SNAPSHOT / "generated").rglob("run_module_io.json"))


def collected(output):
    return [line.split()[0] for line in output.splitlines() if "::" in line]


def test_snapshot_collects_with_the_reference_names(snapshot):
    config = SNAPSHOT / "configs" / "torch_ops_cpu_llvm_sync.json"
    result = snapshot.run("--collect-only", configs=[config])
    assert result.returncode == 0, result.output
    names = reference_names()
    assert len(names) == 30
    skipped = json.loads(config.read_text())["skip_compile_tests"]
    assert sorted(collected(result.stdout)) == sorted(f"{n}::simple" for n in names
                                                      if n not in skipped)
    benchmarks = snapshot.run("--collect-only", "-m", "benchmark", configs=[config])
    assert sorted(collected(benchmarks.stdout)) == sorted(
        f"{n}::simple" for n in names if n.startswith("AB/") and n.endswith("_bench"))
    plus = snapshot.run("--collect-only", "-k", "plusc and f16", configs=[config])
    assert sorted(collected(plus.stdout)) == [
        "ABPlusC/64x64xf16::simple", "GeluABPlusC/64x64xf16::simple",
        "ReluABPlusC/64x64xf16::simple"]
    # No --config-files nor $IREE_TEST_CONFIG_FILES: the reference conftest's
    # default, configs/torch_ops_cpu_llvm_sync.json under the suite root.
    environment = {k: v for k, v in os.environ.items() if k != "IREE_TEST_CONFIG_FILES"}
    default = snapshot.run("--collect-only", configs=[], env=environment)
    assert collected(default.stdout) == collected(result.stdout), default.output


def test_snapshot_compare_tests_pass_and_skip_lists_hold(snapshot, tmp_path):
    config = SNAPSHOT / "configs" / "torch_ops_cpu_llvm_sync.json"
    before = tree_listing(SNAPSHOT)
    selection = " or ".join(SNAPSHOT_COMPUTABLE + ["8192x8192", "4096x4096", "2048x2048"])
    with served(tmp_path) as (served_root, base, _log):
        torch_ops_numpy.write_expected(SNAPSHOT / "generated", served_root, SNAPSHOT_COMPUTABLE)
        result = snapshot.run("-j", "2", "-k", selection, configs=[config],
                              mirror=f"{AZURE}={base}/")
    expected = {f"{name}::simple": "PASSED" for name in SNAPSHOT_COMPUTABLE}
    # skip_run_tests: compiled only, no golden needed.
    for size in ("8192x8192", "4096x4096", "2048x2048"):
        expected[f"AB/{size}xf32_bench::simple"] = "PASSED"
    assert verdicts(result.stdout) == expected, result.output
    assert result.returncode == 0
    assert tree_listing(SNAPSHOT) == before


def test_side_by_side_with_the_reference_conftest(snapshot, tmp_path):
    """The reference conftest (pytest in this venv, on a copy of the snapshot)
    and iree-suite on a cheap selection give the same verdict on every test:
    compare tests passing, one failing on a 1-ulp float16 difference
    (ATB/64x64xf16 with rtol 1e-05), a skip_run_tests benchmark, and
    skip_compile_tests honoured (not collected by either).
    bench/torch_ops/run.py runs them all."""
    selection = "ABT or ATB or nhwc_hwcf or 2048x2048 or 1536x64"
    served_names = ["ABT/64x64xf16", "ABT/64x64xf32", "ATB/64x64xf16", "ATB/64x64xf32",
                    "ConvForward/nhwc_hwcf"]
    with served(tmp_path) as (served_root, base, _log):
        torch_ops_side_by_side.write_expected(served_root, served_names)
        ours, _ = torch_ops_side_by_side.run_ours(tmp_path, snapshot.binary, _tools_dir(), base,
                                                  selection)
        reference, _ = torch_ops_side_by_side.run_reference(tmp_path, Path(sys.executable),
                                                            _tools_dir(), base, selection)
    lines, differences = torch_ops_side_by_side.verdict_table(ours, reference)
    assert differences == 0, "\n".join(lines)
    expected = {name: "passed" for name in served_names}
    expected.update({"ATB/64x64xf16": "failed", "AB/2048x2048xf32_bench": "passed"})
    assert reference == expected, "\n".join(lines)
