"""Talking to the iree-suite binary: finding it, checking its protocol, and
following its event stream (`--events`, documented in
src/report/event_stream.h). Nothing here judges a test: verdicts, reasons and
repro commands all come from the engine."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sysconfig
import tempfile
import threading
from pathlib import Path
from typing import Iterable, Optional

# The event protocol this plugin speaks (report/event_stream.h kEventProtocol).
PROTOCOL = 1
BINARY_ENV = "IREE_SUITE_BINARY"


class EngineError(Exception):
    """The engine cannot be used; the message is one line for the user."""


def locate() -> Path:
    """$IREE_SUITE_BINARY, else the binary pip installed beside this
    interpreter, else the first iree-suite on PATH."""
    explicit = os.environ.get(BINARY_ENV)
    if explicit:
        path = Path(explicit)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise EngineError(f"iree-suite: ${BINARY_ENV}={explicit} is not an executable file")
        return path
    beside = Path(sysconfig.get_path("scripts")) / "iree-suite"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("iree-suite")
    if found:
        return Path(found)
    raise EngineError(
        f"iree-suite: the engine binary was not found (not in ${BINARY_ENV}, {beside.parent} or "
        "PATH); install it with `pip install iree-suite` (or `pip install <checkout>`)")


def check(binary: Path) -> dict:
    """The engine's `engine-info`; raises EngineError when it is too old."""
    reinstall = f"reinstall it (`pip install <checkout>`) or point ${BINARY_ENV} at a newer build"
    try:
        done = subprocess.run([str(binary), "engine-info"], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=60)
    except OSError as error:
        raise EngineError(f"iree-suite: cannot run the engine {binary}: {error}") from None
    try:
        info = json.loads(done.stdout) if done.returncode == 0 else None
    except ValueError:
        info = None
    if not isinstance(info, dict) or not isinstance(info.get("protocol"), int):
        raise EngineError(f"iree-suite: the engine {binary} is too old for this pytest plugin (it "
                          f"has no `engine-info`; protocol {PROTOCOL} needed): {reinstall}")
    if info["protocol"] < PROTOCOL:
        raise EngineError(f"iree-suite: the engine {binary} (version {info.get('version')}) speaks "
                          f"protocol {info['protocol']}, this pytest plugin needs {PROTOCOL}: "
                          f"{reinstall}")
    return info


def engine_environment() -> dict:
    env = dict(os.environ)
    # The plugin runs JSON suites: the operator-suite switch must not leak in.
    env.pop("IREE_TEST_CONFIG_FILES", None)
    return env


def collect(binary: Path, argv: list[str], cwd: Path) -> tuple[list[dict], int, str]:
    """Runs `--collect-only` and returns its events, exit status and stderr."""
    with tempfile.TemporaryDirectory(prefix="iree-suite-collect-") as scratch:
        events_path = Path(scratch) / "events.jsonl"
        done = subprocess.run(
            [str(binary), *argv, "--collect-only", "--events", str(events_path)],
            cwd=cwd, env=engine_environment(), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        events = list(_parse(events_path.read_text(errors="replace").splitlines())
                      if events_path.exists() else [])
    return events, done.returncode, done.stderr


def _parse(lines: Iterable[str]):
    for line in lines:
        line = line.strip()
        if line:
            try:
                yield json.loads(line)
            except ValueError:
                continue  # a torn last line of a killed engine


class Run:
    """One engine process running a list of test ids, followed on a pipe.

    A reader thread collects `test_finished` events, so that waiting for one
    test can be interrupted (Ctrl-C, pytest-timeout) without losing others."""

    def __init__(self, binary: Path, argv: list[str], ids: list[str], cwd: Path,
                 scratch: Path):
        scratch.mkdir(parents=True, exist_ok=True)
        ids_file = scratch / "test-ids.txt"
        ids_file.write_text("".join(f"{test_id}\n" for test_id in ids))
        self.log_path = scratch / "engine.log"
        self._results: dict[str, dict] = {}
        self._finished = threading.Condition()
        self._ended = False
        self.exit_code: Optional[int] = None
        read_end, write_end = os.pipe()
        try:
            with open(self.log_path, "wb") as log:
                self._process = subprocess.Popen(
                    [str(binary), *argv, "--test-ids-file", str(ids_file),
                     "--events", f"/dev/fd/{write_end}"],
                    cwd=cwd, env=engine_environment(), stdin=subprocess.DEVNULL, stdout=log,
                    stderr=subprocess.STDOUT, pass_fds=(write_end,))
        except OSError:
            os.close(read_end)
            raise
        finally:
            os.close(write_end)
        self._reader = threading.Thread(target=self._read, args=(read_end,), daemon=True)
        self._reader.start()

    def _read(self, fd: int) -> None:
        with open(fd, "r", encoding="utf-8", errors="replace") as stream:
            for event in _parse(stream):
                if event.get("event") == "test_finished":
                    with self._finished:
                        self._results[event.get("id")] = event
                        self._finished.notify_all()
        code = self._process.wait()
        with self._finished:
            self._ended = True
            self.exit_code = code
            self._finished.notify_all()

    def result(self, test_id: str) -> Optional[dict]:
        """Blocks until the engine reports `test_id`; None when it ended
        without doing so (stopped by --maxfail, interrupted or crashed)."""
        with self._finished:
            while test_id not in self._results and not self._ended:
                self._finished.wait(0.5)  # short waits keep Ctrl-C responsive
            return self._results.get(test_id)

    def running(self) -> bool:
        return self._process.poll() is None

    def interrupt(self) -> None:
        """As Ctrl-C: the engine kills its tools and writes the reports."""
        if self.running():
            self._process.send_signal(signal.SIGINT)

    def wait(self, timeout: Optional[float] = None) -> int:
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(timeout=10)
        return self._process.returncode

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.rstrip("\n").splitlines()[-lines:])
