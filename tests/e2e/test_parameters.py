"""Random and splat weights: iree-suite writes parameter archives from the
module's MLIR that IREE's own tools read back (iree-dump-parameters, the
Python runtime) and that iree-run-module runs with."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import EXAMPLES, REPO, Suite, _tools_dir, run_binary

TYPES = ["i1", "i8", "si8", "ui8", "i16", "si16", "ui16", "i32", "si32", "ui32", "i64", "si64",
         "ui64", "f16", "bf16", "f32", "f64", "f8E4M3FN", "f8E4M3FNUZ", "f8E5M2", "f8E5M2FNUZ"]
BYTES = {"i1": 1, "f16": 2, "bf16": 2, "f32": 4, "f64": 8}
CPU_FLAGS = ["--iree-hal-target-device=local", "--iree-hal-local-target-device-backends=llvm-cpu",
             "--iree-llvmcpu-target-cpu=host"]
SHAPE = (64, 3)


def element_bytes(t):
    if t in BYTES:
        return BYTES[t]
    if t.startswith("f8"):
        return 1
    return int(re.sub(r"\D", "", t)) // 8


def numpy_dtype(t):
    if t == "i1":
        return np.dtype(np.uint8)
    if t in ("f16", "f32", "f64"):
        return np.dtype({"f16": np.float16, "f32": np.float32, "f64": np.float64}[t])
    if t == "bf16" or t.startswith("f8"):
        import ml_dtypes  # pinned in requirements-test.txt: never skipped
        return np.dtype({"bf16": ml_dtypes.bfloat16, "f8E4M3FN": ml_dtypes.float8_e4m3fn,
                         "f8E4M3FNUZ": ml_dtypes.float8_e4m3fnuz,
                         "f8E5M2": ml_dtypes.float8_e5m2,
                         "f8E5M2FNUZ": ml_dtypes.float8_e5m2fnuz}[t])
    bits = int(re.sub(r"\D", "", t))
    return np.dtype(f"{'u' if t.startswith('ui') else 'i'}{bits // 8}")


ALL_TYPES_MLIR = "module @all_types {\n" + "".join(
    f'  util.global private @g_{t} = #stream.parameter.named<"model"::"p.{t}"> : '
    f"tensor<{SHAPE[0]}x{SHAPE[1]}x{t}>\n" for t in TYPES) + """\
  util.global private @elsewhere = #stream.parameter.named<"other"::"not.mine"> : tensor<4xf32>
  util.global private @shared = #flow.parameter.named<"unscoped"> : tensor<5xf32>
  util.global private @state : tensor<4xf32>
  func.func @main() -> (tensor<64x3xf32>, tensor<64x3xf16>) {
    %a = util.global.load @g_f32 : tensor<64x3xf32>
    %b = util.global.load @g_f16 : tensor<64x3xf16>
    return %a, %b : tensor<64x3xf32>, tensor<64x3xf16>
  }
}
"""


def make_suite(tmp_path, mlir_text, weights, mlir_name="model.mlir", extra_modules=None):
    """A one-test suite: module p/modules/model_cpu and a quality test of @main."""
    root = tmp_path / "suite"
    (root / "p" / "modules").mkdir(parents=True, exist_ok=True)
    (root / "p" / mlir_name).write_text(mlir_text) if isinstance(mlir_text, str) else \
        (root / "p" / mlir_name).write_bytes(mlir_text)
    modules = {"model_cpu": mlir_name, **(extra_modules or {})}
    for name, mlir in modules.items():
        (root / "p" / "modules" / f"{name}.json").write_text(json.dumps(
            {"mlir": f"p/{mlir}", "compiler_flags": CPU_FLAGS}))
    (root / "p" / "test_cpu.json").write_text(json.dumps({
        "type": "quality", "markers": ["cpu"], "modules": ["p/modules/model_cpu"],
        "weights": weights, "run_args": ["--device=local-task", "--function=main"]}))
    return Suite(root, tmp_path)


def random_weight(seed=42, module="p/modules/model_cpu", scope="model"):
    return {"type": "random", "scope": scope, "module": module, "seed": seed}


def splat_weight(value, module="p/modules/model_cpu", scope="model"):
    return {"type": "splat", "scope": scope, "module": module, "value": value}


def archives(suite, kind):
    return sorted(suite.artifacts.glob(f"parameters/*/*-{kind}.irpa"))


def dump(archive):
    """iree-dump-parameters' table: {key: (start, length)}, start "-" for splats."""
    text = subprocess.run([_tools_dir() / "iree-dump-parameters", f"--parameters={archive}"],
                          capture_output=True, text=True, check=True).stdout
    rows = re.findall(r"^\s*(\S+) \|\s+\S+ \|\s+(\d+) \| `([^`]*)`$", text, re.M)
    return {key: (start, int(length)) for start, length, key in rows}


