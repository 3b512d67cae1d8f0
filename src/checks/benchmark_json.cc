#include "checks/benchmark_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "suite/json_file.h"

namespace iree_suite {
namespace {

using nlohmann::json;

// iree-benchmark-module prints nothing (and may exit 0) when no function matches --function.
constexpr char kNoResults[] =
    "no benchmark results in the output: does --function name an exported function of the "
    "last module?";

// Milliseconds per Google Benchmark "time_unit".
std::optional<double> MsPerUnit(std::string_view unit) {
  if (unit == "ns") return 1e-6;
  if (unit == "us") return 1e-3;
  if (unit == "ms") return 1.0;
  if (unit == "s") return 1e3;
  return std::nullopt;
}

// entry[key] when it is a string, else `fallback`; json::value() would throw on other types.
std::string StringOr(const json& entry, const char* key, std::string fallback) {
  auto it = entry.find(key);
  return it != entry.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

Result<BenchmarkRun> ParseBenchmarkJson(std::string_view text) {
  // Banners before or after the report are not JSON; the report is one object.
  const size_t begin = text.find('{');
  if (begin == std::string_view::npos) return Error{kNoResults};
  // A report cut off before its last '}' is parsed whole, to say where it ends.
  const size_t last_brace = text.rfind('}');
  const size_t end = last_brace == std::string_view::npos ? text.size() - 1 : last_brace;
  JsonParseError parse_error;
  std::optional<json> parsed = ParseJsonText(text.substr(begin, end + 1 - begin), &parse_error);
  if (!parsed) return Error{fmt::format("invalid benchmark JSON: {}", parse_error.ToString())};
  const json& root = *parsed;
  if (!root.is_object() || !root.contains("benchmarks") || !root["benchmarks"].is_array()) {
    return Error{"benchmark JSON has no \"benchmarks\" array"};
  }

  BenchmarkRun run;
  const json& entries = root["benchmarks"];
  for (size_t i = 0; i < entries.size(); ++i) {
    const json& entry = entries[i];
    if (!entry.is_object()) return Error{fmt::format("benchmark #{} is not an object", i)};
    const std::string name = StringOr(entry, "name", "");
    // How errors name the entry: its "name", else its position.
    const std::string label = name.empty() ? fmt::format("#{}", i) : fmt::format("\"{}\"", name);
    if (auto failed = entry.find("error_occurred"); failed != entry.end() && *failed == true) {
      return Error{fmt::format("benchmark {} failed: {}", label,
                               StringOr(entry, "error_message", "no error_message"))};
    }
    // Summaries of the repetitions, not measurements.
    if (entry.contains("aggregate_name") || StringOr(entry, "run_type", "") == "aggregate") {
      continue;
    }

    auto real_time = entry.find("real_time");
    if (real_time == entry.end() || !real_time->is_number()) {
      return Error{fmt::format("benchmark {} has no numeric real_time", label)};
    }
    const json unit = entry.value("time_unit", json("ms"));
    const std::optional<double> ms_per_unit =
        unit.is_string() ? MsPerUnit(unit.get<std::string>()) : std::nullopt;
    if (!ms_per_unit) {
      return Error{
          fmt::format("benchmark {} has unknown time_unit {} (expected ns, us, "
                      "ms or s)",
                      label, unit.dump())};
    }
    auto cpu_time = entry.find("cpu_time");
    BenchmarkSample sample;
    sample.name = name;
    sample.real_time_ms = real_time->get<double>() * *ms_per_unit;
    sample.cpu_time_ms = cpu_time != entry.end() && cpu_time->is_number()
                             ? cpu_time->get<double>() * *ms_per_unit
                             : 0.0;
    run.samples.push_back(std::move(sample));
  }
  if (run.samples.empty()) return Error{kNoResults};
  return run;
}

double MinRealTimeMs(const BenchmarkRun& run) {
  double min = std::numeric_limits<double>::infinity();
  for (const BenchmarkSample& sample : run.samples) min = std::min(min, sample.real_time_ms);
  return min;
}

}  // namespace iree_suite
