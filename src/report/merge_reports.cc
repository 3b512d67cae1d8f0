#include "report/merge_reports.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "base/atomic_file.h"
#include "history/run_record.h"
#include "suite/json_file.h"

namespace iree_suite {

namespace {

using Json = nlohmann::ordered_json;

// The shard count shared by every part, or 0 when some part is not a shard
// or the counts differ.
size_t CommonShardCount(const std::vector<NamedResults>& parts) {
  if (parts.empty()) return 0;
  for (const NamedResults& part : parts) {
    if (!part.results.context.shard ||
        (*part.results.context.shard)[1] != (*parts.front().results.context.shard)[1]) {
      return 0;
    }
  }
  return (*parts.front().results.context.shard)[1];
}

void WarnAboutMissingShards(const std::vector<NamedResults>& parts, size_t shard_count,
                            std::vector<std::string>* warnings) {
  std::set<size_t> present;
  for (const NamedResults& part : parts) present.insert((*part.results.context.shard)[0]);
  for (size_t index = 0; index < shard_count; ++index) {
    if (!present.count(index)) {
      warnings->push_back(
          fmt::format("shard {} of {} is missing: its tests are not in the merged reports", index,
                      shard_count));
    }
  }
}

// The whole run's context from its parts' (see MergeResults).
RunContext MergeContexts(const std::vector<NamedResults>& parts) {
  RunContext merged = parts.front().results.context;
  merged.shard.reset();
  bool any_run_id = false;
  for (const NamedResults& part : parts) {
    const RunContext& context = part.results.context;
    merged.modules.insert(context.modules.begin(), context.modules.end());
    // A shard looks up only the tools its tests need.
    for (const ToolInfo& tool : context.tools) {
      auto same_name = [&](const ToolInfo& known) { return known.name == tool.name; };
      if (std::none_of(merged.tools.begin(), merged.tools.end(), same_name)) {
        merged.tools.push_back(tool);
      }
    }
    // FormatIso8601Utc's text sorts as its time does.
    if (!context.start_time.empty() &&
        (merged.start_time.empty() || context.start_time < merged.start_time)) {
      merged.start_time = context.start_time;
    }
    if (merged.marker_expression.empty()) merged.marker_expression = context.marker_expression;
    any_run_id |= !context.run_id.empty();
  }
  merged.run_id = any_run_id ? NewRunId() : "";
  return merged;
}

// {"traceEvents": [{...}, ...]} of one --trace file.
Result<Json> ReadTraceEvents(const std::filesystem::path& file) {
  Result<std::string> text = ReadSmallFile(file);
  if (!text) return Error{text.error()};
  JsonParseError parse_error;
  std::optional<Json> trace = ParseJsonText<Json>(*text, &parse_error);
  if (!trace) {
    return Error{fmt::format("{}: {}", file.string(), parse_error.ToString())};
  }
  if (!trace->is_object() || !trace->contains("traceEvents") ||
      !(*trace)["traceEvents"].is_array()) {
    return Error{fmt::format("{}: traceEvents: expected an array of trace events", file.string())};
  }
  Json& events = (*trace)["traceEvents"];
  for (size_t i = 0; i < events.size(); ++i) {
    if (!events[i].is_object() || !events[i].contains("ph") || !events[i]["ph"].is_string()) {
      return Error{fmt::format("{}: traceEvents[{}]: expected an event object with a \"ph\" string",
                               file.string(), i)};
    }
  }
  return std::move(events);
}

}  // namespace

Result<ResultsFile> MergeResults(std::vector<NamedResults> parts,
                                 std::vector<std::string>* warnings) {
  ResultsFile merged;
  if (parts.empty()) return merged;
  merged.context = MergeContexts(parts);
  std::map<std::string, const std::string*> part_of_test;  // id -> name of its part
  for (const NamedResults& part : parts) {
    for (const TestResult& result : part.results.tests) {
      auto [it, inserted] = part_of_test.emplace(result.test->id, &part.name);
      if (!inserted) {
        return Error{fmt::format("{}: test \"{}\" is also in {}: each test belongs to one shard",
                                 part.name, result.test->id, *it->second)};
      }
      merged.Add(result);
    }
  }
  if (size_t shard_count = CommonShardCount(parts); shard_count > 0) {
    WarnAboutMissingShards(parts, shard_count, warnings);
    std::stable_sort(
        merged.tests.begin(), merged.tests.end(),
        [](const TestResult& a, const TestResult& b) { return a.test->id < b.test->id; });
  }
  return merged;
}

Result<ResultsFile> MergeResultsFiles(const std::vector<std::filesystem::path>& files,
                                      std::vector<std::string>* warnings) {
  std::vector<NamedResults> parts;
  for (const std::filesystem::path& file : files) {
    Result<ResultsFile> results = ReadResultsJson(file);
    if (!results) return Error{results.error()};
    parts.push_back({file.string(), std::move(*results)});
  }
  return MergeResults(std::move(parts), warnings);
}

double TotalTestSeconds(const ResultsFile& results) {
  double seconds = 0;
  for (const TestResult& result : results.tests) seconds += result.duration_s;
  return seconds;
}

Result<std::string> MergeTraceFiles(const std::vector<std::filesystem::path>& files) {
  Json merged = Json::array();
  for (size_t i = 0; i < files.size(); ++i) {
    Result<Json> events = ReadTraceEvents(files[i]);
    if (!events) return Error{events.error()};
    const int process = static_cast<int>(i) + 1;
    for (Json& event : *events) {
      event["pid"] = process;
      if (event["ph"] == "M" && event.value("name", Json()) == "process_name") {
        event["args"] = {{"name", fmt::format("iree-suite ({})", files[i].string())}};
      }
      merged.push_back(std::move(event));
    }
  }
  Json trace = {{"traceEvents", std::move(merged)}};
  return trace.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

}  // namespace iree_suite
