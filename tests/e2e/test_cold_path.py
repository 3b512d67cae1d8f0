"""The cold path: no Python wrapper before a tool, compile failures
remembered, compiles through the compiler library in worker processes."""

import json
import os
import re
import signal
import stat
import subprocess
import time
from pathlib import Path

from conftest import _tools_dir, run_binary


def _wrapper_copies(tools_dir: Path, into: Path, marker: Path):
    """Copies of the venv's pip console scripts that touch `marker` when run,
    so a test can tell whether any wrapper was started."""
    into.mkdir()
    for name in ("iree-compile", "iree-run-module", "iree-benchmark-module"):
        lines = (tools_dir / name).read_text().splitlines(keepends=True)
        lines.insert(2, f"open({str(marker)!r}, 'a').write({name!r} + '\\n')\n")
        (into / name).write_text("".join(lines))
        (into / name).chmod(stat.S_IRWXU)


def test_console_scripts_are_resolved_to_the_real_binaries(example_suite, tmp_path):
    marker = tmp_path / "wrappers-started"
    wrappers = tmp_path / "wrappers"
    _wrapper_copies(_tools_dir(), wrappers, marker)
    example_suite.edit("multi_module/multi_module_quality_cpu.json",
                       expected_outputs=[{"value": "8xf32=9,9,9,9,9,9,9,9"}])
    result = example_suite.run(f"--iree-tools-dir={wrappers}", "-k", "quality or benchmark",
                               tools=False)
    assert result.returncode == 1, result.output
    assert not marker.exists(), marker.read_text()
    # The header names both the wrapper and the binary run in its place.
    for name, package in (("iree-compile", "iree/compiler/_mlir_libs"),
                          ("iree-run-module", "iree/_runtime_libs"),
                          ("iree-benchmark-module", "iree/_runtime_libs")):
        assert re.search(rf"^{name}: {wrappers / name} -> \S+/site-packages/{package}/{name} \(",
                         result.stdout, re.M), result.stdout
    # The repro line keeps the name the user's search found.
    assert re.search(rf"^cd \S+ && {wrappers / 'iree-run-module'} --module=", result.stdout,
                     re.M), result.stdout
    assert "passed" in result.stdout


def _compiles(suite, *args):
    """Runs the suite with a trace; returns the result and the modules compiled."""
    trace = suite.tmp / "trace.json"
    result = suite.run(f"--trace={trace}", *args)
    events = json.loads(trace.read_text())["traceEvents"]
    return result, [e["name"] for e in events if e.get("cat") == "compile"]


def test_a_compile_error_is_remembered_until_forced(example_suite):
    (example_suite.root / "mlp/mlp.mlir").write_text("func.func @broken( {\n")
    first, compiled = _compiles(example_suite, "-k", "mlp_quality")
    assert first.returncode == 1, first.output
    assert compiled == ["examples/modules/mlp_cpu"]
    assert "cached failure" not in first.stdout
    # Same key: the failure and its log come back without compiling.
    second, compiled = _compiles(example_suite, "-k", "mlp_quality")
    assert second.returncode == 1, second.output
    assert compiled == []
    assert re.search(r'iree-compile failed \(exit status 1\) for module "examples/modules/mlp_cpu" '
                     r"\(cached failure from \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ; ", second.stdout)
    assert "error:" in second.stdout  # the remembered compiler output
    assert re.search(r"^cd \S+ && \S+iree-compile \S+mlp\.mlir -o ", second.stdout, re.M)
    # --force-recompile asks the compiler again.
    forced, compiled = _compiles(example_suite, "-k", "mlp_quality", "--force-recompile")
    assert forced.returncode == 1, forced.output
    assert compiled == ["examples/modules/mlp_cpu"]
    assert "cached failure" not in forced.stdout


def test_a_timed_out_compile_is_not_remembered(example_suite):
    first = example_suite.run("-k", "mlp_quality", "--timeout=0.05")
    assert first.returncode == 1, first.output
    assert re.search(r"iree-compile failed \(timed out after", first.stdout), first.stdout
    second = example_suite.run("-k", "mlp_quality")
    assert second.returncode == 0, second.output
    assert "cached failure" not in second.stdout


def _module_files(artifacts: Path):
    return {p.relative_to(artifacts): p.read_bytes()
            for pattern in ("modules/*/*/module.vmfb", "modules/*/*/compile_stats.json")
            for p in artifacts.glob(pattern)}


