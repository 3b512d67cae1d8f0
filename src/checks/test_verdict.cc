#include "checks/test_verdict.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/judgement.h"

namespace iree_suite {

size_t BenchmarkAttemptsAllowed(size_t retries) { return 1 + retries; }

bool RecordBenchmarkAttempt(const TestDefinition& test, const BenchmarkRun& run,
                            TestResult* result) {
  const double measured = MinRealTimeMs(run);
  result->benchmark_attempts_ms.push_back(measured);
  if (!result->current_time_ms || measured < *result->current_time_ms) {
    // Report the best attempt, with its repetitions.
    result->current_time_ms = measured;
    result->benchmark_samples_ms.clear();
    for (const BenchmarkSample& sample : run.samples) {
      result->benchmark_samples_ms.push_back(sample.real_time_ms);
    }
  }
  result->threshold_ms = BenchmarkThresholdMs(test);
  // Judged on the best attempt so far, so the reason names the time the
  // reports show (passing on any attempt within the threshold is the same).
  return JudgeBenchmark(test, *result->current_time_ms).passed;
}

void ConcludeBenchmark(const TestDefinition& test, size_t attempts_allowed, TestResult* result) {
  const std::vector<double>& measured_ms = result->benchmark_attempts_ms;
  const Verdict verdict = JudgeBenchmark(test, *result->current_time_ms);
  result->outcome = verdict.passed ? Outcome::kPassed : Outcome::kFailed;
  result->reason = verdict.reason;
  if (!verdict.passed && measured_ms.size() > 1) {
    result->reason += fmt::format(" (best of {} attempts)", measured_ms.size());
  } else if (verdict.passed && measured_ms.size() > 1) {
    // Reports and results files say that it took a retry, and what each measured.
    result->reason = fmt::format(
        "passed on retry: attempt {} of up to {} within the threshold (minimum real_time per "
        "attempt: {:.3f} ms)",
        measured_ms.size(), attempts_allowed, fmt::join(measured_ms, " ms, "));
  }
}

void JudgeToolFailure(const std::string& tool, const std::string& described,
                      std::string output_tail, const std::string& long_output_tail,
                      TestResult* result) {
  result->outcome = Outcome::kFailed;
  result->failed_step = Step::kRun;
  result->output_tail = std::move(output_tail);
  result->reason = fmt::format("{} {}", tool, described);
  // The tool's own verdict ("[FAILED] result[0]: element at index ...") goes
  // first, so the one-line summaries show what did not match.
  std::string mismatch = ExtractMismatchLines(long_output_tail);
  if (!mismatch.empty()) result->reason = mismatch + "\n(" + result->reason + ")";
}

void JudgeCompileOnly(TestResult* result) {
  result->outcome = Outcome::kPassed;
  result->reason = kCompileOnlyReason;
}

namespace {

// Listed in expected_compile_failures, yet compiled (and ran unless compile
// only): the run tells which list, if any, it belongs on.
void JudgeUnexpectedCompile(const TestDefinition& test, TestResult* result) {
  if (result->outcome == Outcome::kFailed && result->failed_step == Step::kCheck) {
    // Ran, and its outputs or time were judged wrong: a failure on any list.
  } else if (result->outcome == Outcome::kFailed) {
    result->outcome = Outcome::kXPassed;
    result->reason = fmt::format(
        "compiled although listed in expected_compile_failures of {}, then failed to run: "
        "move it to expected_run_failures\n{}",
        test.expectation_source, result->reason);
  } else if (result->outcome != Outcome::kError) {
    result->outcome = Outcome::kXPassed;
    result->reason = fmt::format(
        "compiled{} although listed in expected_compile_failures of {}: remove it from that "
        "list",
        test.compile_only ? "" : " and ran", test.expectation_source);
  }
}

}  // namespace

void JudgeExpectation(const TestDefinition& test, bool compiled, TestResult* result) {
  using Expectation = TestDefinition::Expectation;
  if (compiled && test.expectation == Expectation::kCompileFailure) {
    JudgeUnexpectedCompile(test, result);
    return;
  }
  const bool expected_here = (test.expectation == Expectation::kCompileFailure && !compiled) ||
                             (test.expectation == Expectation::kRunFailure && compiled);
  if (!expected_here || result->failed_step == Step::kCheck) return;
  if (result->outcome == Outcome::kFailed) {
    result->outcome = Outcome::kXFailed;
    result->reason = std::string(kExpectedFailurePrefix) + result->reason;
  } else if (result->outcome == Outcome::kPassed) {
    result->outcome = Outcome::kXPassed;
    result->reason = fmt::format(
        "passed although listed in expected_run_failures of {}: remove it from that list",
        test.expectation_source);
  }
}

}  // namespace iree_suite
