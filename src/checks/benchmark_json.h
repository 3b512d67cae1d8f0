// Reads what `iree-benchmark-module --benchmark_format=json` prints: Google Benchmark's JSON
// report, {"context": {...}, "benchmarks": [{"name", "real_time", "time_unit", ...}, ...]}.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace iree_suite {

// One repetition of one benchmark, with times converted to milliseconds.
struct BenchmarkSample {
  std::string name;
  double real_time_ms = 0;
  double cpu_time_ms = 0;  // 0 when the entry has no cpu_time
};

struct BenchmarkRun {
  std::vector<BenchmarkSample> samples;  // non-aggregate entries only, in output order
};

// Parses the tool's stdout. Text before the first '{' and after the last '}' is ignored
// (banners). Aggregate entries (those with "aggregate_name": mean, median, stddev, cv) are
// skipped; "time_unit" (ns, us, ms, s; ms when absent) is converted to milliseconds.
// Returns std::nullopt and sets *error for: invalid JSON, no "benchmarks" array, an entry that
// is not an object, has "error_occurred": true, lacks a numeric real_time or names an
// unknown time_unit, and output with no non-aggregate entry at all (what the tool leaves
// when --function names nothing it can run).
Result<BenchmarkRun> ParseBenchmarkJson(std::string_view text);

// The reference's measure of a run: the minimum real_time over its samples, in ms.
// +infinity when there are no samples.
double MinRealTimeMs(const BenchmarkRun& run);

}  // namespace iree_suite
