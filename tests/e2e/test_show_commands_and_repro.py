"""What a test runs, shown without running it (--show-commands, --collect-only
-v, -v for cached modules), and one test's tools rerun in a scratch
directory (`iree-suite repro`), with the real IREE tools on the examples."""

import json
import os
import re
import shlex
import shutil
from pathlib import Path

from conftest import run_binary

QUALITY = "mlp/mlp_quality_cpu.json::mlp_quality_cpu.json"


def _commands(stdout):
    """The `  $ cd DIR && ARGV  # NOTE` lines: (dir, argv, note) each."""
    found = []
    for line in stdout.splitlines():
        match = re.match(r"^\s*\$ cd (\S+) && (.*?)(?:  # (.*))?$", line)
        if match:
            found.append((match.group(1), shlex.split(match.group(2)), match.group(3)))
    return found


def _tool(argv, name):
    return Path(argv[0]).name == name


def _repro(suite, *args, cwd=None):
    """`iree-suite repro` with the suite's flags, from the test directory."""
    argv = suite.argv(*args)
    return run_binary([argv[0], "repro", *argv[1:]], cwd=cwd or suite.root)


def test_show_commands_prints_what_a_run_runs_and_runs_nothing(example_suite):
    shown = example_suite.run("--show-commands", "-k", "mlp_quality_cpu")
    assert shown.returncode == 0, shown.output
    assert shown.stdout.startswith("mlp/mlp_quality_cpu.json  [cpu, llvm-cpu, quick, quality]\n")
    [compile_line, run_line] = _commands(shown.stdout)
    assert _tool(compile_line[1], "iree-compile") and compile_line[2] is None
    assert compile_line[1][1:3] == ["examples/mlp/mlp.mlir", "-o"]
    assert compile_line[1][3].startswith(f"{example_suite.artifacts}/repro/")
    assert _tool(run_line[1], "iree-run-module")
    assert not (example_suite.artifacts / "modules").exists()  # nothing compiled
    assert not (example_suite.artifacts / "logs").exists()  # nothing ran

    # The compile pastes as it is and reproduces the module beside the cache.
    pasted = run_binary(compile_line[1], cwd=compile_line[0])
    assert pasted.returncode == 0, pasted.output
    assert Path(compile_line[1][3]).is_file()

    # The run command is what a run executes (the run shows the real binary).
    ran = example_suite.run("-v", "-k", "mlp_quality_cpu")
    assert ran.returncode == 0, ran.output
    [executed] = [c for c in _commands(ran.stdout) if _tool(c[1], "iree-run-module")]
    assert executed[0] == run_line[0] and executed[1][1:] == run_line[1][1:]

    again = example_suite.run("--show-commands", "-k", "mlp_quality_cpu")
    note = _commands(again.stdout)[0][2]
    assert note and note.startswith(f"cached: {example_suite.artifacts}/modules/"), again.stdout


def test_collect_only_verbose_lists_the_same_commands(example_suite):
    shown = example_suite.run("--show-commands", "-k", "mlp")
    listed = example_suite.run("--collect-only", "-v", "-k", "mlp")
    assert listed.returncode == 0, listed.output
    assert _commands(listed.stdout) == _commands(shown.stdout)
    # compstat: its compile only; benchmark: iree-benchmark-module.
    assert "  $ " not in example_suite.run("--collect-only", "-k", "mlp").stdout
    block = listed.stdout.split("mlp/mlp_compstat_cpu.json ")[1].split("\nmlp/")[0]
    assert len(_commands(block)) == 1, listed.stdout
    assert any(_tool(c[1], "iree-benchmark-module") and "--benchmark_format=json" in c[1]
               for c in _commands(listed.stdout))