def load_index(archive):
    import iree.runtime as rt  # the pinned iree-base-runtime
    index = rt.ParameterIndex()
    index.load(str(archive))
    return rt, dict(index.items())


def expected_entries():
    entries = {f"p.{t}": SHAPE[0] * SHAPE[1] * element_bytes(t) for t in TYPES}
    entries["unscoped"] = 20  # no scope: belongs to every scope; "not.mine" is excluded
    return entries


def test_random_archive_lists_every_element_type(tmp_path):
    suite = make_suite(tmp_path, ALL_TYPES_MLIR, [random_weight()])
    result = suite.run()
    assert result.returncode == 0, result.output
    [archive] = archives(suite, "random")
    assert archive.parent.name.startswith("p_modules_model_cpu+")  # EntryName of the module
    assert re.fullmatch(r"[0-9a-f]{16}-random\.irpa", archive.name)
    table = dump(archive)
    assert {key: length for key, (_, length) in table.items()} == expected_entries()
    assert all(start != "-" and int(start) % 64 == 0 for start, _ in table.values())
    assert archive.stat().st_size % 4096 == 0

    # The data has each type's encoding: IREE's runtime reads it back.
    rt, entries = load_index(archive)
    for t in TYPES:
        data = rt.parameter_index_entry_as_numpy_flat_ndarray(entries[f"p.{t}"])
        values = np.frombuffer(data.tobytes(), dtype=numpy_dtype(t))
        assert values.size == SHAPE[0] * SHAPE[1], t
        if t == "i1":
            assert set(np.unique(values)) == {0, 1}
        elif t.startswith(("i", "si", "ui")):
            assert len(np.unique(values)) > 100, t  # uniform over the range
        else:
            floats = values.astype(np.float64)
            assert np.all(np.isfinite(floats)), t
            assert np.abs(floats).max() < 0.1, t  # Normal(0, 0.01): nothing near 10 sigma
            assert 0.006 < floats.std() < 0.014, (t, floats.std())


def test_splat_archive_holds_each_types_pattern_and_no_data(tmp_path):
    suite = make_suite(tmp_path, ALL_TYPES_MLIR, [splat_weight(-1.75)])
    result = suite.run()
    assert result.returncode == 0, result.output
    [archive] = archives(suite, "splat")
    table = dump(archive)
    assert {key: length for key, (_, length) in table.items()} == expected_entries()
    assert all(start == "-" for start, _ in table.values())
    assert archive.stat().st_size == 4096  # splats take no storage

    _, entries = load_index(archive)
    for t in TYPES:
        entry = entries[f"p.{t}"]
        assert entry.is_splat, t
        if t == "i1":
            expected = b"\x01"
        elif t.startswith("ui"):
            expected = np.zeros(1, numpy_dtype(t)).tobytes()  # clamped to the range
        elif t.startswith(("i", "si")):
            expected = np.array([-2], dtype=numpy_dtype(t)).tobytes()  # rounded to even
        else:
            expected = np.array([-1.75]).astype(numpy_dtype(t)).tobytes()
        assert bytes(entry.splat_pattern) == expected, t


