# Two commands on a fresh machine: `make run` and `make test`.
BUILD_DIR ?= build
VENV := $(CURDIR)/.venv
SUITE_FLAGS ?=
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_RUNS ?= 50000

.PHONY: setup setup-test build build-binary shell-integration run test unit-test e2e-test fuzz fuzz-smoke asan-test \
	format clean

# `make run` needs only the binary's build dependencies and the IREE tools;
# the test-only packages (GoogleTest, Chromium, ...) come with `make test`.
setup:
	@bash scripts/setup.sh

setup-test:
	@bash scripts/setup.sh --test

# The binary alone; a build directory configured by `make test` keeps its tests.
build-binary: setup
	@[ -f $(BUILD_DIR)/CMakeCache.txt ] || cmake -S . -B $(BUILD_DIR) -G Ninja \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIREE_SUITE_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(BUILD_DIR) --target iree-suite

# Bash and zsh completion and the man page, generated from `iree-suite --help`, under
# $(BUILD_DIR)/share (bash-completion/completions, zsh/site-functions, man/man1).
shell-integration: build-binary
	@python3 scripts/shell_integration.py $(BUILD_DIR)/iree-suite $(BUILD_DIR)/share

build: setup-test
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DIREE_SUITE_BUILD_TESTS=ON >/dev/null
	@cmake --build $(BUILD_DIR)

# Runs the bundled example suite on the CPU with the pinned IREE tools.
run: build-binary
	$(BUILD_DIR)/iree-suite --test-file-directory=./examples --module-directory=./ \
	  --external-file-directory=./ --artifact-directory=$(BUILD_DIR)/artifacts \
	  --job-summary-path=$(BUILD_DIR) --iree-tools-dir=$(VENV)/bin $(SUITE_FLAGS)

unit-test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure

e2e-test: build
	@IREE_SUITE_BINARY=$(CURDIR)/$(BUILD_DIR)/iree-suite IREE_SUITE_TOOLS_DIR=$(VENV)/bin \
	  $(VENV)/bin/python -m pytest -q -rs tests/e2e

test: unit-test e2e-test fuzz-smoke

# The libFuzzer harnesses of tests/fuzz, built with Clang, ASan and UBSan in build-fuzz, each
# run for FUZZ_SECONDS, one after another.
fuzz: setup-test
	@bash scripts/fuzz.sh $(FUZZ_SECONDS)

# FUZZ_SMOKE_RUNS inputs per harness from a fixed seed (the same verdict on every run);
# skipped with a message where Clang is not installed.
fuzz-smoke: setup-test
	@bash scripts/fuzz.sh --smoke $(FUZZ_SMOKE_RUNS)

# The unit and end-to-end tests on an ASan+UBSan build (build-asan); too slow for `make test`.
asan-test: setup-test
	@bash scripts/asan_test.sh

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) build-fuzz build-asan
