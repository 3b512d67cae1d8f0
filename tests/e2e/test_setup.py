"""`make run` installs and builds only what the binary needs; the test-only
packages and targets belong to `make test` (issue: a fresh machine spent
minutes on GoogleTest, Chromium and the unit-test binary before `make run`
ran a single example)."""
import subprocess

from conftest import REPO


def make_dry_run(target: str) -> str:
    return subprocess.run(["make", "-n", target, "BUILD_DIR=build-dry-run"], cwd=REPO,
                          capture_output=True, text=True, check=True).stdout


def test_make_run_sets_up_and_builds_only_the_binary():
    commands = make_dry_run("run")
    assert "scripts/setup.sh\n" in commands and "setup.sh --test" not in commands
    assert "--target iree-suite" in commands
    assert "IREE_SUITE_BUILD_TESTS=ON" not in commands


def test_make_test_sets_up_the_test_packages_and_builds_the_tests():
    commands = make_dry_run("test")
    assert "scripts/setup.sh --test" in commands
    assert "IREE_SUITE_BUILD_TESTS=ON" in commands


def test_setup_lists_test_packages_only_for_tests():
    script = (REPO / "scripts" / "setup.sh").read_text()
    runtime_part, test_part = script.split("if [ $for_tests -eq 1 ]; then", 1)
    for test_only in ("libgtest-dev", "chromium", "requirements-test.txt"):
        assert test_only not in runtime_part and test_only in test_part
