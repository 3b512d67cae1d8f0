#!/usr/bin/env bash
# Rewrites tests/e2e/expected_outputs/ from a run of the current binary. Only
# for a deliberate output change: the commit says why the output changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export IREE_SUITE_BINARY="${IREE_SUITE_BINARY:-$PWD/build/iree-suite}"
export IREE_SUITE_TOOLS_DIR="${IREE_SUITE_TOOLS_DIR:-$PWD/.venv/bin}"
PYTHON="${PYTHON:-$PWD/.venv/bin/python}"
IREE_SUITE_REFRESH_OUTPUTS=1 "$PYTHON" -m pytest -q tests/e2e/test_output_stability.py
git status --short tests/e2e/expected_outputs
