// Verdicts for benchmark and compstat tests, with reasons that show the
// arithmetic, and the reading of compile statistics.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "base/result.h"
#include "suite/test_definition.h"

namespace iree_suite {

struct Verdict {
  bool passed = true;
  std::string reason;  // empty when passed
};

// threshold = golden_time_ms * tolerance_factor; passes iff measured <= threshold
// or when no golden is set (fails with the golden to set if golden_required).
std::optional<double> BenchmarkThresholdMs(const TestDefinition& test);
Verdict JudgeBenchmark(const TestDefinition& test, double measured_ms);

// Each of dispatch count and binary size must be <= its golden when one is given.
Verdict JudgeCompstat(const TestDefinition& test, std::optional<int64_t> dispatch_count,
                      int64_t binary_size);

// ["stream-aggregate"]["execution"]["dispatch-count"] of the statistics JSON.
Result<int64_t> ReadDispatchCount(const std::filesystem::path& stats_json);

// The lines of iree-run-module's output that say what did not match
// ("[FAILED] result[1]: element at index 0 ..."), or empty.
std::string ExtractMismatchLines(const std::string& output);

}  // namespace iree_suite
