#!/usr/bin/env python3
"""Collection over deep trees: times `iree-suite --collect-only` on a chain of
nested folders (one test at each of depths 400, 800 and 2100, as in issue 12)
and prints seconds per depth and the ratio of time per directory between the
deepest and the shallowest tree (near 1 when the walk is linear in entries).
The deepest paths exceed PATH_MAX: those tests are collection errors, and the
run must still end normally (exit 2).

    .venv/bin/python bench/collection/deep_tree.py [--depths 400,800,2100]
"""

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BINARY = REPO / "build" / "iree-suite"


def make_chain(root: Path, depth: int):
    """Nested folders `d`, a test in each, made with relative paths (dir_fd)."""
    root.mkdir(parents=True)
    (root / "m.json").write_text('{"mlir": "m.mlir", "compiler_flags": []}')
    fd = os.open(root, os.O_RDONLY)
    test = b'{"type": "quality", "markers": ["cpu"], "modules": ["m"]}'
    for _ in range(depth):
        os.mkdir("d", dir_fd=fd)
        child = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = child
        out = os.open("t.json", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, test)
        os.close(out)
    os.close(fd)


def remove_chain(root: Path):
    """Bottom up through directory descriptors: no path beyond PATH_MAX is named."""
    fds = [os.open(root, os.O_RDONLY)]
    while "d" in os.listdir(fds[-1]):
        fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
    for parent, child in reversed(list(zip(fds, fds[1:]))):
        os.unlink("t.json", dir_fd=child)
        os.close(child)
        os.rmdir("d", dir_fd=parent)
    os.close(fds[0])
    shutil.rmtree(root)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depths", default="400,800,2100")
    args = parser.parse_args()
    depths = [int(d) for d in args.depths.split(",")]
    per_directory = {}
    with tempfile.TemporaryDirectory() as tmp:
        for depth in depths:
            root = Path(tmp) / f"chain{depth}"
            make_chain(root, depth)
            start = time.monotonic()
            result = subprocess.run([BINARY, f"--test-file-directory={root}",
                                     f"--module-directory={root}",
                                     f"--external-file-directory={root}", "--collect-only", "-q"],
                                    capture_output=True, text=True)
            seconds = time.monotonic() - start
            per_directory[depth] = seconds / depth
            print(f"depth {depth:5d}: {seconds:7.3f} s, exit {result.returncode}")
            remove_chain(root)
    ratio = per_directory[depths[-1]] / per_directory[depths[0]]
    print(f"time per directory, depth {depths[-1]} vs {depths[0]}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
