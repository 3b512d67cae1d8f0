#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz with Clang, ASan and UBSan (in its own build
# directory) and runs each, one after another: for SECONDS, or (--smoke) on RUNS inputs.
#   scripts/fuzz.sh SECONDS [HARNESS...]
#   scripts/fuzz.sh --smoke RUNS [HARNESS...]
# --smoke (`make test`): RUNS inputs per harness from a fixed seed, so that the gate gives the
# same verdict on every machine and every run (exploring is `make fuzz`'s job); without Clang
# and its libFuzzer runtime, say so and succeed.
# New corpus entries stay in $FUZZ_BUILD_DIR/corpus/<harness> for the next run; crashing
# inputs go to $FUZZ_BUILD_DIR/crashes/. Exits 1 when a harness found something.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

smoke=0
if [ "${1:-}" = "--smoke" ]; then
  smoke=1
  shift
fi
amount=${1:?usage: scripts/fuzz.sh SECONDS|--smoke RUNS [HARNESS...]}
shift
build=${FUZZ_BUILD_DIR:-build-fuzz}
cxx=${FUZZ_CXX:-clang++}

# Whether $cxx links a libFuzzer target (clang without libclang-rt-dev does not).
mkdir -p "$build"
probe="$build/libfuzzer_probe"
if ! command -v "$cxx" >/dev/null ||
   ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' |
       "$cxx" -x c++ -fsanitize=fuzzer - -o "$probe" 2>/dev/null; then
  message="fuzz: $cxx with the libFuzzer runtime not found (scripts/setup.sh --test installs clang and libclang-rt-dev)"
  if [ $smoke -eq 1 ]; then
    echo "$message; fuzz smoke run skipped"
    exit 0
  fi
  echo "$message" >&2
  exit 2
fi

if [ ! -f "$build/CMakeCache.txt" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  CXX=$cxx cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DIREE_SUITE_FUZZ=ON -DIREE_SUITE_BUILD_TESTS=OFF "${launcher[@]}" >/dev/null
fi
cmake --build "$build" --target fuzzers

harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  harnesses=($(cd tests/fuzz/corpus && ls))
fi
mkdir -p "$build/crashes"
if [ $smoke -eq 1 ]; then
  budget=(-runs="$amount" -seed=1)
  spent="from seed 1"
else
  budget=(-max_total_time="$amount")
  spent="in $amount s"
fi
found=0
for name in "${harnesses[@]}"; do
  mkdir -p "$build/corpus/$name"
  log="$build/$name.log"
  # The first directory receives new inputs; the committed seeds (and regressions) stay as
  # they are and are all run first.
  if "$build/tests/fuzz/${name}_fuzzer" "${budget[@]}" -timeout=20 \
       -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/crashes/$name-" \
       "$build/corpus/$name" "tests/fuzz/corpus/$name" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz: $name: ${runs:-?} executions $spent, nothing found"
  else
    found=1
    echo "fuzz: $name: FOUND A PROBLEM (log: $log)"
    grep -E "fuzz invariant violated|ERROR: (AddressSanitizer|libFuzzer)|runtime error|Test unit written" \
      "$log" | head -5 | sed 's/^/  /'
  fi
done
if [ $found -eq 1 ]; then
  echo "fuzz: once fixed, add each crashing input to tests/fuzz/corpus/<harness>/ as a regression"
fi
exit $found