def test_generated_archives_run_under_iree_run_module(tmp_path):
    suite = make_suite(tmp_path, ALL_TYPES_MLIR, [random_weight(seed=7)])
    result = suite.run()
    assert result.returncode == 0, result.output
    [archive] = archives(suite, "random")
    [vmfb] = suite.artifacts.glob("modules/*/*/module.vmfb")
    rt, entries = load_index(archive)

    def run(parameters):
        outputs = [tmp_path / "w.npy", tmp_path / "h.npy"]
        completed = subprocess.run(
            [_tools_dir() / "iree-run-module", f"--module={vmfb}", "--device=local-task",
             f"--parameters=model={parameters}", "--function=main",
             *[f"--output=@{o}" for o in outputs]],
            capture_output=True, text=True)
        assert completed.returncode == 0, completed.stdout + completed.stderr
        return [np.load(o) for o in outputs]

    # What the program loads is exactly the archive's data.
    w, h = run(archive)
    stored_w = np.frombuffer(
        rt.parameter_index_entry_as_numpy_flat_ndarray(entries["p.f32"]).tobytes(), np.float32)
    stored_h = np.frombuffer(
        rt.parameter_index_entry_as_numpy_flat_ndarray(entries["p.f16"]).tobytes(), np.float16)
    np.testing.assert_array_equal(w.ravel(), stored_w)
    np.testing.assert_array_equal(h.ravel(), stored_h)

    suite.edit("p/test_cpu.json", weights=[splat_weight(0.1)])
    result = suite.run()
    assert result.returncode == 0, result.output
    [splat] = archives(suite, "splat")
    w, h = run(splat)
    assert np.all(w == np.float32(0.1)) and np.all(h == np.float16(0.1))


