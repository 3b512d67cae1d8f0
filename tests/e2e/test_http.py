"""A suite whose MLIR, weights, inputs and expected outputs are all served over
HTTP by a real loopback server passes; a rerun is served from the cache with
no body transferred; --offline and --url-mirror work."""

import contextlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_binary

SERVER = REPO / "tests" / "fetch_server" / "http_server.py"


@contextlib.contextmanager
def served(tmp_path: Path, name="served", faults=None, idle_timeout=90):
    """A loopback server of <tmp>/<name>, with faults injected per path:
    yields (root, base URL, request log)."""
    root = tmp_path / name
    log = tmp_path / f"{name}.log"
    argv = [sys.executable, str(SERVER), f"--root={root}", f"--log={log}",
            f"--idle-timeout={idle_timeout}"]
    if faults is not None:
        faults_file = tmp_path / f"{name}-faults.json"
        faults_file.write_text(json.dumps(faults))
        argv.append(f"--faults={faults_file}")
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        port = int(process.stdout.readline().strip())
        yield root, f"http://127.0.0.1:{port}", log
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def http_server(tmp_path):
    with served(tmp_path) as server:
        yield server


def requests(log: Path):
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def serve_mlp_suite(example_suite, root: Path, base: str, url_base: str):
    """Moves the MLP's files to the server and points the suite at `url_base`."""
    root.mkdir(parents=True, exist_ok=True)
    for relative in ["mlp/mlp.mlir", "mlp/data/mlp_weights.irpa", "mlp/data/mlp_input.bin",
                     "mlp/data/mlp_expected_output.bin"]:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(example_suite.root / relative, target)
    module = example_suite.root / "modules/mlp_cpu.json"
    data = json.loads(module.read_text())
    data["mlir"] = f"{url_base}/mlp/mlp.mlir"
    module.write_text(json.dumps(data))
    test = example_suite.root / "mlp/mlp_quality_cpu.json"
    data = json.loads(test.read_text())
    data["weights"][0]["url"] = f"{url_base}/mlp/data/mlp_weights.irpa"
    data["inputs"][0]["url"] = f"{url_base}/mlp/data/mlp_input.bin"
    data["expected_outputs"][0]["url"] = f"{url_base}/mlp/data/mlp_expected_output.bin"
    test.write_text(json.dumps(data))


def test_suite_served_over_http_then_from_cache(example_suite, http_server):
    root, base, log = http_server
    serve_mlp_suite(example_suite, root, base, base)

    first = example_suite.run("-k", "mlp_quality")
    assert first.returncode == 0, first.output
    fetched = [r for r in requests(log) if r["method"] == "GET" and r["status"] == 200]
    assert sorted(r["path"] for r in fetched) == [
        "/mlp/data/mlp_expected_output.bin", "/mlp/data/mlp_input.bin",
        "/mlp/data/mlp_weights.irpa", "/mlp/mlp.mlir"]

    log.unlink()
    second = example_suite.run("-k", "mlp_quality")
    assert second.returncode == 0, second.output
    again = requests(log)
    assert again, "the rerun revalidates with the server"
    assert all(r["status"] == 304 and r["body_bytes"] == 0 for r in again), again

    # Offline: no request at all, still passes from the cache.
    log.unlink()
    offline = example_suite.run("-k", "mlp_quality", "--offline")
    assert offline.returncode == 0, offline.output
    assert requests(log) == []


def test_offline_without_cache_is_an_error(example_suite, http_server):
    root, base, log = http_server
    serve_mlp_suite(example_suite, root, base, base)
    result = example_suite.run("-k", "mlp_quality", "--offline")
    assert result.returncode == 1, result.output
    assert "--offline" in result.stdout
    assert requests(log) == []


def test_url_mirror_rewrites_unreachable_urls(example_suite, http_server):
    root, base, log = http_server
    blob = "https://sharkpublic.blob.core.windows.net/sharkpublic"
    serve_mlp_suite(example_suite, root, base, blob)
    result = example_suite.run("-k", "mlp_quality", f"--url-mirror={blob}={base}")
    assert result.returncode == 0, result.output
    assert len([r for r in requests(log) if r["status"] == 200]) == 4


def test_cache_verify_finds_altered_downloads_and_fix_makes_the_next_run_refetch(
        example_suite, http_server):
    from conftest import run_binary, _binary
    root, base, log = http_server
    serve_mlp_suite(example_suite, root, base, base)
    assert example_suite.run("-k", "mlp_quality").returncode == 0
    downloads = {p.name: p for p in example_suite.artifacts.glob("downloads/*/*")
                 if p.name != "meta.json" and p.name != ".lock"}
    altered = downloads["mlp_input.bin"]
    data = bytearray(altered.read_bytes())
    data[0] ^= 0xFF  # same size, different bytes: only an MD5 check sees it
    altered.write_bytes(bytes(data))
    truncated = downloads["mlp_weights.irpa"]
    truncated.write_bytes(truncated.read_bytes()[:100])

    verify = run_binary([_binary(), "cache", "verify", f"--artifact-directory={example_suite.artifacts}"])
    assert verify.returncode == 1, verify.output
    assert "mlp_input.bin" in verify.stdout and "mlp_weights.irpa" in verify.stdout

    fixed = run_binary([_binary(), "cache", "verify", "--fix",
                        f"--artifact-directory={example_suite.artifacts}"])
    assert "[removed]" in fixed.stdout, fixed.output
    log.unlink()
    again = example_suite.run("-k", "mlp_quality")
    assert again.returncode == 0, again.output
    refetched = sorted(r["path"] for r in requests(log) if r["status"] == 200)
    assert refetched == ["/mlp/data/mlp_input.bin", "/mlp/data/mlp_weights.irpa"]


