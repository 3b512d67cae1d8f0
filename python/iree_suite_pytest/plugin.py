"""pytest front end of iree-suite: pytest-iree's command lines run unchanged,
with the C++ engine doing the work.

The plugin stays inert unless --test-file-directory is given. Then:
- collection asks the engine (`--collect-only --events`) for the suite's tests
  and collection errors, and makes one item per test JSON, named by its file
  name as pytest-iree does, carrying the test's markers;
- running starts one engine process for all selected items (so modules,
  downloads and parameter archives are produced once, in parallel) and each
  item waits for its own result; under pytest-xdist each worker runs its items
  one engine process per item, and the shared artifact store keeps shared work
  to once;
- the job summary is the engine's (under xdist, merged from the workers'
  results files by `iree-suite merge-reports`), and so is the benchmark
  history: an xdist session is one run there, recorded from the merged
  results, not one run per item.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

import pytest

from . import engine

LOG = logging.getLogger("iree_suite")
PLUGIN_NAME = "iree-suite-session"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("iree-suite", "IREE test suites (run by the iree-suite engine)")
    group.addoption("--test-file-directory", default=None,
                    help="Directory searched recursively for test JSON files")
    group.addoption("--module-directory", default=None,
                    help="Directory that module names are relative to (<dir>/<module>.json)")
    group.addoption("--external-file-directory", default=None,
                    help="Directory that MLIR, weight and data paths are relative to; the "
                         "working directory of every IREE tool")
    group.addoption("--artifact-directory", default="artifacts",
                    help="Where compiled modules, downloads and logs are kept (default: "
                         "./artifacts)")
    group.addoption("--force-recompile", action="store_true", default=False,
                    help="Compile every module anew, ignoring and refreshing the module cache")
    group.addoption("--cache-modules", action="store_true", default=False,
                    help="Accepted for compatibility: modules are always cached by content")
    group.addoption("--job-summary-path", default="./",
                    help="Directory for job_summary.md and job_summary.json (default: ./)")
    group.addoption("--iree-tools-dir", default=None,
                    help="Directory holding iree-compile, iree-run-module and "
                         "iree-benchmark-module (default: PATH, then beside iree-suite)")
    group.addoption("--iree-suite-jobs", type=int, default=None, metavar="N",
                    help="Tests the engine runs at once (default: one per core)")
    group.addoption("--iree-suite-arg", action="append", default=[], metavar="ARG",
                    help="Pass ARG to the engine as is, e.g. --iree-suite-arg=--offline "
                         "(repeatable; see `iree-suite --help`)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("test_file_directory") is None:
        return
    for option in ("module_directory", "external_file_directory"):
        if config.getoption(option) is None:
            raise pytest.UsageError(
                f"--{option.replace('_', '-')} is required with --test-file-directory")
    try:
        binary = engine.locate()
        engine.check(binary)
    except engine.EngineError as error:
        raise pytest.UsageError(str(error)) from None
    config.pluginmanager.register(SuiteSession(config, binary), PLUGIN_NAME)


def _pytest_timeout(config: pytest.Config) -> Optional[float]:
    """pytest-timeout's --timeout (or its ini setting), when that plugin is active."""
    if not config.pluginmanager.hasplugin("timeout"):
        return None
    value = config.getoption("timeout", None)
    if value is None:
        try:
            value = config.getini("timeout")
        except ValueError:
            return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if seconds > 0 else None


def _split_history_args(args: list[str]) -> tuple[list[str], list[str]]:
    """Engine arguments without --history/--no-history, and those."""
    rest: list[str] = []
    history: list[str] = []
    pending_value = False
    for arg in args:
        if pending_value:
            history.append(arg)
            pending_value = False
        elif arg == "--no-history" or arg.startswith("--history="):
            history.append(arg)
        elif arg == "--history":
            history.append(arg)
            pending_value = True
        else:
            rest.append(arg)
    return rest, history


# The engine's own reports, which under xdist each per-item engine would
# overwrite: the workers' engines write none of them, and the controller
# renders them from the merged results (merge-reports).
NATIVE_REPORTS = ("--html", "--results-json", "--junitxml", "--trace")


def _split_report_args(args: list[str]) -> tuple[list[str], dict[str, str]]:
    """Engine arguments without the native report flags, and those flags'
    paths by flag (`--html=F` or `--html F`; the last one given wins)."""
    rest: list[str] = []
    reports: dict[str, str] = {}
    pending: Optional[str] = None
    for arg in args:
        flag, equals, value = arg.partition("=")
        if pending:
            reports[pending] = arg
            pending = None
        elif flag in NATIVE_REPORTS and equals:
            reports[flag] = value
        elif arg in NATIVE_REPORTS:
            pending = arg
        else:
            rest.append(arg)
    return rest, reports


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