def _same_modules_both_ways(argv, tmp: Path, expected_modules):
    """Compiles through the library, then with iree-compile: same files."""
    library = run_binary([*argv, f"--artifact-directory={tmp / 'library'}", "-v",
                          "--compile-mode=library"], cwd=tmp)
    process = run_binary([*argv, f"--artifact-directory={tmp / 'process'}",
                          "--compile-mode=process"], cwd=tmp)
    assert "compile workers load " in library.stderr, library.output
    assert "compiling with iree-compile" not in library.stderr, library.output
    by_library, by_process = _module_files(tmp / "library"), _module_files(tmp / "process")
    assert len(by_process) == 2 * expected_modules, process.output
    assert sorted(by_library) == sorted(by_process), library.output
    for name, data in by_process.items():
        assert by_library[name] == data, f"{name} differs between library and iree-compile"
    return library, process


def test_library_modules_are_identical_to_iree_compile_examples(example_suite):
    argv = example_suite.argv("-m", "cpu")
    argv = [a for a in argv if not a.startswith("--artifact-directory=")]
    library, process = _same_modules_both_ways(argv, example_suite.tmp, expected_modules=4)
    assert library.returncode == process.returncode == 0, library.output + process.output


def test_library_modules_are_identical_to_iree_compile_op_suite(tmp_path, binary):
    fixture = Path(__file__).resolve().parent / "op_suite_fixture"
    argv = [binary, f"--test-file-directory={fixture}", f"--job-summary-path={tmp_path}",
            f"--iree-tools-dir={_tools_dir()}", "--skip-all-runs",
            "--config-files", fixture / "configs" / "cpu.json"]
    library, process = _same_modules_both_ways(argv, tmp_path, expected_modules=8)
    # The compile the compiler rejects fails the same way, with the same log.
    assert library.stdout.count("FAILED") == process.stdout.count("FAILED"), library.output
    logs = [sorted(tmp_path.glob(f"{mode}/modules/*/*.failed/compile.log"))
            for mode in ("library", "process")]
    assert logs[0] and len(logs[0]) == len(logs[1])
    for by_library, by_process in zip(*logs):
        assert by_library.read_text() == by_process.read_text()


def test_library_modules_are_identical_to_iree_compile_onnx_ops(corpus, tmp_path, binary):
    suite = corpus / "iree-onnx-ops"
    config = suite / "configs-iree" / "onnx_ops_cpu_llvm_sync_O2.json"
    name = re.search(r'"config_name"\s*:\s*"([^"]+)"', config.read_text()).group(1)
    sample = [f"onnx/node/generated/{test}::{name}"
              for test in ("test_abs", "test_add", "test_matmul_2d", "test_softmax_axis_0",
                           "test_conv_with_strides_padding")
              if (suite / "onnx/node/generated" / test).is_dir()]
    assert sample, f"none of the sampled tests is in {suite}"
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(sample) + "\n")
    argv = [binary, f"--test-file-directory={suite}", f"--job-summary-path={tmp_path}",
            f"--iree-tools-dir={_tools_dir()}", "--skip-all-runs", f"--test-ids-file={ids}",
            "--config-files", config]
    _same_modules_both_ways(argv, tmp_path, expected_modules=len(sample))


def _slow_module(suite, functions=150):
    """A module of many independent functions: seconds to compile."""
    body = "\n".join(
        f"  func.func @f{i}(%a: tensor<16x16xf32>, %b: tensor<16x16xf32>) -> tensor<16x16xf32> {{\n"
        f"    %0 = arith.mulf %a, %b : tensor<16x16xf32>\n"
        f"    %1 = arith.addf %0, %a : tensor<16x16xf32>\n"
        f"    return %1 : tensor<16x16xf32>\n  }}" for i in range(functions))
    (suite.root / "mlp" / "slow.mlir").write_text("module {\n" + body + "\n}\n")
    module = json.loads((suite.root / "modules/mlp_cpu.json").read_text())
    module["mlir"] = "examples/mlp/slow.mlir"
    (suite.root / "modules/slow_cpu.json").write_text(json.dumps(module))
    suite.edit("mlp/mlp_compstat_cpu.json", module="examples/modules/slow_cpu")


