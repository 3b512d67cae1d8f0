#!/usr/bin/env python3
"""Fails when an `#include "folder/..."` in src/ points up or sideways in the
layer order of ARCHITECTURE.md: a folder includes only itself and the folders
below it. Subfolders (artifacts/fetch) belong to their top folder.

    scripts/check_layering.py [--root DIR]

Prints one line per offending include (file:line: folder -> folder) and exits
1; prints the folder pairs that include each other too."""

import argparse
import re
import sys
from pathlib import Path

# Bottom to top.
LAYERS = ["base", "exec", "suite", "results", "artifacts", "checks", "runner", "history",
          "report", "cli"]

# Known violations that other work still removes: (from folder, to folder).
# This list only shrinks; a new violation is never added here.
ALLOWED: set = set()  # no exceptions: every include points down

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/')


def violations(root):
    """Yields (path, line number, from folder, to folder) of every include that
    does not point down, and the set of (from, to) folder pairs seen."""
    rank = {name: i for i, name in enumerate(LAYERS)}
    pairs = set()
    found = []
    for path in sorted((root / "src").rglob("*")):
        if path.suffix not in (".h", ".cc") or not path.is_file():
            continue
        source = path.relative_to(root / "src").parts[0]
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            match = INCLUDE.match(line)
            if not match or match.group(1) == source:
                continue
            target = match.group(1)
            pairs.add((source, target))
            if source not in rank or target not in rank:
                found.append((path, number, source, target, "folder not in the layer order"))
            elif rank[target] > rank[source] and (source, target) not in ALLOWED:
                found.append((path, number, source, target, "points up"))
    return found, pairs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    found, pairs = violations(args.root)
    for path, number, source, target, why in found:
        print(f"{path.relative_to(args.root)}:{number}: {source} -> {target}: {why}")
    mutual = sorted({tuple(sorted(pair)) for pair in pairs if pair[::-1] in pairs})
    for a, b in mutual:
        print(f"folders include each other: {a} <-> {b}")
    stale = sorted(pair for pair in ALLOWED if pair not in pairs)
    for source, target in stale:
        print(f"allowed violation {source} -> {target} is gone: remove it from ALLOWED")
    if found or stale:
        return 1
    print(f"layering: {len(pairs)} folder pairs, all pointing down "
          f"({len(ALLOWED)} known exceptions left)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