class Catalog:
    """The engine's view of the suite: tests by file, errors by file."""

    def __init__(self, root: Path, events: list[dict]):
        self.root = root
        self.tests: dict[Path, dict] = {}
        self.errors: dict[Path, list[str]] = {}
        for event in events:
            kind = event.get("event")
            if kind == "collected":
                path = Path(event["file"]).resolve()
                self.tests[path] = event
            elif kind == "collection_error":
                texts = self.errors.setdefault(Path(event["file"]).resolve(), [])
                if event["text"] not in texts:
                    texts.append(event["text"])
        # Children of each directory, ordered by the engine's (sorted) ids so
        # that items run in the order the CLI runs them.
        self._order: dict[Path, int] = {}
        files = list(self.tests)  # in the order the engine collected them
        files += sorted(p for p in self.errors if p not in self.tests and _inside(p, root))
        for position, path in enumerate(files):
            for node in (path, *path.parents):
                self._order.setdefault(node, position)
                if node == root:
                    break

    def children(self, directory: Path) -> list[Path]:
        found = [p for p in self._order if p.parent == directory]
        return sorted(found, key=lambda p: self._order[p])

    def is_file(self, path: Path) -> bool:
        return path in self.tests or path in self.errors


class SuiteSession:
    """Collection and execution of one pytest session's suite."""

    def __init__(self, config: pytest.Config, binary: Path):
        self.config = config
        self.binary = binary
        here = config.invocation_params.dir
        self.cwd = here
        self.root = (here / config.getoption("test_file_directory")).resolve()
        self.catalog: Optional[Catalog] = None
        self.is_worker = hasattr(config, "workerinput")
        self.is_controller = (not self.is_worker
                              and config.getoption("dist", "no") not in (None, "no"))
        self.registered_markers: set[str] = set()
        self.batch: Optional[engine.Run] = None
        self.scratch = Path(tempfile.mkdtemp(prefix="iree-suite-pytest-"))
        if self.is_worker:
            self.shared = Path(config.workerinput["iree_suite_shared"])
        else:
            self.shared = self.scratch / "shared"
            self.shared.mkdir()
        self.item_runs = 0
        self._restrict_collection_to_suite()

    # --- collection -------------------------------------------------------

    def _restrict_collection_to_suite(self) -> None:
        """Positional paths inside the suite restrict collection, as in
        pytest-iree; others (pytest-iree's own directory, which held its
        conftest.py) are dropped; none means the whole suite."""
        if self.is_controller:
            return
        kept = []
        if self.config.args_source == pytest.Config.ArgsSource.ARGS:
            for arg in self.config.args:
                path = (self.cwd / arg.split("::")[0]).resolve()
                if _inside(path, self.root):
                    kept.append(arg)
        self.config.args[:] = kept or [str(self.root)]

    def engine_suite_args(self) -> list[str]:
        get = self.config.getoption

        def absolute(option: str) -> str:
            return str((self.cwd / get(option)).resolve())

        argv = [f"--test-file-directory={self.root}",
                f"--module-directory={absolute('module_directory')}",
                f"--external-file-directory={absolute('external_file_directory')}",
                f"--artifact-directory={absolute('artifact_directory')}"]
        if get("iree_tools_dir"):
            argv.append(f"--iree-tools-dir={absolute('iree_tools_dir')}")
        return argv

    def load_catalog(self) -> Catalog:
        if self.catalog is None:
            events, code, stderr = engine.collect(self.binary, self.engine_suite_args(), self.cwd)
            if code not in (0, 2, 5):
                raise pytest.UsageError(stderr.strip() or
                                        f"iree-suite --collect-only failed with status {code}")
            self.catalog = Catalog(self.root, events)
        return self.catalog

    @pytest.hookimpl(tryfirst=True)
    def pytest_collect_directory(self, path: Path, parent: pytest.Collector):
        if _inside(path.resolve(), self.root):
            return SuiteDirectory.from_parent(parent, path=path)
        return None

    def register_marker(self, name: str) -> None:
        if name not in self.registered_markers:
            self.registered_markers.add(name)
            self.config.addinivalue_line("markers", f"{name}: iree-suite test marker")

    # --- running ----------------------------------------------------------

    def engine_run_args(self, job_summary_path: Path) -> list[str]:
        get = self.config.getoption
        argv = self.engine_suite_args()
        argv.append(f"--job-summary-path={job_summary_path}")
        if get("force_recompile"):
            argv.append("--force-recompile")
        if get("markexpr"):
            argv += ["-m", get("markexpr")]
        if get("iree_suite_jobs"):
            argv.append(f"--jobs={get('iree_suite_jobs')}")
        if get("maxfail"):
            argv.append(f"--maxfail={get('maxfail')}")
        timeout = _pytest_timeout(self.config)
        if timeout:
            argv.append(f"--timeout={timeout}")
        if not self.is_worker:
            return argv + list(get("iree_suite_arg"))
        # Under xdist the session is one run in the history, recorded by the
        # controller from the merged results; the per-item engines record none.
        rest, _ = _split_history_args(list(get("iree_suite_arg")))
        rest, _ = _split_report_args(rest)
        return argv + rest + ["--no-history"]

    def native_reports(self) -> dict[str, str]:
        """The engine reports asked for with --iree-suite-arg (flag -> path)."""
        return _split_report_args(list(self.config.getoption("iree_suite_arg")))[1]

    def summary_path(self) -> Path:
        return (self.cwd / self.config.getoption("job_summary_path")).resolve()

    def result_for(self, item: "SuiteItem") -> tuple[Optional[dict], str, Optional[int]]:
        """The engine's test_finished event for `item`; when there is none,
        the engine's exit status (None while it runs) and log tail say why."""
        if self.is_worker:
            return self._run_alone(item)
        if self.batch is None:
            ids = [i.test_id for i in item.session.items if isinstance(i, SuiteItem)]
            self.batch = engine.Run(self.binary, self.engine_run_args(self.summary_path()), ids,
                                    self.cwd, self.scratch / "run")
        event = self.batch.result(item.test_id)
        return event, self.batch.log_tail(), self.batch.exit_code

    def _run_alone(self, item: "SuiteItem") -> tuple[Optional[dict], str, Optional[int]]:
        # Under xdist: one engine per item; its job summary is merged at the end
        # in collection order (the same on every worker).
        position = item.session.items.index(item)
        summary = self.shared / "summaries" / f"{position:08d}"
        summary.mkdir(parents=True, exist_ok=True)
        self.item_runs += 1
        argv = self.engine_run_args(summary) + [f"--results-json={summary / 'results.json'}"]
        if "--trace" in self.native_reports():
            argv.append(f"--trace={summary / 'trace.json'}")
        run = engine.Run(self.binary, argv, [item.test_id], self.cwd,
                         self.scratch / f"run{self.item_runs}")
        try:
            event = run.result(item.test_id)
        finally:
            if run.running():  # pytest-timeout or Ctrl-C stopped the wait
                run.interrupt()
            code = run.wait(timeout=30)
        return event, run.log_tail(), code

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        event = getattr(item, "engine_event", None)
        if call.when == "call" and event is not None:
            # --durations and JUnit time: the test's own time, not the wait for it.
            report.duration = float(event.get("duration_s", report.duration))
        crash = getattr(report.longrepr, "reprcrash", None)
        if event is not None and report.failed and crash is not None:
            # The short summary line is trimmed to the terminal width: spend it on the
            # engine's verdict, not on pytest.fail's "Failed: " prefix.
            crash.message = crash.message.removeprefix("Failed: ")
        return report

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node) -> None:  # pytest-xdist: controller side
        node.workerinput["iree_suite_shared"] = str(self.shared)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.batch is not None:
            if self.batch.running() and exitstatus == pytest.ExitCode.INTERRUPTED:
                self.batch.interrupt()
            self.batch.wait()
        elif self.is_controller:
            self._merge_worker_summaries()
        elif not self.is_worker and not self.config.getoption("collectonly"):
            self._merge_worker_summaries()  # nothing ran: an empty summary, as the CLI
        shutil.rmtree(self.scratch, ignore_errors=True)  # a worker's holds no shared files

    def _merge_worker_summaries(self) -> None:
        results = sorted((self.shared / "summaries").glob("*/results.json"))
        reports = self.native_reports()
        merged = Path(reports.get("--results-json", self.scratch / "results.json"))
        argv = [str(self.binary), "merge-reports", f"--job-summary-path={self.summary_path()}",
                f"--results-json={merged}"]
        for flag in ("--html", "--junitxml"):
            if flag in reports:
                argv.append(f"{flag}={reports[flag]}")
        if "--trace" in reports:
            argv.append(f"--trace={reports['--trace']}")
            traces = [path.parent / "trace.json" for path in results]
            argv += [f"--trace-input={trace}" for trace in traces if trace.exists()]
        if self.config.getoption("markexpr"):
            argv += ["-m", self.config.getoption("markexpr")]
        argv += [str(path) for path in results]
        done = subprocess.run(argv, cwd=self.cwd, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True)
        if done.returncode != 0:
            LOG.error("iree-suite merge-reports failed: %s", done.stderr.strip())
        elif results:
            self._record_history(merged)

    def _record_history(self, merged: Path) -> None:
        """The xdist session's merged results as one run of the history, where
        the engine would have recorded it (best effort, as the engine's)."""
        _, history = _split_history_args(list(self.config.getoption("iree_suite_arg")))
        if "--no-history" in history:
            return
        artifacts = (self.cwd / self.config.getoption("artifact_directory")).resolve()
        argv = [str(self.binary), "history", "import", f"--artifact-directory={artifacts}",
                *history, str(merged)]
        done = subprocess.run(argv, cwd=self.cwd, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True)
        if done.returncode != 0:
            LOG.warning("iree-suite: the run is not in the history: %s", done.stderr.strip())


