"""Fixtures for end-to-end tests: they run the real iree-suite binary against
the real IREE tools from the project venv."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CORPUS = REPO.parent / "shared" / "corpus"

# The seed README's example commands (../shared/seed), verbatim: the examples
# are laid out as pytest-iree's, modules and files named relative to `./`,
# the repository root, from where they run.
SEED_SUITE = ["--test-file-directory=./examples", "--module-directory=./",
              "--external-file-directory=./"]
SEED_COMMANDS = {
    "all": [*SEED_SUITE, "--log-cli-level=info"],
    "hip_and_benchmark": [*SEED_SUITE, "--log-cli-level=info", "-m", "hip and benchmark"],
    "no_live_logs": [*SEED_SUITE, "-m", "hip and benchmark"],
    "force_recompile": [*SEED_SUITE, "--log-cli-level=info", "-m", "hip or cpu",
                        "--force-recompile"],
}
SEED_COLLECT = [*SEED_SUITE, "--log-cli-level=info", "-m", "hip or cpu", "--collect-only"]


def _binary() -> Path:
    return Path(os.environ.get("IREE_SUITE_BINARY", REPO / "build" / "iree-suite"))


def _tools_dir() -> Path:
    return Path(os.environ.get("IREE_SUITE_TOOLS_DIR", REPO / ".venv" / "bin"))


class Suite:
    """A copy of a suite in a temp dir that tests may edit, plus a runner."""

    def __init__(self, root: Path, tmp: Path, base: Path = None):
        self.root = root  # the test file directory
        # The module and external file directory (the examples name modules
        # and files relative to the directory above them, as the seed's do).
        self.base = base or root
        self.tmp = tmp
        self.artifacts = tmp / "artifacts"
        self.summary_dir = tmp / "summary"
        self.summary_dir.mkdir(exist_ok=True)

    def edit(self, relative: str, **fields):
        import json

        path = self.root / relative
        data = json.loads(path.read_text())
        data.update(fields)
        path.write_text(json.dumps(data, indent=2))

    def slow_mlp_benchmark(self, seconds):
        """Makes the MLP benchmark measure for `seconds` and compiles its module
        beforehand, so that a test can time, interrupt or overlap it."""
        self.edit("mlp/mlp_benchmark_cpu.json",
                  run_args=["--device=local-task", "--function=forward",
                            f"--benchmark_min_time={seconds}s"])
        self.run("-k", "mlp_compstat_cpu")

    def argv(self, *args, tools=True):
        """The command line of a run of this suite (for tests that start it themselves)."""
        argv = [
            str(_binary()),
            f"--test-file-directory={self.root}",
            f"--module-directory={self.base}",
            f"--external-file-directory={self.base}",
            f"--artifact-directory={self.artifacts}",
            f"--job-summary-path={self.summary_dir}",
        ]
        if tools:
            argv.append(f"--iree-tools-dir={_tools_dir()}")
        return argv + [str(a) for a in args]

    def run(self, *args, cwd=None, env=None, tools=True):
        return run_binary(self.argv(*args, tools=tools), cwd=cwd or self.tmp, env=env)


def run_binary(argv, cwd=None, env=None):
    result = subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    result.output = result.stdout + result.stderr
    return result


@pytest.fixture(scope="session")
def binary() -> Path:
    path = _binary()
    if not path.exists():
        pytest.fail(f"{path} does not exist: build with `make build` first")
    return path


@pytest.fixture
def example_suite(tmp_path, binary) -> Suite:
    """A private, editable copy of the bundled examples, as `suite/examples`
    (`suite/` is the module and external file directory, as the repository
    root is for them)."""
    root = tmp_path / "suite" / "examples"
    shutil.copytree(EXAMPLES, root)
    return Suite(root, tmp_path, base=root.parent)


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent: the shared corpus exists only on development and CI "
                    "machines")
    return CORPUS


def verdicts(output):
    """Per-test verdicts (id::config -> PASSED, ...) of an operator-suite console."""
    found = {}
    for line in output.splitlines():
        match = re.match(r"^(\S+::\S+) (PASSED|FAILED|XFAIL|XPASS|SKIPPED|ERROR) \[", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found
