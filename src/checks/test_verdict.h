// The judging of a test from what its tools did: benchmark retries, compile-only
// passes and an operator suite's expected failures (XFAIL/XPASS). Pure
// functions over the typed result: the runner runs the tools, these decide.
#pragma once

#include <cstddef>
#include <string>

#include "checks/benchmark_json.h"
#include "results/test_result.h"
#include "suite/test_definition.h"

namespace iree_suite {

// A benchmark over its threshold is measured again, up to `retries` times;
// it passes if any measurement is within it.
size_t BenchmarkAttemptsAllowed(size_t retries);

// Records one measurement of a benchmark test in *result (its minimum in
// benchmark_attempts_ms; the best attempt's samples and minimum as what is
// judged; the threshold) and returns whether the best attempt so far is
// within it.
bool RecordBenchmarkAttempt(const TestDefinition& test, const BenchmarkRun& run,
                            TestResult* result);

// Sets the outcome and reason of a benchmark from its best recorded attempt
// (there is at least one), measured with up to `attempts_allowed` attempts.
void ConcludeBenchmark(const TestDefinition& test, size_t attempts_allowed, TestResult* result);

// A tool that did not succeed: `described` says how ("exited with code 1"),
// `output_tail` is the end of its diagnostics and `long_output_tail` more of
// it, searched for the tool's own mismatch lines.
void JudgeToolFailure(const std::string& tool, const std::string& described,
                      std::string output_tail, const std::string& long_output_tail,
                      TestResult* result);

// A test that only compiles (skip_run_tests, --skip-all-runs) and did.
void JudgeCompileOnly(TestResult* result);

// Applies the test's expectation (expected_compile_failures /
// expected_run_failures of its config) to *result, given whether all its
// modules compiled: a failure where one is expected is XFAIL; success there
// is XPASS, a failure of the run. A failed check (wrong outputs or time) is a
// failure on any list. With --ignore-xfails the loader sets no expectation.
void JudgeExpectation(const TestDefinition& test, bool compiled, TestResult* result);

}  // namespace iree_suite