class SuiteDirectory(pytest.Directory):
    """A directory of the suite, with the children the engine collected."""

    def collect(self):
        plugin: SuiteSession = self.config.pluginmanager.get_plugin(PLUGIN_NAME)
        catalog = plugin.load_catalog()
        for child in catalog.children(self.path.resolve()):
            if catalog.is_file(child):
                yield SuiteFile.from_parent(self, path=self.path / child.name)
            else:
                yield SuiteDirectory.from_parent(self, path=self.path / child.name)


class SuiteFile(pytest.File):
    """One test JSON: one item, or the engine's collection errors."""

    def collect(self):
        plugin: SuiteSession = self.config.pluginmanager.get_plugin(PLUGIN_NAME)
        catalog = plugin.load_catalog()
        path = self.path.resolve()
        if path in catalog.errors:
            raise self.CollectError("\n".join(catalog.errors[path]))
        test = catalog.tests.get(path)
        if test is None:
            return
        for marker in test["markers"]:
            plugin.register_marker(marker)
        item = SuiteItem.from_parent(self, name=self.path.name, test=test)
        yield item


class SuiteItem(pytest.Item):
    def __init__(self, *, test: dict, **kwargs):
        super().__init__(**kwargs)
        self.test_id: str = test["id"]
        self.test_type: str = test["type"]
        self.engine_event: Optional[dict] = None
        for marker in test["markers"]:
            self.add_marker(marker)
        self.user_properties.append(("iree_suite_id", self.test_id))
        timeout = _pytest_timeout(self.config)
        if timeout:
            # The engine enforces --timeout on each tool it starts, killing the
            # tool's process group and naming it in the failure. pytest-timeout
            # stays as a backstop for the engine itself, late enough not to
            # pre-empt that clearer verdict (a test may compile, then run).
            self.add_marker(pytest.mark.timeout(3 * timeout + 60))

    def runtest(self) -> None:
        plugin: SuiteSession = self.config.pluginmanager.get_plugin(PLUGIN_NAME)
        event, log_tail, exit_code = plugin.result_for(self)
        if event is None and exit_code in (0, 1):
            # The engine ended normally without starting it: --maxfail stopped it.
            pytest.skip("not run: iree-suite stopped after --maxfail failures")
        if event is None:
            pytest.fail(f"iree-suite reported no result for {self.test_id} (engine exit status "
                        f"{exit_code}); its last output:\n{log_tail}", pytrace=False)
        self.engine_event = event
        for repro in event.get("repros", []):
            LOG.info("%s: %s", self.test_id, repro["shell"])
        outcome = event["outcome"]
        LOG.info("%s: %s%s", self.test_id, outcome,
                 f" ({event['reason']})" if event.get("reason") else "")
        if outcome == "passed":
            return
        if outcome == "skipped":
            pytest.skip(event.get("reason") or "skipped by iree-suite")
        if outcome == "xfailed":
            pytest.xfail(event.get("reason") or "expected failure")
        if outcome == "xpassed":
            pytest.fail(f"[XPASS(strict)] {event['details']}", pytrace=False)
        pytest.fail(event["details"], pytrace=False)

    def reportinfo(self):
        return self.path, None, f"{self.test_type}: {self.test_id}"
