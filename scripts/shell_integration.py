#!/usr/bin/env python3
"""Bash and zsh completion and a man page for iree-suite, generated from its
own --help so that they never fall behind the flags.

    scripts/shell_integration.py BINARY OUT_DIR

writes OUT_DIR/bash-completion/completions/iree-suite,
OUT_DIR/zsh/site-functions/_iree-suite and OUT_DIR/man/man1/iree-suite.1
(the layout under a prefix's share/)."""

import re
import subprocess
import sys
from pathlib import Path

SUBCOMMANDS = ["cache", "merge-reports", "compare", "update-goldens", "update-xfails",
               "engine-info", "history", "repro"]
# "  -j,--jobs UINT:INT in [1 - 1024]   Tests in flight ...": names, value type, help.
OPTION_LINE = re.compile(r"^  (-\S+)((?: \S+)*?)(?:\s{2,}(.*))?$")


def parse_help(text):
    """(flags, option entries) of CLI11's --help: each entry is (names, value type, help)."""
    entries = []
    for line in text.splitlines():
        match = OPTION_LINE.match(line)
        if match:
            names = match.group(1).split(",")
            entries.append([names, match.group(2).strip(), match.group(3) or ""])
        elif entries and line.startswith(" " * 10) and not entries[-1][2]:
            entries[-1][2] = line.strip()  # help on the next line after a long flag
    return entries


def bash_completion(entries):
    flags = " ".join(name for names, _, _ in entries for name in names)
    valued = " ".join(name for names, kind, _ in entries if kind for name in names)
    return f"""# bash completion for iree-suite (generated from iree-suite --help)
_iree_suite() {{
  local cur prev
  cur="${{COMP_WORDS[COMP_CWORD]}}"
  prev="${{COMP_WORDS[COMP_CWORD-1]}}"
  if [[ $COMP_CWORD -eq 1 && "$cur" != -* ]]; then
    COMPREPLY=($(compgen -W "{' '.join(SUBCOMMANDS)}" -- "$cur") $(compgen -f -- "$cur"))
    return
  fi
  if [[ " {valued} " == *" $prev "* ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
    return
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "{flags}" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}}
complete -o filenames -F _iree_suite iree-suite
"""


def zsh_quote(text):
    return text.replace("\\", "\\\\").replace("'", "'\\''").replace("[", "\\[").replace(
        "]", "\\]").replace(":", "\\:")


def zsh_completion(entries):
    specs = []
    for names, kind, help_text in entries:
        for name in names:
            value = ":value:_files" if kind else ""
            specs.append(f"  '{name}[{zsh_quote(help_text[:70])}]{value}'")
    return ("#compdef iree-suite\n# zsh completion for iree-suite (generated from "
            "iree-suite --help)\n_arguments -s \\\n" + " \\\n".join(specs) +
            " \\\n  '*:path:_files'\n")


def roff(text):
    text = text.replace("\\", "\\e")
    return "\n".join(("\\&" + line) if line.startswith((".", "'")) else line
                     for line in text.split("\n"))


def man_page(help_text, entries, version):
    description = help_text.split("\nUsage:")[0]
    lines = [f'.TH IREE-SUITE 1 "" "{version}" "User Commands"', ".SH NAME",
             "iree-suite \\- runs IREE model and operator test suites, as pytest-iree does",
             ".SH SYNOPSIS", ".B iree-suite", "[\\fIOPTIONS\\fR] [\\fIPATH\\fR...]",
             ".br", ".B iree-suite", "\\fISUBCOMMAND\\fR [\\fIOPTIONS\\fR]",
             ".SH DESCRIPTION", roff(description), ".SH OPTIONS"]
    for names, kind, text in entries:
        lines += [".TP", "\\fB" + ", ".join(roff(n) for n in names) + "\\fR" +
                  (f" \\fI{roff(kind)}\\fR" if kind else ""), roff(text)]
    lines += [".SH SUBCOMMANDS", roff(", ".join(SUBCOMMANDS)) +
              ": run `iree-suite SUBCOMMAND --help`.", ".SH SEE ALSO", "README.md of iree-suite"]
    return "\n".join(lines) + "\n"


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    binary, out = argv[1], Path(argv[2])
    help_text = subprocess.run([binary, "--help"], capture_output=True, text=True,
                               check=True).stdout
    version = subprocess.run([binary, "--version"], capture_output=True, text=True,
                             check=True).stdout.strip()
    entries = parse_help(help_text)
    files = {
        out / "bash-completion" / "completions" / "iree-suite": bash_completion(entries),
        out / "zsh" / "site-functions" / "_iree-suite": zsh_completion(entries),
        out / "man" / "man1" / "iree-suite.1": man_page(help_text, entries, version),
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(text)
        temporary.replace(path)  # never half-written
        print(path)


if __name__ == "__main__":
    main(sys.argv)
