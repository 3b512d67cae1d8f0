"""The torch_ops suite format end to end: inputs generated natively (checked
against numpy's bytes), outputs compared with allclose against expected arrays
computed with numpy and served from loopback, benchmarks judged against the
config's golden_times_ms. On the hand-written fixture in torch_ops_fixture/
and, where present, on the reference snapshot's 30 generated tests."""

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import REPO, _tools_dir, run_binary, verdicts
from test_http import served
import torch_ops_numpy

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

# Snapshot compare tests whose operation numpy computes (see torch_ops_numpy.py).
SNAPSHOT_COMPUTABLE = [
    "AB/Nx64xf16_64xNxf16", "AB/Nx64xf32_64xNxf32", "ABT/64x64xf16", "ABT/64x64xf32",
    "ATB/64x64xf32", "ABPlusC/64x64xf16", "ABPlusC/64x64xf32", "ReluABPlusC/64x64xf16",
    "ReluABPlusC/64x64xf32", "GeluABPlusC/64x64xf16", "GeluABPlusC/64x64xf32",
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

    def run(self, *args, configs, mirror=None):
        argv = [self.binary, f"--test-file-directory={self.root}",
                f"--artifact-directory={self.artifacts}", f"--job-summary-path={self.tmp}",
                f"--iree-tools-dir={_tools_dir()}"]
        if mirror:
            argv.append(f"--url-mirror={mirror}")
        return run_binary(argv + list(args) + ["--config-files", *configs], cwd=self.tmp)


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


def test_expected_run_failure_covers_a_failing_tool_not_a_mismatch(fixture, tmp_path):
    config = json.loads((fixture.root / "configs/cpu.json").read_text())
    config["expected_run_failures"] = ["Divide/nan_differs", "MatMul/4x8xf32"]
    config["iree_run_module_flags"] = ["--device=local-task"]
    (fixture.root / "configs/cpu.json").write_text(json.dumps(config, indent=4))
    # MatMul/4x8xf32 gets a wrong input shape, so that iree-run-module fails.
    spec_file = fixture.root / "generated/MatMul/4x8xf32/run_module_io.json"
    spec = json.loads(spec_file.read_text())
    spec["flat_args"][0]["Formula"]["shape"] = [5, 8]
    spec_file.write_text(json.dumps(spec))
    with served(tmp_path) as (served_root, base, _log):
        write_fixture_expected(fixture.root, served_root)
        result = fixture.run("-k", "nan_differs or 4x8xf32", configs=[fixture.root / "configs/cpu.json"],
                             mirror=f"{FIXTURE_MIRROR}={base}/")
    # As the reference: only IreeRunException is the expected failure; an
    # allclose assertion is a failure whatever the lists say.
    assert verdicts(result.stdout) == {"Divide/nan_differs::cpu": "FAILED",
                                       "MatMul/4x8xf32::cpu": "XFAIL"}, result.output


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
    measured = {t["id"]: min(t["benchmark"]["samples"])
                for t in json.loads(results.read_text())["tests"]}
    goldens = json.loads(after)["golden_times_ms"]
    for name in ("generous", "impossible"):
        assert goldens[f"MatMulBench/{name}"] == pytest.approx(
            round(measured[f"MatMulBench/{name}::cpu"] * 1.1, 3), abs=1e-9)
    assert "MatMulBench/no_golden" not in goldens  # listed with a suggestion instead
    assert "MatMulBench/no_golden" in update.output
    # Only the numbers' text changed.
    strip = lambda text: re.sub(r"[0-9.e-]+,?$", "", text, flags=re.M)
    assert strip(before) == strip(after)


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
