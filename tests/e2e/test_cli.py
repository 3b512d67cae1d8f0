"""The command line: IREE CI's pytest invocation runs unchanged, usage errors
and missing tools are one clear line, exit codes are pytest's."""

import os
import re

from conftest import run_binary


def test_iree_ci_invocation_is_accepted(example_suite, tmp_path):
    # IREE CI's torch_models command line, with `pytest iree-test-suites/torch_models`
    # replaced by iree-suite.
    result = example_suite.run(
        "-rpFe", "--log-cli-level=info", "-o", "log_cli=True", "--durations=0",
        "--timeout=1200", "--capture=no", "-m", "cpu and quality")
    assert result.returncode == 0, result.output
    assert re.search(r"=+ 3 passed, 5 deselected in", result.stdout)
    md = (example_suite.summary_dir / "job_summary.md").read_text()
    assert md.startswith("# Job Summary For Markers: cpu and quality\n")


def test_help_documents_flags(binary):
    result = run_binary([binary, "--help"])
    assert result.returncode == 0
    # Each flag starts an option line of the help ("  -m TEXT", "  -x,--exitfirst"),
    # so "-m" is not satisfied by "--module-directory".
    documented = set()
    for line in result.stdout.splitlines():
        match = re.match(r"^\s+(-[^\s]+)", line)
        if match:
            documented.update(match.group(1).split(","))
    for flag in ["--test-file-directory", "--module-directory", "--external-file-directory",
                 "--artifact-directory", "--force-recompile", "--cache-modules",
                 "--job-summary-path", "--log-cli-level", "-m", "-k", "--collect-only",
                 "--junitxml", "--durations", "--timeout", "-x", "--iree-tools-dir"]:
        assert flag in documented, flag


def test_bad_marker_expression_is_a_usage_error(example_suite):
    result = example_suite.run("-m", "cpu and (")
    assert result.returncode == 4
    assert "Wrong expression passed to '-m': cpu and (" in result.stderr
    assert "column" in result.stderr


def test_missing_required_flag_is_a_usage_error(binary, tmp_path):
    result = run_binary([binary, f"--test-file-directory={tmp_path}"], cwd=tmp_path)
    assert result.returncode == 4
    assert "--module-directory is required" in result.stderr


def test_missing_tool_is_one_clear_line(example_suite, tmp_path):
    empty = tmp_path / "no-tools"
    empty.mkdir()
    result = example_suite.run(f"--iree-tools-dir={empty}", "-m", "compstat", tools=False)
    assert result.returncode == 4
    lines = [line for line in result.stderr.splitlines() if line]
    assert len(lines) == 1, result.stderr
    assert "cannot find the IREE tool 'iree-compile'" in lines[0]
    assert "pip install iree-base-compiler" in lines[0]


def test_tools_dir_from_environment(example_suite, tmp_path):
    env = dict(os.environ, IREE_SUITE_TOOLS_DIR=str(tmp_path))
    result = example_suite.run("-m", "compstat", env=env, tools=False)
    assert result.returncode == 4
    assert f"not in {tmp_path}" in result.stderr


def test_timeout_kills_the_tool_and_fails_the_test(example_suite):
    # A benchmark asked to run for a long time is stopped by --timeout.
    example_suite.slow_mlp_benchmark(60)
    result = example_suite.run("-k", "mlp_benchmark", "--timeout=3")
    assert result.returncode == 1, result.output
    assert re.search(r"iree-benchmark-module timed out after 3\.\d s", result.stdout)


def test_sigint_kills_the_running_tool_and_writes_reports(example_suite):
    import signal
    import subprocess
    import time


    example_suite.slow_mlp_benchmark(60)
    argv = example_suite.argv("-k", "mlp_benchmark")
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = None
    deadline = time.monotonic() + 30
    while log is None and time.monotonic() < deadline:
        # The tool writes its log under a temp name while it runs.
        log = next(example_suite.artifacts.glob("logs/*mlp_benchmark*/benchmark.log*"), None)
        time.sleep(0.1)
    assert log is not None
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 2, stdout + stderr
    assert "interrupted by signal 2" in stderr
    # No tool of this run survives it.
    survivors = subprocess.run(["pgrep", "-f", str(example_suite.artifacts)],
                               capture_output=True, text=True)
    assert survivors.stdout == "", survivors.stdout
    assert (example_suite.summary_dir / "job_summary.json").exists()
    # Nothing half-made is left where a later run could take it for complete.
    assert not list(example_suite.artifacts.rglob("*.tmp.*"))


def test_status_line_on_a_terminal_only(example_suite):
    import pty
    import subprocess


    argv = example_suite.argv("-m", "compstat", "-j", "2")
    leader, follower = pty.openpty()
    process = subprocess.Popen(argv, stdout=follower, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    text = output.decode(errors="replace")
    assert process.returncode == 0, text
    assert re.search(r"\[\d/3 done, \d running, \d queued\]", text), text
    # It names what actually runs (here a compile) and for how long.
    assert re.search(r"queued\] compile \S+/modules/\S+ \d+s", text), text
    assert "\x1b[K" in text
    plain = example_suite.run("-m", "compstat")
    assert "\x1b[K" not in plain.stdout and "queued]" not in plain.stdout


def test_sigint_during_compile_leaves_no_partial_module(example_suite):
    import signal
    import subprocess
    import time


    argv = example_suite.argv("-k", "gfx942")
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(example_suite.artifacts.rglob("*.tmp.*")):
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 2, stdout + stderr
    assert not list(example_suite.artifacts.glob("modules/*/*/module.vmfb")), "no complete entry"
    assert not list(example_suite.artifacts.rglob("*.tmp.*"))
    # The next run compiles it properly.
    again = example_suite.run("-k", "gfx942")
    assert again.returncode == 0, again.output