def test_splat_example_expects_what_numpy_computes(example_suite):
    # The bundled example's expected output comes from an independent numpy script.
    check = subprocess.run([sys.executable,
                            str(EXAMPLES / "params" / "expected_output.py"), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    result = example_suite.run("-k", "params")
    assert result.returncode == 0, result.output
    assert "params/splat_quality_cpu.json PASSED" in result.stdout
    [archive] = archives(example_suite, "splat")
    assert dump(archive) == {"w": ("-", 24), "b": ("-", 6), "c": ("-", 12)}


def test_archives_are_cached_by_mlir_seed_and_value(tmp_path):
    suite = make_suite(tmp_path, ALL_TYPES_MLIR, [random_weight(seed=1)])
    assert suite.run().returncode == 0
    [first] = archives(suite, "random")
    stamp = first.stat().st_mtime_ns
    data = first.read_bytes()

    # Same inputs: reused as is.
    assert suite.run().returncode == 0
    assert archives(suite, "random") == [first] and first.stat().st_mtime_ns == stamp

    # Another seed: another archive with other data.
    suite.edit("p/test_cpu.json", weights=[random_weight(seed=2)])
    assert suite.run().returncode == 0
    [second] = [a for a in archives(suite, "random") if a != first]
    head = min(int(start) for start, _ in dump(first).values())
    assert second.read_bytes()[:head] == data[:head]  # same layout, other data
    assert second.read_bytes() != data

    # Changed MLIR: made anew, even with the first seed.
    suite.edit("p/test_cpu.json", weights=[random_weight(seed=1)])
    mlir = suite.root / "p" / "model.mlir"
    mlir.write_text("// changed\n" + mlir.read_text())
    assert suite.run().returncode == 0
    assert len(archives(suite, "random")) == 3
    assert not list(suite.artifacts.glob("parameters/*/*.tmp.*"))


BROKEN_MODULES = {
    "none": "module @none {\n  func.func @f() { return }\n}\n",
    "unknown_type": 'module {\n  util.global private @q = #stream.parameter.named<"model"::"q"> :'
                    " tensor<8xf4E2M1FN>\n}\n",
    "malformed": "module {\n  util.global private @y = #stream.parameter.named<model::y> :"
                 " tensor<8xf32>\n}\n",
}


EMPTY_MLIR = "module @empty {\n  func.func @main() { return }\n}\n"


@pytest.mark.parametrize("broken,message", [
    ("none", 'module "p/modules/none" declares no named parameters'),
    ("unknown_type", '/p/unknown_type.mlir: line 2: global @q: unsupported element type '
                     '"f4E2M1FN"'),
    ("malformed", '/p/malformed.mlir: line 2: global @y: expected a quoted string at '
                  '"model::y> : tensor<8xf32>"'),
])
def test_bad_modules_are_clear_errors(tmp_path, broken, message):
    # The test's own module is fine; its weights name the broken module.
    suite = make_suite(tmp_path, EMPTY_MLIR, [random_weight(module=f"p/modules/{broken}")],
                       extra_modules={broken: f"{broken}.mlir"})
    (suite.root / "p" / f"{broken}.mlir").write_text(BROKEN_MODULES[broken])
    result = suite.run()
    assert result.returncode == 1, result.output
    assert "p/test_cpu.json ERROR" in result.stdout, result.stdout
    # One line names the test file, the weight, the module and what is wrong.
    where = f'{suite.root / "p" / "test_cpu.json"}: weights[0]: module "p/modules/{broken}"'
    assert any(line.startswith(where) and message in line
               for line in result.stdout.splitlines()), result.stdout
    assert not archives(suite, "random")


def test_bytecode_mlir_is_read_with_iree_opt(tmp_path):
    text = tmp_path / "all.mlir"
    text.write_text(ALL_TYPES_MLIR)
    bytecode = subprocess.run([_tools_dir() / "iree-opt", "--emit-bytecode", text],
                              capture_output=True, check=True).stdout
    assert bytecode.startswith(b"ML\xefR")
    suite = make_suite(tmp_path, bytecode, [random_weight()], mlir_name="model.mlirbc")
    result = suite.run()
    assert result.returncode == 0, result.output
    [archive] = archives(suite, "random")
    assert {key: length for key, (_, length) in dump(archive).items()} == expected_entries()
    assert not list(archive.parent.glob("*.mlir*"))  # the printed text is removed

    # Without iree-opt beside the other tools, bytecode is a clear error.
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in ["iree-compile", "iree-run-module"]:
        (tools / tool).symlink_to(_tools_dir() / tool)
    shutil.rmtree(suite.artifacts / "parameters")
    result = suite.run(f"--iree-tools-dir={tools}", tools=False)
    assert result.returncode == 1, result.output
    assert "is MLIR bytecode, which needs iree-opt to be read" in result.stdout, result.stdout


def test_big_archives_report_progress(tmp_path):
    big = ('module {\n  util.global private @big = #stream.parameter.named<"model"::"big"> : '
           "tensor<5120x4096xf32>\n}\n")
    suite = make_suite(tmp_path, EMPTY_MLIR, [random_weight(module="p/modules/big")],
                       extra_modules={"big": "big.mlir", "small": "small.mlir"})
    (suite.root / "p" / "big.mlir").write_text(big)
    (suite.root / "p" / "small.mlir").write_text(big.replace("5120x4096", "512x4096"))
    result = suite.run()
    assert result.returncode == 0, result.output
    # As downloads report: bytes of the total, percentage, rate; then the end.
    assert re.search(r"^generating random parameters for p/modules/big: .* / 80\.0 MiB \(\d+%\), "
                     r"\S+ \S+/s", result.stdout, re.M), result.stdout
    assert "generated random parameters for p/modules/big (80.0 MiB)" in result.stdout
    assert dump(archives(suite, "random")[0]) == {"big": ("192", 80 << 20)}

    # Quiet under -q.
    shutil.rmtree(suite.artifacts / "parameters")
    quiet = suite.run("-q")
    assert quiet.returncode == 0, quiet.output
    assert "random parameters" not in quiet.output

    # Small archives say nothing.
    suite.edit("p/test_cpu.json", weights=[random_weight(module="p/modules/small")])
    result = suite.run()
    assert result.returncode == 0, result.output
    assert "generating random parameters" not in result.output


MAKE_PARAMETERS = Path(os.environ.get("IREE_SUITE_BINARY", REPO / "build" / "iree-suite")).parent \
    / "iree-suite-make-parameters"


@pytest.mark.skipif(not MAKE_PARAMETERS.exists(), reason=f"{MAKE_PARAMETERS} is not built")
def test_make_parameters_tool_is_deterministic_across_threads(tmp_path):
    mlir = tmp_path / "all.mlir"
    mlir.write_text(ALL_TYPES_MLIR.replace("64x3x", "4096x33x"))
    suite = make_suite(tmp_path, mlir.read_text(), [random_weight(seed=5)])
    assert suite.run().returncode == 0

    def make(name, *flags):
        result = run_binary([MAKE_PARAMETERS, f"--mlir={mlir}", f"--output={tmp_path / name}",
                             "--scope=model", *flags])
        assert result.returncode == 0, result.output
        return (tmp_path / name).read_bytes()

    one = make("one.irpa", "--seed=5", "--threads=1")
    assert one == make("many.irpa", "--seed=5", "--threads=8")
    assert one == archives(suite, "random")[0].read_bytes()  # what the runner generates
    assert one != make("other.irpa", "--seed=6")
    splat = make("splat.irpa", "--splat=0.5")
    assert len(splat) == 4096

    bad = run_binary([MAKE_PARAMETERS, f"--mlir={mlir}", "--output=x.irpa"], cwd=tmp_path)
    assert bad.returncode == 2 and "usage:" in bad.stderr


HUGE_MLIR = """module @huge {
  util.global private @a = #stream.parameter.named<"model"::"a"> : tensor<1073741824x1073741824x8xi8>
  util.global private @b = #stream.parameter.named<"model"::"b"> : tensor<1073741824x1073741824x8xi8>
  func.func @main() { return }
}
"""


def test_archive_sizes_that_wrap_fail_the_test_and_the_others_run(tmp_path):
    # 2^63 + 2^63 bytes wrap to 0 in 64 bits: before anything is allocated, the
    # test fails naming the parameter, the other test passes, reports are written.
    suite = make_suite(tmp_path, HUGE_MLIR, [random_weight()])
    (suite.root / "p" / "empty.mlir").write_text(EMPTY_MLIR)
    (suite.root / "p" / "modules" / "empty_cpu.json").write_text(json.dumps(
        {"mlir": "p/empty.mlir", "compiler_flags": CPU_FLAGS}))
    (suite.root / "p" / "other_cpu.json").write_text(json.dumps({
        "type": "quality", "markers": ["cpu"], "modules": ["p/modules/empty_cpu"],
        "run_args": ["--device=local-task", "--function=main"]}))
    results = tmp_path / "results.json"
    result = suite.run("-j", "2", "--results-json", results)
    assert result.returncode == 1, result.output
    assert "p/other_cpu.json PASSED" in result.stdout, result.stdout
    assert ('parameter "a": 9223372036854775808 bytes would make the archive larger than '
            '4611686018427387904 bytes') in result.stdout, result.stdout
    verdicts = {t["id"]: t["outcome"] for t in json.loads(results.read_text())["tests"]}
    assert verdicts == {"p/other_cpu.json": "passed", "p/test_cpu.json": "error"}, verdicts
    assert (suite.summary_dir / "job_summary.json").is_file()
    assert not archives(suite, "random")
