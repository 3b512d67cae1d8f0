"""Bash/zsh completion and the man page that scripts/shell_integration.py
generates from --help: they know every flag of the binary."""

import shutil
import subprocess
import sys

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def share(binary, tmp_path_factory):
    out = tmp_path_factory.mktemp("share")
    subprocess.run([sys.executable, REPO / "scripts" / "shell_integration.py", binary, out],
                   check=True, capture_output=True)
    return out


def bash_complete(share, *words):
    script = (f"source {share / 'bash-completion/completions/iree-suite'}; "
              f"COMP_WORDS=({' '.join(words)}); COMP_CWORD={len(words) - 1}; _iree_suite; "
              'printf "%s\\n" "${COMPREPLY[@]}"')
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                          check=True).stdout.split()


def test_bash_completes_flags_and_subcommands(share):
    assert bash_complete(share, "iree-suite", "--force-rec") == ["--force-recompile"]
    assert "--strict-markers" in bash_complete(share, "iree-suite", "-m", "cpu", "--str")
    assert "update-goldens" in bash_complete(share, "iree-suite", "upd")
    assert "repro" in bash_complete(share, "iree-suite", "rep")
    assert bash_complete(share, "iree-suite", "--show-c") == ["--show-commands"]


def test_zsh_completion_and_man_page_name_every_flag(binary, share):
    zsh = (share / "zsh/site-functions/_iree-suite").read_text()
    assert zsh.startswith("#compdef iree-suite\n")
    man = (share / "man/man1/iree-suite.1").read_text()
    assert man.startswith(".TH IREE-SUITE 1")
    help_text = subprocess.run([binary, "--help"], capture_output=True, text=True).stdout
    for flag in ["--test-file-directory", "--color", "--strict-markers", "--maxfail"]:
        assert flag in help_text
        assert f"'{flag}[" in zsh, flag
        assert flag.replace("-", "\\-") in man or flag in man, flag
    if shutil.which("groff"):
        rendered = subprocess.run(["groff", "-man", "-Tutf8", "-ww",
                                   share / "man/man1/iree-suite.1"],
                                  capture_output=True, text=True)
        assert rendered.returncode == 0 and not rendered.stderr, rendered.stderr
