// The result model: what running one test produced (verdict, measurements,
// how to reproduce it). Every stage below the runner fills it; every report
// and results.json reader works from it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "suite/test_definition.h"

namespace iree_suite {

// kXFailed: failed as its suite config expects; kXPassed: passed although
// listed as an expected failure (pytest's strict xfail: counts as a failure).
enum class Outcome { kPassed, kFailed, kError, kSkipped, kXFailed, kXPassed };

// "passed", "failed", "error", "skipped", "xfailed", "xpassed".
const char* OutcomeName(Outcome outcome);
// The inverse of OutcomeName; nullopt for any other text.
std::optional<Outcome> ParseOutcome(std::string_view name);
inline constexpr Outcome kAllOutcomes[] = {Outcome::kPassed,  Outcome::kFailed,  Outcome::kError,
                                           Outcome::kSkipped, Outcome::kXFailed, Outcome::kXPassed};

// Whether the outcome fails the run: failed, error, xpassed.
bool IsFailure(Outcome outcome);

// Which step of a test failed: what `update-xfails` files it under. kCheck:
// the tools succeeded and their outputs were judged wrong (torch_ops' allclose
// and goldens), which, as the reference's assertions, no list expects.
enum class Step { kNone, kCompile, kRun, kCheck };

// "compile" / "run" / "check"; nullptr for kNone.
const char* StepName(Step step);
// The inverse of StepName ("compile", "run"); nullopt for any other text.
std::optional<Step> ParseStep(std::string_view name);

// How the reason of an expected failure (kXFailed) begins.
inline constexpr std::string_view kExpectedFailurePrefix = "expected failure: ";

// One tool invocation a user can paste to rerun by hand.
struct Repro {
  std::filesystem::path cwd;
  std::vector<std::string> argv;
  std::string ToShellLine() const;  // "cd <cwd> && <quoted argv>"; no "cd" without a cwd
};

// The result of one test: what the runner produces and every report, results
// file and maintenance command reads. `test` points into the suite that was
// run, or into the ResultsFile a result was read from.
struct TestResult {
  const TestDefinition* test = nullptr;
  Outcome outcome = Outcome::kSkipped;
  std::string reason;              // why it failed / errored / was skipped; empty when passed
  Step failed_step = Step::kNone;  // set with a tool's failure, also under xfailed/xpassed
  std::vector<Repro> repros;
  std::vector<std::filesystem::path> logs;  // full tool logs under the artifact directory
  std::string output_tail;                  // last lines of the failing tool's output
  double duration_s = 0;

  // benchmark
  std::vector<double> benchmark_attempts_ms;  // minimum of each measurement (retries add more)
  std::vector<double> benchmark_samples_ms;   // real_time of every repetition of the best one
  std::optional<double> current_time_ms;      // their minimum: what is judged
  std::optional<double> threshold_ms;         // golden_time_ms * tolerance_factor
  // compstat
  std::optional<int64_t> dispatch_count;
  std::optional<int64_t> binary_size;
};

}  // namespace iree_suite
