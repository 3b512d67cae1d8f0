#!/usr/bin/env bash
# `make asan-test`: the unit and end-to-end tests on an ASan+UBSan build of everything, in its
# own build directory ($ASAN_BUILD_DIR, build-asan). Sanitizer reports go to files under
# <build>/sanitizer-logs as well, so one from a process whose stderr a test swallows (the
# binary under an e2e test) still fails the run.
#   ASAN_TEST_E2E=0   the unit tests only
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${ASAN_BUILD_DIR:-build-asan}
venv="$root/.venv"

if [ ! -f "$build/CMakeCache.txt" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIREE_SUITE_SANITIZE=ON \
    -DIREE_SUITE_BUILD_TESTS=ON "${launcher[@]}" >/dev/null
fi
cmake --build "$build"

logs="$root/$build/sanitizer-logs"
rm -rf "$logs"
mkdir -p "$logs"
export ASAN_OPTIONS="log_path=$logs/asan:detect_leaks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="log_path=$logs/ubsan:print_stacktrace=1:halt_on_error=1"

status=0
(cd "$build" && ctest --output-on-failure) || status=1
if [ "${ASAN_TEST_E2E:-1}" != 0 ]; then
  # test_pytest_plugin.py pip-builds its own (uninstrumented) binary.
  IREE_SUITE_BINARY="$root/$build/iree-suite" IREE_SUITE_TOOLS_DIR="$venv/bin" \
    "$venv/bin/python" -m pytest -q -rs tests/e2e --ignore=tests/e2e/test_pytest_plugin.py ||
    status=1
fi

reports=$(find "$logs" -type f | sort)
if [ -n "$reports" ]; then
  echo "asan-test: sanitizer reports:"
  for report in $reports; do
    echo "== $report"
    head -40 "$report"
  done
  status=1
fi
[ $status -eq 0 ] && echo "asan-test: unit and end-to-end tests pass, no sanitizer report"
exit $status