def test_verbose_prints_the_compile_of_a_cached_module(example_suite):
    assert example_suite.run("-k", "mlp_quality_cpu").returncode == 0
    cached = example_suite.run("-v", "-k", "mlp_quality_cpu")
    assert cached.returncode == 0, cached.output
    [compile_line] = [c for c in _commands(cached.stdout) if _tool(c[1], "iree-compile")]
    assert compile_line[2].startswith(f"cached: {example_suite.artifacts}/modules/")
    shown = example_suite.run("--show-commands", "-k", "mlp_quality_cpu")
    assert compile_line == _commands(shown.stdout)[0]


def test_repro_reruns_the_tools_in_a_scratch_directory_not_the_cache(example_suite):
    assert example_suite.run("-k", "mlp_quality_cpu").returncode == 0
    [cached] = example_suite.artifacts.glob("modules/*/*/module.vmfb")
    before = {p: p.stat().st_mtime_ns for p in (example_suite.artifacts / "modules").rglob("*")}

    result = _repro(example_suite, QUALITY)
    assert result.returncode == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("repro of mlp/mlp_quality_cpu.json in "), result.stdout
    scratch = Path(lines[0].split(" in ", 1)[1])
    assert scratch.parent == example_suite.artifacts / "repro"
    commands = [line for line in lines if line.startswith("$ ")]
    statuses = [line for line in lines if line.startswith("exit status ")]
    assert len(commands) == 2 and len(statuses) == 2, result.stdout
    assert all(s.startswith("exit status 0 (") for s in statuses), result.stdout
    compiled = next(Path(p) for p in shlex.split(commands[0]) if p.endswith("module.vmfb"))
    assert compiled.is_file() and scratch.resolve() in compiled.resolve().parents
    assert f"--module={compiled}" in shlex.split(commands[1])
    assert (compiled.parent / "compile.log").is_file()
    # The cache is exactly as it was: not one file written.
    after = {p: p.stat().st_mtime_ns for p in (example_suite.artifacts / "modules").rglob("*")}
    assert after == before
    assert compiled.read_bytes() == cached.read_bytes()


def test_repro_exits_with_the_tools_status(example_suite, tmp_path):
    example_suite.edit("mlp/mlp_quality_cpu.json",
                       run_args=["--device=local-task", "--function=no_such_function"])
    output = tmp_path / "scratch"
    result = _repro(example_suite, QUALITY, f"--output={output}")
    [_, run_line] = [line for line in result.stdout.splitlines() if line.startswith("$ ")]
    directory, argv = re.match(r"^\$ cd (\S+) && (.*)$", run_line).groups()
    by_hand = run_binary(shlex.split(argv), cwd=directory)
    assert by_hand.returncode != 0
    assert result.returncode == by_hand.returncode, result.output
    assert f"exit status {by_hand.returncode} (" in result.stdout
    assert "no_such_function" in result.stdout  # the tool's own words
    assert (output / "run.log").is_file()
    # A scratch directory holding something is refused; so is more than one test.
    refused = _repro(example_suite, QUALITY, f"--output={output}")
    assert refused.returncode == 4 and "is not empty" in refused.stderr, refused.output
    several = _repro(example_suite, "-k", "mlp_quality or mlp_compstat_cpu")
    assert several.returncode == 4 and "repro takes one test; 2 selected" in several.stderr


def test_ctrl_c_on_repro_kills_the_running_tool(example_suite):
    import signal
    import subprocess
    import time

    example_suite.slow_mlp_benchmark(60)
    argv = example_suite.argv("-k", "mlp_benchmark_cpu")
    process = subprocess.Popen([argv[0], "repro", *argv[1:]], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=example_suite.root)
    deadline = time.monotonic() + 60
    log = None
    while log is None and time.monotonic() < deadline and process.poll() is None:
        log = next(example_suite.artifacts.glob("repro/*/benchmark.log"), None)
        time.sleep(0.05)
    assert log is not None, process.communicate()
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 130, stdout + stderr  # as a shell reports a Ctrl-C
    assert "interrupted by signal 2" in stderr
    survivors = subprocess.run(["pgrep", "-f", str(example_suite.artifacts)],
                               capture_output=True, text=True)
    assert survivors.stdout == "", survivors.stdout