def test_a_download_altered_on_disk_is_refetched_by_the_next_run(example_suite, http_server):
    import os
    root, base, log = http_server
    serve_mlp_suite(example_suite, root, base, base)
    assert example_suite.run("-k", "mlp_quality").returncode == 0
    downloads = {p.name: p for p in example_suite.artifacts.glob("downloads/*/*")
                 if p.name not in ("meta.json", ".lock")}
    altered = downloads["mlp_input.bin"]
    data = bytearray(altered.read_bytes())
    data[0] ^= 0xFF  # same size: the file's changed time gives it away
    altered.write_bytes(bytes(data))
    touched = downloads["mlp_weights.irpa"]
    os.utime(touched)  # touched, bytes unchanged: rehashed once and kept
    log.unlink()
    again = example_suite.run("-k", "mlp_quality")
    assert again.returncode == 0, again.output
    bodies = sorted(r["path"] for r in requests(log) if r["status"] == 200)
    assert bodies == ["/mlp/data/mlp_input.bin"]
    assert altered.read_bytes()[0] != data[0]  # the server's bytes again


def test_ctrl_c_stops_a_download_in_flight(example_suite, tmp_path):
    import signal
    import time
    # The weights stall for a minute after 100 bytes: only Ctrl-C ends this early.
    faults = {"/mlp/data/mlp_weights.irpa": {"stall_after": 100, "stall_s": 60, "stall_count": 5}}
    with served(tmp_path, "stalling", faults) as (root, base, log):
        serve_mlp_suite(example_suite, root, base, base)
        run = subprocess.Popen(example_suite.argv("-k", "mlp_quality"), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        # The server logs a request when it ends; the partial file shows it began.
        while not list(example_suite.artifacts.glob("downloads/*/mlp_weights.irpa.partial.*")):
            assert time.monotonic() < deadline, "the download never started"
            time.sleep(0.1)
        time.sleep(0.5)
        interrupted_at = time.monotonic()
        run.send_signal(signal.SIGINT)
        stdout, stderr = run.communicate(timeout=30)
        assert time.monotonic() - interrupted_at < 10, "the stalled download kept the run alive"
        assert run.returncode == 2, stdout + stderr
        assert "interrupted by signal 2" in stderr
        # Nothing half-fetched is published: only a partial, kept for resuming.
        entry = next(p for p in example_suite.artifacts.glob("downloads/*/mlp_weights.irpa*"))
        assert ".partial." in entry.name


def test_downloads_have_their_own_pool(example_suite, tmp_path):
    # One test worker (-j 1), two download slots: the slow weights and input
    # are fetched at the same time, ahead of the test that needs them.
    slow = {"stall_after": 10, "stall_s": 1.5, "stall_count": 1}
    faults = {"/mlp/data/mlp_weights.irpa": slow, "/mlp/data/mlp_input.bin": slow}
    with served(tmp_path, "slow", faults) as (root, base, log):
        serve_mlp_suite(example_suite, root, base, base)
        trace = tmp_path / "trace.json"
        result = example_suite.run("-k", "mlp_quality", "-j", "1", "--fetch-jobs", "2",
                                   f"--trace={trace}")
        assert result.returncode == 0, result.output
    # The first span of a URL is its download; later ones wait for it.
    spans = {}
    for e in sorted(json.loads(trace.read_text())["traceEvents"], key=lambda e: e.get("ts", 0)):
        if e.get("cat") == "fetch":
            spans.setdefault(e["name"], (e["ts"], e["ts"] + e["dur"]))
    weights = spans[f"{base}/mlp/data/mlp_weights.irpa"]
    inputs = spans[f"{base}/mlp/data/mlp_input.bin"]
    assert weights[1] - weights[0] > 1e6 and inputs[1] - inputs[0] > 1e6, spans
    assert weights[0] < inputs[1] and inputs[0] < weights[1], spans  # they overlap


def _compiled_vmfb(suite, artifacts, *args):
    argv = [a for a in suite.argv("-k", "mlp_compstat_cpu", *args)
            if not a.startswith("--artifact-directory=")]
    result = run_binary([*argv, f"--artifact-directory={artifacts}"], cwd=suite.tmp)
    assert result.returncode == 0, result.output
    [vmfb] = artifacts.glob("modules/*mlp_cpu*/*/module.vmfb")
    return result, vmfb.read_bytes()


def test_a_downloaded_mlir_compiles_to_the_same_bytes_wherever_the_artifacts_are(
        example_suite, http_server):
    # The module embeds its input's path: a downloaded MLIR is named from the
    # artifact directory (downloads/<hash>/mlp.mlir), the same on every machine.
    root, base, _ = http_server
    serve_mlp_suite(example_suite, root, base, base)
    short = example_suite.tmp / "a"
    deep = example_suite.tmp / "a much longer folder name" / "of" / "the artifacts"
    first, near = _compiled_vmfb(example_suite, short, "--log-cli-level=INFO")
    _, far = _compiled_vmfb(example_suite, deep)
    assert near == far
    assert re.search(rf"^  \$ cd {re.escape(str(short))} && \S+/iree-compile "
                     r"downloads/[0-9a-f]{16}/mlp\.mlir -o ", first.stdout, re.M), first.stdout
