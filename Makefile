# Two commands on a fresh machine: `make run` and `make test`.
BUILD_DIR ?= build
VENV := $(CURDIR)/.venv
SUITE_FLAGS ?=

.PHONY: setup build run test unit-test e2e-test format clean

setup:
	@bash scripts/setup.sh

build: setup
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD_DIR)

# Runs the bundled example suite on the CPU with the pinned IREE tools.
run: build
	$(BUILD_DIR)/iree-suite --test-file-directory=examples --module-directory=examples \
	  --external-file-directory=examples --artifact-directory=$(BUILD_DIR)/artifacts \
	  --job-summary-path=$(BUILD_DIR) --iree-tools-dir=$(VENV)/bin $(SUITE_FLAGS)

unit-test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure

e2e-test: build
	@IREE_SUITE_BINARY=$(CURDIR)/$(BUILD_DIR)/iree-suite IREE_SUITE_TOOLS_DIR=$(VENV)/bin \
	  $(VENV)/bin/python -m pytest -q -rs tests/e2e

test: unit-test e2e-test

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