def test_collect_only_verbose_without_tools_lists_the_ids_quietly(example_suite, tmp_path):
    empty = tmp_path / "no-tools"
    empty.mkdir()
    env = dict(os.environ, PATH="/usr/bin:/bin")
    listed = example_suite.run("--collect-only", "-v", f"--iree-tools-dir={empty}", "-k", "mlp",
                               env=env, tools=False)
    assert listed.returncode == 0, listed.output
    assert listed.stderr == "", listed.stderr
    assert "mlp/mlp_quality_cpu.json" in listed.stdout and "  $ " not in listed.stdout
    shown = example_suite.run("--show-commands", f"--iree-tools-dir={empty}", "-k", "mlp",
                              env=env, tools=False)
    assert shown.returncode == 4, shown.output
    assert "cannot find the IREE tool 'iree-compile'" in shown.stderr


def test_repro_refuses_the_listing_flags(example_suite):
    for flag in ("--collect-only", "--show-commands"):
        refused = _repro(example_suite, QUALITY, flag)
        assert refused.returncode == 4, refused.output
        assert f"argument {flag}: not allowed with repro" in refused.stderr


COMPSTAT = "mlp/mlp_compstat_cpu.json::mlp_compstat_cpu.json"


def _scratch(result):
    return Path(result.stdout.splitlines()[0].split(" in ", 1)[1])


def test_repro_empties_its_scratch_directory_first(example_suite):
    first = _repro(example_suite, COMPSTAT)
    assert first.returncode == 0, first.output
    stale = _scratch(first) / "stale.txt"
    stale.write_text("from before")
    again = _repro(example_suite, COMPSTAT)
    assert again.returncode == 0, again.output
    assert _scratch(again) == stale.parent and not stale.exists()
    assert list(stale.parent.glob("*/module.vmfb")), again.stdout


def test_repro_never_follows_a_link_planted_as_its_scratch_directory(example_suite, tmp_path):
    scratch = _scratch(_repro(example_suite, COMPSTAT))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the artifact directory's")
    shutil.rmtree(scratch)
    scratch.symlink_to(outside, target_is_directory=True)
    refused = _repro(example_suite, COMPSTAT)
    assert refused.returncode == 4, refused.output
    assert str(scratch) in refused.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]



def test_a_test_whose_mlir_is_not_downloaded(example_suite):
    # An MLIR that is not downloaded (and --offline forbids fetching).
    modules = example_suite.base / "examples" / "modules" / "mlp_cpu.json"
    module = json.loads(modules.read_text())
    module["mlir"] = "https://example.invalid/mlp.mlir"
    modules.write_text(json.dumps(module))
    shown = example_suite.run("--show-commands", "--offline", "-k", "mlp_quality_cpu")
    assert shown.returncode == 0, shown.output
    [note] = [line for line in shown.stdout.splitlines() if line.startswith("  # ")]
    assert note.startswith('  # cannot show the commands: module "'), shown.stdout
    assert "mlir: https://example.invalid/mlp.mlir is not downloaded yet" in note, note
    assert "  $ " not in shown.stdout
    result = _repro(example_suite, QUALITY, "--offline")
    assert result.returncode == 1, result.output
    assert "mlir:" in result.stderr and "$ " not in result.stdout


def test_repro_of_a_test_that_cannot_reach_its_tool_exits_1(example_suite):
    # Its module compiles, but its weights cannot be had (--offline).
    example_suite.edit("mlp/mlp_quality_cpu.json", weights=[
        {"type": "url", "scope": "model", "url": "https://example.invalid/mlp_weights.irpa"}])
    result = _repro(example_suite, QUALITY, "--offline")
    assert result.returncode == 1, result.output
    [compile_line] = [line for line in result.stdout.splitlines() if line.startswith("$ ")]
    assert "iree-compile" in compile_line
    assert "mlp_weights.irpa" in result.stderr, result.stderr