def test_a_worker_killed_mid_compile_fails_that_compile_only(example_suite):
    _slow_module(example_suite)
    argv = example_suite.argv("-m", "compstat and cpu or quality and cpu", "-j", "1",
                              "--compile-mode=library")
    runner = subprocess.Popen(argv, cwd=example_suite.tmp, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    killed = None
    while killed is None and time.monotonic() < deadline and runner.poll() is None:
        staging = list(example_suite.artifacts.glob("modules/*slow_cpu*/*.tmp.*"))
        workers = [pid for pid in _children(runner.pid)
                   if _program(pid) == "iree-suite-compile-worker"]
        if staging and workers:
            time.sleep(0.3)  # well into the compile
            os.kill(workers[0], signal.SIGKILL)
            killed = workers[0]
        time.sleep(0.02)
    output, _ = runner.communicate(timeout=300)
    assert killed, output
    assert runner.returncode == 1, output
    assert re.search(r"iree-compile failed \(killed by signal 9 \(Killed\) in compile worker "
                     rf"{killed} on \S+libIREECompiler\.so; the next compile starts a new worker\) "
                     r'for module "examples/modules/slow_cpu"', output), output
    # The other modules compiled on a fresh worker, and their tests passed.
    assert re.search(r"^FAILED mlp/mlp_compstat_cpu\.json", output, re.M), output
    assert re.search(r"=+ 1 failed, 3 passed", output), output
    # A crash is not the compiler's verdict on the module: it is not remembered.
    assert not list(example_suite.artifacts.glob("modules/*/*.failed/failure.json"))
    # Its log is kept; what the compiler half wrote is not.
    assert list(example_suite.artifacts.glob("modules/*/*.failed/compile.log"))
    assert not list(example_suite.artifacts.glob("modules/*/*.failed/module.vmfb"))


def _children(pid):
    children = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat_file.parent.name))
    return children


def _program(pid):
    try:
        return Path(Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()).name
    except OSError:
        return ""


def test_a_process_global_flag_compiles_with_iree_compile(example_suite):
    module = json.loads((example_suite.root / "modules/mlp_cpu.json").read_text())
    module["compiler_flags"].append("--mlir-timing")
    (example_suite.root / "modules/mlp_cpu.json").write_text(json.dumps(module))
    result = example_suite.run("-k", "mlp_compstat_cpu", "-v")
    assert result.returncode == 0, result.output
    assert re.search(r"^iree-suite: compiling with iree-compile, not the compiler library: "
                     r"--mlir-timing is no --iree-\* option", result.stderr, re.M), result.output
    assert list(example_suite.artifacts.glob("modules/*/*/module.vmfb"))
    # iree-compile took the flag: its timing report is in the log.
    log = next(example_suite.artifacts.glob("modules/*/*/compile.log")).read_text()
    assert "Execution time report" in log, log


def test_a_library_that_does_not_load_falls_back_in_one_line(example_suite, tmp_path):
    bogus = tmp_path / "libIREECompiler.so"
    bogus.write_text("not a library\n")
    result = example_suite.run("-m", "compstat and cpu", "-v", f"--compiler-library={bogus}")
    assert result.returncode == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "compiler library" in line]
    assert len(lines) == 1, result.stderr
    assert str(bogus) in lines[0] and "cannot load" in lines[0], lines


def _retirements(result):
    return re.findall(r"^iree-suite: compile worker (\d+) retired (.*)$", result.stderr, re.M)


def test_workers_are_retired_after_max_compiles_and_max_rss(example_suite):
    common = ("-m", "cpu and not benchmark", "-j", "1", "--compile-mode=library", "-v")
    kept, compiled = _compiles(example_suite, *common)
    assert kept.returncode == 0, kept.output
    assert len(compiled) >= 2, compiled
    assert _retirements(kept) == [], kept.stderr
    # One compile per worker: every compile retires its worker, and each
    # compile ran on a fresh one.
    once, compiled = _compiles(example_suite, *common, "--force-recompile",
                               "--compile-worker-max-compiles=1")
    assert once.returncode == 0, once.output
    retired = _retirements(once)
    assert len(retired) == len(compiled), (compiled, once.stderr)
    assert len({pid for pid, _ in retired}) == len(retired), retired
    assert all(why == "after 1 compiles (--compile-worker-max-compiles=1)" for _, why in retired)
    # A high-water mark below any compiler's footprint retires every worker too.
    small, compiled = _compiles(example_suite, *common, "--force-recompile",
                                "--compile-worker-max-rss=1")
    assert small.returncode == 0, small.output
    retired = _retirements(small)
    assert len(retired) == len(compiled), (compiled, small.stderr)
    assert all(re.fullmatch(r"holding \d+ MiB \(--compile-worker-max-rss=1\)", why)
               for _, why in retired), retired
