// The judging of tests from what their tools did, without any tool: benchmark
// retries and every outcome of the expected-failure lists.
#include "checks/test_verdict.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace iree_suite {
namespace {

using Expectation = TestDefinition::Expectation;

TestDefinition Benchmark(double golden_ms) {
  TestDefinition test;
  test.kind = TestKind::kBenchmark;
  test.golden_time_ms = golden_ms;
  test.tolerance_factor = 1.0;
  return test;
}

BenchmarkRun Samples(std::vector<double> real_times_ms) {
  BenchmarkRun run;
  for (double ms : real_times_ms) run.samples.push_back({"BM_main", ms, ms});
  return run;
}

TEST(TestVerdictTest, OneAttemptWithoutRetriesAndOneMorePerRetry) {
  EXPECT_EQ(BenchmarkAttemptsAllowed(0), 1u);
  EXPECT_EQ(BenchmarkAttemptsAllowed(2), 3u);
}

TEST(TestVerdictTest, EachAttemptIsRecordedAndTheBestOneIsJudged) {
  TestDefinition test = Benchmark(2.0);
  TestResult result;
  EXPECT_FALSE(RecordBenchmarkAttempt(test, Samples({6.0, 5.0}), &result));
  EXPECT_TRUE(RecordBenchmarkAttempt(test, Samples({1.5, 1.0}), &result));
  EXPECT_TRUE(RecordBenchmarkAttempt(test, Samples({3.0}), &result));  // the best is 1.0
  EXPECT_EQ(result.benchmark_attempts_ms, (std::vector<double>{5.0, 1.0, 3.0}));
  EXPECT_EQ(result.current_time_ms, 1.0);
  EXPECT_EQ(result.benchmark_samples_ms, (std::vector<double>{1.5, 1.0}));
  EXPECT_EQ(result.threshold_ms, 2.0);
}

TEST(TestVerdictTest, BenchmarkWithinItsThresholdAtOnceJustPasses) {
  TestDefinition test = Benchmark(2.0);
  TestResult result;
  ASSERT_TRUE(RecordBenchmarkAttempt(test, Samples({1.0}), &result));
  ConcludeBenchmark(test, 3, &result);
  EXPECT_EQ(result.outcome, Outcome::kPassed);
  EXPECT_EQ(result.reason, "");
}

TEST(TestVerdictTest, BenchmarkPassingOnRetryNamesEveryAttempt) {
  TestDefinition test = Benchmark(2.0);
  TestResult result;
  RecordBenchmarkAttempt(test, Samples({5.0}), &result);
  RecordBenchmarkAttempt(test, Samples({1.0}), &result);
  ConcludeBenchmark(test, 3, &result);
  EXPECT_EQ(result.outcome, Outcome::kPassed);
  EXPECT_EQ(result.reason,
            "passed on retry: attempt 2 of up to 3 within the threshold (minimum real_time per "
            "attempt: 5.000 ms, 1.000 ms)");
}

TEST(TestVerdictTest, BenchmarkOverItsThresholdFailsAndCountsItsAttempts) {
  TestDefinition test = Benchmark(2.0);
  TestResult once;
  RecordBenchmarkAttempt(test, Samples({5.0}), &once);
  ConcludeBenchmark(test, 1, &once);
  EXPECT_EQ(once.outcome, Outcome::kFailed);
  EXPECT_EQ(once.reason.find("benchmark too slow: measured 5.000 ms"), 0u) << once.reason;
  EXPECT_EQ(once.reason.find("attempts"), std::string::npos);

  TestResult thrice;
  for (double ms : {6.0, 5.0, 7.0}) RecordBenchmarkAttempt(test, Samples({ms}), &thrice);
  ConcludeBenchmark(test, 3, &thrice);
  EXPECT_EQ(thrice.outcome, Outcome::kFailed);
  // The best attempt is judged and named, as the reports show it.
  EXPECT_EQ(thrice.reason.find("benchmark too slow: measured 5.000 ms"), 0u) << thrice.reason;
  EXPECT_NE(thrice.reason.find(" (best of 3 attempts)"), std::string::npos) << thrice.reason;
}

TEST(TestVerdictTest, ToolFailurePutsTheToolsMismatchLinesFirst) {
  TestResult result;
  JudgeToolFailure("iree-run-module", "exited with code 1", "tail",
                   "noise\n[FAILED] result[0]: element at index 0 (1) does not match (2)\n",
                   &result);
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_EQ(result.failed_step, Step::kRun);
  EXPECT_EQ(result.output_tail, "tail");
  EXPECT_EQ(result.reason.find("[FAILED] result[0]"), 0u) << result.reason;
  EXPECT_NE(result.reason.find("\n(iree-run-module exited with code 1)"), std::string::npos);

  TestResult plain;
  JudgeToolFailure("iree-run-module", "killed by signal 11", "", "no verdict\n", &plain);
  EXPECT_EQ(plain.reason, "iree-run-module killed by signal 11");
}

TEST(TestVerdictTest, CompileOnlyTestThatCompiledPassesAsNotRun) {
  TestResult result;
  JudgeCompileOnly(&result);
  EXPECT_EQ(result.outcome, Outcome::kPassed);
  EXPECT_EQ(result.reason, kCompileOnlyReason);
}

// What JudgeExpectation makes of one situation.
struct Case {
  Expectation expectation;
  bool compile_only;
  bool compiled;
  Outcome outcome;  // before judging
  Step failed_step;
  Outcome judged;
  std::string reason_start;  // how the judged reason begins
};

TestResult Judge(const Case& c) {
  TestDefinition test;
  test.expectation = c.expectation;
  test.compile_only = c.compile_only;
  test.expectation_source = "config.json";
  TestResult result;
  result.outcome = c.outcome;
  result.failed_step = c.failed_step;
  result.reason = "tool said no";
  JudgeExpectation(test, c.compiled, &result);
  return result;
}

TEST(TestVerdictTest, EveryOutcomeOfTheExpectedFailureLists) {
  const Case cases[] = {
      // Not on any list (also every test under --ignore-xfails): unchanged.
      {Expectation::kPass, false, true, Outcome::kPassed, Step::kNone, Outcome::kPassed,
       "tool said no"},
      {Expectation::kPass, false, false, Outcome::kFailed, Step::kCompile, Outcome::kFailed,
       "tool said no"},
      {Expectation::kPass, false, true, Outcome::kFailed, Step::kRun, Outcome::kFailed,
       "tool said no"},
      // expected_compile_failures
      {Expectation::kCompileFailure, false, false, Outcome::kFailed, Step::kCompile,
       Outcome::kXFailed, "expected failure: tool said no"},
      {Expectation::kCompileFailure, false, true, Outcome::kPassed, Step::kNone, Outcome::kXPassed,
       "compiled and ran although listed in expected_compile_failures of "
       "config.json: remove it from that list"},
      {Expectation::kCompileFailure, true, true, Outcome::kSkipped, Step::kNone, Outcome::kXPassed,
       "compiled although listed in expected_compile_failures of "
       "config.json: remove it from that list"},
      {Expectation::kCompileFailure, false, true, Outcome::kFailed, Step::kRun, Outcome::kXPassed,
       "compiled although listed in expected_compile_failures of "
       "config.json, then failed to run: move it to expected_run_failures\n"
       "tool said no"},
      {Expectation::kCompileFailure, false, true, Outcome::kFailed, Step::kCheck, Outcome::kFailed,
       "tool said no"},
      {Expectation::kCompileFailure, false, true, Outcome::kError, Step::kNone, Outcome::kError,
       "tool said no"},
      // expected_run_failures
      {Expectation::kRunFailure, false, true, Outcome::kFailed, Step::kRun, Outcome::kXFailed,
       "expected failure: tool said no"},
      {Expectation::kRunFailure, false, true, Outcome::kPassed, Step::kNone, Outcome::kXPassed,
       "passed although listed in expected_run_failures of config.json: remove it from that "
       "list"},
      {Expectation::kRunFailure, false, true, Outcome::kFailed, Step::kCheck, Outcome::kFailed,
       "tool said no"},
      {Expectation::kRunFailure, false, false, Outcome::kFailed, Step::kCompile, Outcome::kFailed,
       "tool said no"},
      {Expectation::kRunFailure, false, true, Outcome::kError, Step::kNone, Outcome::kError,
       "tool said no"},
  };
  for (size_t i = 0; i < std::size(cases); ++i) {
    TestResult result = Judge(cases[i]);
    EXPECT_EQ(result.outcome, cases[i].judged) << "case " << i;
    EXPECT_EQ(result.reason, cases[i].reason_start) << "case " << i;
  }
}

}  // namespace
}  // namespace iree_suite
