#!/usr/bin/env python3
"""On-demand demonstrations for iree-suite's artifact downloads (not part of `make test`).

  .venv/bin/python bench/fetch/run.py [--big-gib 2] [--resume-gib 1] [--only 1,2,3,4]

1. throughput and memory: a >= 2 GiB random file fetched by `curl -s -o` (then
   `sync -f` on it: iree-suite fsyncs its downloads) and by iree-suite (a one-test suite whose input URL is the big file), each in its own
   child process under /usr/bin/time -v, from the same http_server.py.
2. resume: the server is killed mid-transfer (during an injected stall), a new
   server on the same root serves the rest through --url-mirror; the new server
   sends fewer bytes than the file (Range) and the cache's meta.json verifies.
3. concurrency: four iree-suite processes on one artifact directory: each URL
   body is downloaded once, each module compiled once, no temp files remain.
4. cache verify: a flipped byte and a truncation are found, --fix removes them,
   the next run refetches exactly those two.

Every demonstration prints one PASS/FAIL line with its numbers. Standard
library only.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("IREE_SUITE_BINARY", REPO / "build" / "iree-suite"))
TOOLS = Path(os.environ.get("IREE_SUITE_TOOLS_DIR", REPO / ".venv" / "bin"))
SERVER = REPO / "tests" / "fetch_server" / "http_server.py"
EXAMPLES = REPO / "examples"
MIB = 1 << 20
GIB = 1 << 30
RESULTS = []


def report(name, ok, details):
    line = f"{'PASS' if ok else 'FAIL'} {name}: {details}"
    RESULTS.append((name, ok))
    print(line, flush=True)


def note(text):
    print(f"    {text}", flush=True)


class Server:
    """http_server.py on a root, with its JSON-lines request log."""

    def __init__(self, root: Path, log: Path, faults: Path = None):
        self.root, self.log = root, log
        argv = [sys.executable, str(SERVER), f"--root={root}", f"--log={log}",
                "--idle-timeout=300"]
        if faults:
            argv.append(f"--faults={faults}")
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
        self.port = int(self.process.stdout.readline().strip())
        self.base = f"http://127.0.0.1:{self.port}"

    def requests(self):
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()]

    def kill(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def suite_argv(suite: Path, artifacts: Path, summary: Path, *extra):
    # The examples name modules and files relative to the folder above them.
    return [str(BINARY), f"--test-file-directory={suite}", f"--module-directory={suite.parent}",
            f"--external-file-directory={suite.parent}", f"--artifact-directory={artifacts}",
            f"--job-summary-path={summary}", f"--iree-tools-dir={TOOLS}", *map(str, extra)]


def make_random_file(path: Path, size: int):
    chunk = 64 * MIB
    md5 = hashlib.md5()
    with open(path, "wb") as f:
        left = size
        while left:
            data = os.urandom(min(chunk, left))
            md5.update(data)
            f.write(data)
            left -= len(data)
    return md5.hexdigest()


def md5_of(path: Path):
    md5 = hashlib.md5()
    with open(path, "rb") as f:
        while True:
            data = f.read(16 * MIB)
            if not data:
                return md5.hexdigest()
            md5.update(data)


def children_of(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def vm_hwm_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def timed(argv, cwd=None, watch_child=False):
    """Runs argv under /usr/bin/time -v. Returns (returncode, wall_s, maxrss_kib incl.
    descendants, own VmHWM of the direct child of `time` if watch_child, output)."""
    with tempfile.NamedTemporaryFile(suffix=".time", delete=False) as t:
        time_file = t.name
    start = time.monotonic()
    process = subprocess.Popen(["/usr/bin/time", "-v", "-o", time_file, *map(str, argv)],
                               cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    own_peak = [None]

    def watch():
        target = None
        while process.poll() is None:
            if target is None:
                kids = children_of(process.pid)
                target = kids[0] if kids else None
            if target is not None:
                value = vm_hwm_kib(target)
                if value is not None:
                    own_peak[0] = max(own_peak[0] or 0, value)
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True) if watch_child else None
    if watcher:
        watcher.start()
    output = process.communicate()[0]
    wall = time.monotonic() - start
    if watcher:
        watcher.join()
    text = Path(time_file).read_text()
    os.unlink(time_file)
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    status = re.search(r"Exit status: (\d+)", text)
    rc = int(status.group(1)) if status else process.returncode
    return rc, wall, int(match.group(1)) if match else None, own_peak[0], output


def trace_events(path: Path):
    data = json.loads(path.read_text())
    events = data["traceEvents"] if isinstance(data, dict) else data
    return [e for e in events if e.get("ph") == "X"]


def copy_examples(tmp: Path) -> Path:
    suite = tmp / "suite" / "examples"
    shutil.copytree(EXAMPLES, suite)
    return suite


def edit_json(path: Path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


def leftovers(artifacts: Path):
    return [str(p.relative_to(artifacts)) for p in artifacts.rglob("*")
            if ".tmp." in p.name or ".partial." in p.name]


# --------------------------------------------------------------------------- 1
def demo_throughput(tmp: Path, size: int):
    served = tmp / "served"
    served.mkdir()
    big = served / "big.bin"
    t0 = time.monotonic()
    big_md5 = make_random_file(big, size)
    note(f"created {size / GIB:.2f} GiB of random bytes in {time.monotonic() - t0:.1f}s")
    server = Server(served, tmp / "server.log")
    try:
        url = f"{server.base}/big.bin"
        # curl
        out = tmp / "curl.out"
        rc_c, wall_c, rss_c, _, out_c = timed(["curl", "-s", "-o", out, "-w",
                                               "ttfb=%{time_starttransfer} total=%{time_total}",
                                               url])
        # iree-suite fsyncs what it downloads: curl's file is synced too.
        sync_start = time.monotonic()
        subprocess.run(["sync", "-f", str(out)], check=False)
        wall_c += time.monotonic() - sync_start
        curl_size = out.stat().st_size if out.exists() else -1
        ttfb = re.search(r"ttfb=([\d.]+)", out_c)
        ttfb = float(ttfb.group(1)) if ttfb else float("nan")
        if out.exists():
            out.unlink()
        # iree-suite: a one-test suite; compile the module first (small input),
        # so the measured run spawns no iree-compile.
        suite = copy_examples(tmp)
        artifacts, summary = tmp / "artifacts", tmp / "summary"
        warm = subprocess.run(suite_argv(suite, artifacts, summary, "-k", "mlp_quality", "-q"),
                              capture_output=True, text=True, cwd=tmp)
        if warm.returncode != 0:
            note(f"warm-up run exited {warm.returncode}:\n{warm.stdout[-2000:]}{warm.stderr[-2000:]}")
        edit_json(suite / "mlp/mlp_quality_cpu.json",
                  lambda d: d["inputs"][0].__setitem__("url", url))
        before = len(server.requests())
        trace = tmp / "trace.json"
        rc_s, wall_s, rss_s, own_s, out_s = timed(
            suite_argv(suite, artifacts, summary, "-k", "mlp_quality", f"--trace={trace}"),
            cwd=tmp, watch_child=True)
        fetch_us = None
        if trace.exists():
            spans = [e for e in trace_events(trace)
                     if e.get("cat") == "fetch" and e.get("name") == url]
            # The download runs in the fetch pool while the test waits for it in
            # a span of its own: the fetch took from the first start to the last end.
            fetch_us = (max(e["ts"] + e["dur"] for e in spans) - min(e["ts"] for e in spans)
                        if spans else None)
        reqs = server.requests()[before:]
        got = [p for p in artifacts.glob("downloads/*/big.bin")]
        got_size = got[0].stat().st_size if got else -1
        meta = json.loads((got[0].parent / "meta.json").read_text()) if got else {}
        gets = [r for r in reqs if r["method"] == "GET"]
        heads = [r for r in reqs if r["method"] == "HEAD"]
        curl_tp = size / MIB / wall_c
        suite_tp = size / MIB / wall_s
        fetch_tp = size / MIB / (fetch_us / 1e6) if fetch_us else float("nan")
        ratio_wall = suite_tp / curl_tp
        ratio_fetch = fetch_tp / curl_tp if fetch_us else float("nan")
        own_mib = own_s / 1024 if own_s else float("nan")
        note(f"curl + sync -f: rc={rc_c} wall={wall_c:.2f}s ({curl_tp:.0f} MiB/s) time-to-first-byte="
             f"{ttfb:.2f}s (server reads+hashes the file per request) maxRSS={rss_c / 1024:.1f} MiB"
             f" size_ok={curl_size == size}")
        note(f"iree-suite: rc={rc_s} (test fails on purpose: wrong input) wall={wall_s:.2f}s "
             f"({suite_tp:.0f} MiB/s) fetch span={fetch_us / 1e6 if fetch_us else float('nan'):.2f}s "
             f"({fetch_tp:.0f} MiB/s) maxRSS(process tree, /usr/bin/time)={rss_s / 1024:.1f} MiB "
             f"iree-suite own VmHWM={own_mib:.1f} MiB")
        note(f"server saw for iree-suite: {len(heads)} HEAD, GETs: "
             f"{[(r['status'], r['range'], r['body_bytes']) for r in gets]}")
        ok_data = got_size == size and meta.get("md5") == big_md5 and meta.get("size") == size
        ok = (rc_c == 0 and curl_size == size and ok_data and ratio_fetch >= 0.8
              and own_s is not None and own_mib < 64)
        report("1 throughput+memory", ok,
               f"size={size / GIB:.2f}GiB curl={curl_tp:.0f}MiB/s iree-suite(wall)={suite_tp:.0f}MiB/s "
               f"iree-suite(fetch span)={fetch_tp:.0f}MiB/s ratio(fetch span/curl)={ratio_fetch:.2f} "
               f"ratio(wall/curl)={ratio_wall:.2f} (target>=0.8) iree-suite RSS={own_mib:.1f}MiB "
               f"(target<64, tree incl. iree-run-module {rss_s / 1024:.1f}MiB) curl RSS="
               f"{rss_c / 1024:.1f}MiB cached md5/size ok={ok_data}")
        if not ok and rc_s not in (0, 1):
            note(out_s[-3000:])
    finally:
        server.stop()
        shutil.rmtree(served, ignore_errors=True)
        shutil.rmtree(tmp / "artifacts", ignore_errors=True)


# --------------------------------------------------------------------------- 2
def demo_resume(tmp: Path, size: int):
    served = tmp / "served"
    served.mkdir()
    big = served / "resume.bin"
    big_md5 = make_random_file(big, size)
    cut = (size * 3 // 10) // MIB * MIB  # the server stalls here, then is killed
    faults = tmp / "faults.json"
    faults.write_text(json.dumps({"/resume.bin": {"stall_after": cut, "stall_s": 120,
                                                  "stall_count": 1}}))
    old = Server(served, tmp / "old.log", faults)
    new = None
    try:
        suite = copy_examples(tmp)
        artifacts, summary = tmp / "artifacts", tmp / "summary"
        url = f"{old.base}/resume.bin"
        edit_json(suite / "mlp/mlp_quality_cpu.json",
                  lambda d: d["inputs"][0].__setitem__("url", url))
        first = subprocess.Popen(
            suite_argv(suite, artifacts, summary, "-k", "mlp_quality", "--fetch-retries=0"),
            cwd=tmp, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        deadline = time.monotonic() + 180
        partial_size = 0
        while time.monotonic() < deadline and first.poll() is None:
            partials = [p for p in artifacts.glob("downloads/*/resume.bin.partial.*") if not p.name.endswith(".validator")]
            partial_size = partials[0].stat().st_size if partials else 0
            if partial_size >= cut:
                break
            time.sleep(0.05)
        time.sleep(0.3)
        old.kill()  # mid-transfer: the server dies during the stall
        out1 = first.communicate(timeout=120)[0]
        partials = [p for p in artifacts.glob("downloads/*/resume.bin.partial.*") if not p.name.endswith(".validator")]
        partial_size = partials[0].stat().st_size if partials else 0
        note(f"first run: server killed after {cut} bytes sent; iree-suite exited {first.returncode}; "
             f"partial left: {[p.name for p in partials]} ({partial_size} bytes)")
        new = Server(served, tmp / "new.log")
        second = subprocess.run(
            suite_argv(suite, artifacts, summary, "-k", "mlp_quality",
                       f"--url-mirror={old.base}={new.base}"),
            cwd=tmp, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
        reqs = new.requests()
        sent = sum(r["body_bytes"] for r in reqs)
        entry = artifacts / "downloads" / hashlib.sha256(url.encode()).hexdigest()[:16]
        meta_path = entry / "meta.json"
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        data = entry / "resume.bin"
        data_md5 = md5_of(data) if data.exists() else None
        note(f"second run (mirror {old.base} -> {new.base}): exit {second.returncode} (test fails "
             f"on purpose); new server requests: "
             f"{[(r['method'], r['status'], r['range'], r['body_bytes']) for r in reqs]}")
        note(f"meta.json ({entry.name} = sha256(original url)[:16]): url={meta.get('url')} "
             f"fetched_from={meta.get('fetched_from')} size={meta.get('size')} md5={meta.get('md5')}; "
             f"hashlib md5 of original={big_md5}, of cached file={data_md5}")
        ranged = [r for r in reqs if r["method"] == "GET" and r["status"] == 206 and r["range"]]
        ok = (partial_size > 0 and sent < size and sent == size - partial_size and ranged
              and meta.get("size") == size and meta.get("md5") == big_md5
              and data_md5 == big_md5 and meta.get("url") == url and not leftovers(artifacts))
        report("2 resume", ok,
               f"file={size} partial kept={partial_size} new server sent={sent} "
               f"({100 * sent / size:.0f}% of the file, Range={ranged[0]['range'] if ranged else None}) "
               f"meta size ok={meta.get('size') == size} md5 ok={meta.get('md5') == big_md5} "
               f"cached file md5 ok={data_md5 == big_md5} key=original url:{meta.get('url') == url}")
        if not ok:
            note(out1[-2000:])
            note(second.stdout[-2000:] + second.stderr[-2000:])
    finally:
        old.kill()
        if new:
            new.stop()
        shutil.rmtree(served, ignore_errors=True)
        shutil.rmtree(tmp / "artifacts", ignore_errors=True)


# --------------------------------------------------------------------------- 3
MLP_FILES = ["mlp/mlp.mlir", "mlp/data/mlp_weights.irpa", "mlp/data/mlp_input.bin",
             "mlp/data/mlp_expected_output.bin"]


def serve_mlp(suite: Path, root: Path, base: str):
    """As serve_mlp_suite in tests/e2e/test_http.py, for every MLP module and test."""
    for relative in MLP_FILES:
        target = root / "examples" / relative  # served as the URL the JSON names
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(suite / relative, target)
    for module in (suite / "modules").glob("mlp_*.json"):
        edit_json(module, lambda d: d.__setitem__("mlir", f"{base}/{d['mlir']}"))

    def urls(d):
        for key in ("weights", "inputs", "expected_outputs"):
            for item in d.get(key, []):
                if "url" in item and not item["url"].startswith("http"):
                    item["url"] = f"{base}/{item['url']}"

    for test in (suite / "mlp").glob("*.json"):
        edit_json(test, urls)


def demo_concurrency(tmp: Path, processes: int = 4):
    suite = copy_examples(tmp)
    server = Server(tmp / "served", tmp / "server.log")
    try:
        serve_mlp(suite, tmp / "served", server.base)
        artifacts = tmp / "artifacts"
        modules = {json.loads(p.read_text()).get("module") or m
                   for p in (suite / "mlp").glob("*.json")
                   for m in json.loads(p.read_text()).get("modules", [None])}
        modules.discard(None)
        procs = []
        start = time.monotonic()
        for i in range(processes):
            argv = suite_argv(suite, artifacts, tmp / f"summary{i}", "-k", "mlp", "-q",
                              f"--trace={tmp / f'trace{i}.json'}")
            procs.append(subprocess.Popen(argv, cwd=tmp, stdin=subprocess.DEVNULL,
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                          text=True))
        outputs = [p.communicate(timeout=600)[0] for p in procs]
        wall = time.monotonic() - start
        codes = [p.returncode for p in procs]
        reqs = server.requests()
        bodies = {}
        for r in reqs:
            if r["method"] == "GET" and r["status"] == 200 and r["body_bytes"] > 0:
                bodies[r["path"]] = bodies.get(r["path"], 0) + 1
        statuses = {}
        for r in reqs:
            statuses[(r["method"], r["status"])] = statuses.get((r["method"], r["status"]), 0) + 1
        compiles = []
        for i in range(processes):
            path = tmp / f"trace{i}.json"
            if path.exists():
                compiles += [(i, e["name"]) for e in trace_events(path) if e.get("cat") == "compile"]
        compiled_names = sorted(n for _, n in compiles)
        left = leftovers(artifacts)
        note(f"{processes} processes in {wall:.1f}s, exit codes {codes}")
        note(f"server requests by (method, status): {statuses}; GET 200 with body per path: {bodies}")
        note(f"compile events (process, module): {sorted(compiles)}; distinct modules: {sorted(modules)}")
        ok = (codes == [0] * processes
              and sorted(bodies) == sorted(f"/{p}" for p in MLP_FILES)
              and all(v == 1 for v in bodies.values())
              and compiled_names == sorted(modules) and not left)
        report("3 concurrency", ok,
               f"exit codes={codes} bodies per URL={sorted(bodies.values())} "
               f"({len(bodies)} URLs) compiles={len(compiles)} distinct modules={len(modules)} "
               f"temp leftovers={left}")
        if not ok:
            for i, out in enumerate(outputs):
                if codes[i] != 0:
                    note(f"process {i} output tail:\n{out[-3000:]}")
        return suite, artifacts, server
    except BaseException:
        server.stop()
        raise


# --------------------------------------------------------------------------- 4
def demo_cache_verify(tmp: Path, suite: Path, artifacts: Path, server: Server):
    try:
        downloads = {p.name: p for p in artifacts.glob("downloads/*/*")
                     if p.name not in ("meta.json", ".lock")}
        altered = downloads["mlp_input.bin"]
        data = bytearray(altered.read_bytes())
        data[0] ^= 0xFF  # same size, different bytes
        altered.write_bytes(bytes(data))
        truncated = downloads["mlp_weights.irpa"]
        full = truncated.stat().st_size
        truncated.write_bytes(truncated.read_bytes()[:100])
        note(f"flipped byte 0 of {altered.relative_to(artifacts)} ({len(data)} bytes); truncated "
             f"{truncated.relative_to(artifacts)} {full} -> 100 bytes")
        verify = subprocess.run([str(BINARY), "cache", "verify", f"--artifact-directory={artifacts}"],
                                capture_output=True, text=True)
        named = "mlp_input.bin" in verify.stdout and "mlp_weights.irpa" in verify.stdout
        note(f"cache verify: exit {verify.returncode}; output:\n" +
             "\n".join("      " + l for l in (verify.stdout + verify.stderr).strip().splitlines()))
        fix = subprocess.run([str(BINARY), "cache", "verify", "--fix",
                              f"--artifact-directory={artifacts}"], capture_output=True, text=True)
        note(f"cache verify --fix: exit {fix.returncode}; output:\n" +
             "\n".join("      " + l for l in (fix.stdout + fix.stderr).strip().splitlines()))
        removed = not altered.exists() and not truncated.exists()
        before = len(server.requests())
        again = subprocess.run(suite_argv(suite, artifacts, tmp / "summary_again", "-k", "mlp", "-q"),
                               cwd=tmp, capture_output=True, text=True, timeout=600)
        reqs = server.requests()[before:]
        refetched = sorted(r["path"] for r in reqs if r["status"] == 200 and r["body_bytes"] > 0)
        note(f"next run: exit {again.returncode}; requests: "
             f"{[(r['method'], r['path'], r['status'], r['body_bytes']) for r in reqs]}")
        verify2 = subprocess.run([str(BINARY), "cache", "verify", f"--artifact-directory={artifacts}"],
                                 capture_output=True, text=True)
        ok = (verify.returncode == 1 and named and removed and again.returncode == 0
              and refetched == ["/examples/mlp/data/mlp_input.bin", "/examples/mlp/data/mlp_weights.irpa"]
              and verify2.returncode == 0)
        report("4 cache verify", ok,
               f"verify exit={verify.returncode} names both={named} --fix removed both={removed} "
               f"(fix exit={fix.returncode}) next run exit={again.returncode} refetched={refetched} "
               f"verify afterwards exit={verify2.returncode}")
        if not ok:
            note(again.stdout[-3000:] + again.stderr[-2000:])
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-gib", type=float, default=2.0)
    parser.add_argument("--resume-gib", type=float, default=1.0)
    parser.add_argument("--only", default="1,2,3,4")
    args = parser.parse_args()
    only = set(args.only.split(","))
    if not BINARY.exists():
        sys.exit(f"{BINARY} does not exist: build it first")
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="iree-suite-fetch-bench-") as tmp:
        tmp = Path(tmp)
        steps = [("1", lambda d: demo_throughput(d, int(args.big_gib * GIB))),
                 ("2", lambda d: demo_resume(d, int(args.resume_gib * GIB)))]
        for key, step in steps:
            if key in only:
                d = tmp / f"demo{key}"
                d.mkdir()
                try:
                    step(d)
                except Exception as e:  # report and go on with the next one
                    report(f"{key}", False, f"{type(e).__name__}: {e}")
                shutil.rmtree(d, ignore_errors=True)
        if "3" in only or "4" in only:
            d = tmp / "demo34"
            d.mkdir()
            try:
                suite, artifacts, server = demo_concurrency(d)
                if "4" in only:
                    demo_cache_verify(d, suite, artifacts, server)
                else:
                    server.stop()
            except Exception as e:
                report("3/4", False, f"{type(e).__name__}: {e}")
    print(f"{sum(ok for _, ok in RESULTS)}/{len(RESULTS)} passed in "
          f"{time.monotonic() - start:.1f}s", flush=True)
    return 0 if RESULTS and all(ok for _, ok in RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
