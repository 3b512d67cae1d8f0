// What running one test produced: verdict, measurements and how to reproduce it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "suite/test_definition.h"

namespace iree_suite {

// kXFailed: failed as its suite config expects; kXPassed: passed although
// listed as an expected failure (pytest's strict xfail: counts as a failure).
enum class Outcome { kPassed, kFailed, kError, kSkipped, kXFailed, kXPassed };

// "passed", "failed", "error", "skipped", "xfailed", "xpassed".
const char* OutcomeName(Outcome outcome);

// Whether the outcome fails the run: failed, error, xpassed.
bool IsFailure(Outcome outcome);

// Which step of a test failed: what `update-xfails` files it under.
enum class Step { kNone, kCompile, kRun };

// "compile" / "run"; nullptr for kNone.
const char* StepName(Step step);

// One tool invocation a user can paste to rerun by hand.
struct Repro {
  std::filesystem::path cwd;
  std::vector<std::string> argv;
  std::string ToShellLine() const;  // "cd <cwd> && <quoted argv>"; no "cd" without a cwd
};

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
