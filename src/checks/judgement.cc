#include "checks/judgement.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "base/atomic_file.h"
#include "suite/json_file.h"

namespace iree_suite {

std::optional<double> BenchmarkThresholdMs(const TestDefinition& test) {
  if (!test.golden_time_ms) return std::nullopt;
  return *test.golden_time_ms * test.tolerance_factor;
}

Verdict JudgeBenchmark(const TestDefinition& test, double measured_ms) {
  std::optional<double> threshold = BenchmarkThresholdMs(test);
  if (!threshold && test.golden_required) {
    // torch_ops: as the reference, a benchmark without a golden fails with one to set.
    return {false, fmt::format("golden time has not been set: set it to {:.3f} ms (measured "
                               "{:.3f} ms (minimum real_time) x 1.1) in golden_times_ms of {}",
                               measured_ms * 1.1, measured_ms, test.expectation_source)};
  }
  if (!threshold || measured_ms <= *threshold) return {};
  return {false,
          fmt::format("benchmark too slow: measured {:.3f} ms (minimum real_time) > threshold "
                      "{:.3f} ms = golden_time_ms {:.3f} x tolerance_factor {:g}",
                      measured_ms, *threshold, *test.golden_time_ms, test.tolerance_factor)};
}

Verdict JudgeCompstat(const TestDefinition& test, std::optional<int64_t> dispatch_count,
                      int64_t binary_size) {
  Verdict verdict;
  auto fail = [&](const std::string& line) {
    verdict.passed = false;
    verdict.reason += (verdict.reason.empty() ? "" : "\n") + line;
  };
  if (test.golden_dispatch_count) {
    if (!dispatch_count) {
      fail("dispatch count missing from the compile statistics");
    } else if (*dispatch_count > *test.golden_dispatch_count) {
      fail(fmt::format("dispatch count {} > golden_dispatch_count {} (+{})", *dispatch_count,
                       *test.golden_dispatch_count, *dispatch_count - *test.golden_dispatch_count));
    }
  }
  if (test.golden_binary_size && binary_size > *test.golden_binary_size) {
    fail(fmt::format("binary size {} bytes > golden_binary_size {} bytes (+{})", binary_size,
                     *test.golden_binary_size, binary_size - *test.golden_binary_size));
  }
  return verdict;
}

Result<int64_t> ReadDispatchCount(const std::filesystem::path& stats_json) {
  Result<std::string> text = ReadSmallFile(stats_json);
  if (!text) return Error{text.error()};
  JsonParseError parse_error;
  std::optional<nlohmann::json> parsed = ParseJsonText(*text, &parse_error);
  if (!parsed) {
    return Error{
        fmt::format("{}: not valid JSON: {}", stats_json.string(), parse_error.ToString())};
  }
  nlohmann::json& stats = *parsed;
  const nlohmann::json::json_pointer pointer("/stream-aggregate/execution/dispatch-count");
  if (!stats.contains(pointer) || !stats[pointer].is_number_integer()) {
    return Error{fmt::format("{}: no integer at stream-aggregate.execution.dispatch-count",
                             stats_json.string())};
  }
  return stats[pointer].get<int64_t>();
}

std::string ExtractMismatchLines(const std::string& output) {
  std::istringstream lines(output);
  std::string line;
  std::string found;
  while (std::getline(lines, line)) {
    if (line.find("[FAILED]") != std::string::npos) found += (found.empty() ? "" : "\n") + line;
  }
  return found;
}

}  // namespace iree_suite
