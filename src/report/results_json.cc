#include "report/results_json.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <numeric>
#include <thread>

#include "artifacts/atomic_file.h"
#include "exec/host_name.h"
#include "exec/iree_tools.h"
#include "exec/subprocess.h"
#include "suite/json_file.h"

namespace iree_suite {
namespace {

using Json = nlohmann::ordered_json;

template <typename T>
Json OrNull(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

Json RenderContext(const RunContext& context) {
  Json tools = Json::array();
  for (const ToolInfo& tool : context.tools) {
    tools.push_back({{"name", tool.name}, {"path", tool.path.string()}, {"version", tool.version}});
  }
  Json modules = Json::object();
  for (const auto& [name, module] : context.modules) {
    modules[name] = {{"mlir", module.mlir}, {"compiler_flags", module.compiler_flags}};
  }
  Json load = nullptr;
  if (context.load_average) {
    load = Json::array(
        {(*context.load_average)[0], (*context.load_average)[1], (*context.load_average)[2]});
  }
  Json rendered = {{"iree_suite_version", context.iree_suite_version},
                   {"tools", std::move(tools)},
                   {"modules", std::move(modules)},
                   {"host_name", context.host_name},
                   {"cpu_model", context.cpu_model},
                   {"core_count", context.core_count},
                   {"load_average", std::move(load)},
                   {"start_time", context.start_time},
                   {"suite_git_commit", OrNull(context.suite_git_commit)}};
  if (!context.run_id.empty()) {
    rendered["run_id"] = context.run_id;
    rendered["marker_expression"] = context.marker_expression;
    rendered["shard"] = context.shard ? Json{{"index", (*context.shard)[0]},
                                             {"count", (*context.shard)[1]}}
                                      : Json(nullptr);
    rendered["ci"] = context.ci;
  }
  return rendered;
}

Json RenderBenchmark(const TestResult& result) {
  const TestDefinition& test = *result.test;
  Json json = {{"unit", "ms"}, {"samples", result.benchmark_samples_ms}};
  // A benchmark that never ran has no statistics: null, not misleading zeros.
  if (result.benchmark_samples_ms.empty()) {
    for (const char* key : {"min", "median", "mean", "stddev", "cv"}) json[key] = nullptr;
  } else {
    BenchmarkStats stats = ComputeStats(result.benchmark_samples_ms);
    json["min"] = stats.min;
    json["median"] = stats.median;
    json["mean"] = stats.mean;
    json["stddev"] = stats.stddev;
    json["cv"] = stats.cv;
  }
  json["golden_time_ms"] = OrNull(test.golden_time_ms);
  json["tolerance_factor"] = test.tolerance_factor;
  std::optional<double> threshold = result.threshold_ms;
  if (!threshold && test.golden_time_ms) threshold = *test.golden_time_ms * test.tolerance_factor;
  json["threshold_ms"] = OrNull(threshold);
  // Every measurement's minimum, first to last: more than one after retries.
  json["attempts_ms"] = result.benchmark_attempts_ms;
  return json;
}

Json RenderCompstat(const TestResult& result) {
  return {{"dispatch_count", OrNull(result.dispatch_count)},
          {"binary_size", OrNull(result.binary_size)},
          {"golden_dispatch_count", OrNull(result.test->golden_dispatch_count)},
          {"golden_binary_size", OrNull(result.test->golden_binary_size)}};
}

// Field readers that record the first problem with its JSON path.
class EntryReader {
 public:
  EntryReader(const Json& json, std::string path, std::string* error)
      : json_(json), path_(std::move(path)), error_(error) {}

  bool ok() const { return error_->empty(); }

  const Json* Get(const char* key, bool required) {
    auto it = json_.find(key);
    if (it == json_.end() || it->is_null()) {
      if (required) Fail(key, "missing");
      return nullptr;
    }
    return &*it;
  }
  std::string String(const char* key, bool required) {
    const Json* value = Get(key, required);
    if (!value) return "";
    if (!value->is_string()) return Fail(key, "expected a string"), "";
    return value->get<std::string>();
  }
  std::optional<double> Number(const char* key) {
    const Json* value = Get(key, false);
    if (!value) return std::nullopt;
    if (!value->is_number()) return Fail(key, "expected a number"), std::nullopt;
    return value->get<double>();
  }
  std::optional<int64_t> Integer(const char* key) {
    const Json* value = Get(key, false);
    if (!value) return std::nullopt;
    if (!value->is_number_integer()) return Fail(key, "expected an integer"), std::nullopt;
    return value->get<int64_t>();
  }
  std::vector<double> Numbers(const char* key) {
    std::vector<double> numbers;
    const Json* value = Get(key, false);
    if (!value) return numbers;
    if (!value->is_array()) return Fail(key, "expected an array of numbers"), numbers;
    for (const Json& item : *value) {
      if (!item.is_number()) return Fail(key, "expected an array of numbers"), numbers;
      numbers.push_back(item.get<double>());
    }
    return numbers;
  }
  std::vector<std::string> Strings(const char* key) {
    std::vector<std::string> strings;
    const Json* value = Get(key, false);
    if (!value) return strings;
    if (!value->is_array()) return Fail(key, "expected an array of strings"), strings;
    for (const Json& item : *value) {
      if (!item.is_string()) return Fail(key, "expected an array of strings"), strings;
      strings.push_back(item.get<std::string>());
    }
    return strings;
  }
  void Fail(const char* key, const std::string& message) {
    if (error_->empty()) *error_ = fmt::format("{}.{}: {}", path_, key, message);
  }

 private:
  const Json& json_;
  std::string path_;
  std::string* error_;
};

}  // namespace

std::string FormatIso8601Utc(std::chrono::system_clock::time_point time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string ReadCpuModel(const std::filesystem::path& cpuinfo) {
  std::ifstream in(cpuinfo);
  std::string line;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    if (Trim(line.substr(0, colon)) == "model name") return Trim(line.substr(colon + 1));
  }
  return "";
}

std::optional<std::string> GitHeadCommit(const std::filesystem::path& dir) {
  std::string error;
  ToolSearch search;
  if (const char* path = getenv("PATH")) search.path_env = path;
  std::optional<std::filesystem::path> git = FindTool("git", search, &error);
  if (!git) return std::nullopt;
  std::filesystem::path output =
      TempPathFor(std::filesystem::temp_directory_path() / "iree-suite-git-head");
  ProcessSpec spec;
  spec.argv = {git->string(), "-C", dir.string(), "rev-parse", "HEAD"};
  spec.cwd = std::filesystem::current_path();
  spec.stdout_path = output;
  spec.stderr_path = "/dev/null";  // "not a git repository" is an answer, not noise
  spec.timeout_s = 30;
  ProcessResult result = RunProcess(spec);
  std::string text;
  bool read = result.Succeeded() && ReadSmallFile(output, &text, &error);
  std::error_code ignored;
  std::filesystem::remove(output, ignored);
  if (!read) return std::nullopt;
  text = Trim(text);
  // A hex object name, nothing else (e.g. not "HEAD" in a repository without commits).
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      })) {
    return std::nullopt;
  }
  return text;
}

RunContext CollectRunContext(const std::filesystem::path& test_file_directory,
                             std::vector<ToolInfo> tools,
                             const std::vector<ModuleDefinition>& modules,
                             std::chrono::system_clock::time_point start_time) {
  RunContext context;
  context.iree_suite_version = IREE_SUITE_VERSION;
  context.tools = std::move(tools);
  for (const ModuleDefinition& module : modules) {
    context.modules[module.name] = {module.mlir, module.compiler_flags};
  }
  context.host_name = HostName();
  context.cpu_model = ReadCpuModel();
  context.core_count = std::thread::hardware_concurrency();
  double load[3];
  if (getloadavg(load, 3) == 3)
    context.load_average = std::array<double, 3>{load[0], load[1], load[2]};
  context.start_time = FormatIso8601Utc(start_time);
  context.suite_git_commit = GitHeadCommit(test_file_directory);
  return context;
}

BenchmarkStats ComputeStats(const std::vector<double>& samples) {
  BenchmarkStats stats;
  stats.count = samples.size();
  if (samples.empty()) return stats;
  std::vector<double> sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  size_t n = sorted.size();
  stats.min = sorted.front();
  stats.median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  stats.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(n);
  if (n > 1) {
    double sum_squares = 0;
    for (double sample : sorted) sum_squares += (sample - stats.mean) * (sample - stats.mean);
    stats.stddev = std::sqrt(sum_squares / static_cast<double>(n - 1));
  }
  stats.cv = stats.mean != 0 ? stats.stddev / stats.mean : 0;
  return stats;
}

nlohmann::ordered_json RenderResultEntry(const TestResult& result) {
  const TestDefinition& test = *result.test;
  Json entry = {{"id", test.id},           {"type", TestKindName(test.kind)},
                {"markers", test.markers}, {"outcome", OutcomeName(result.outcome)},
                {"reason", result.reason}, {"duration_s", result.duration_s}};
  const char* step = StepName(result.failed_step);
  entry["failed_step"] = step ? Json(step) : Json(nullptr);
  if (test.kind == TestKind::kBenchmark) entry["benchmark"] = RenderBenchmark(result);
  if (test.kind == TestKind::kCompstat) entry["compstat"] = RenderCompstat(result);
  return entry;
}

nlohmann::ordered_json RenderResultsJson(const std::vector<TestResult>& results,
                                         const RunContext& context) {
  Json tests = Json::array();
  for (const TestResult& result : results) {
    if (result.test) tests.push_back(RenderResultEntry(result));
  }
  return {{"schema", kResultsSchemaName},
          {"version", kResultsSchemaVersion},
          {"context", RenderContext(context)},
          {"tests", std::move(tests)}};
}

std::string WriteResultsJson(const std::filesystem::path& path,
                             const std::vector<TestResult>& results, const RunContext& context) {
  return WriteFileAtomically(path, RenderResultsJson(results, context).dump(2) + "\n");
}

std::optional<double> ResultEntry::MinMs() const {
  if (samples_ms.empty()) return std::nullopt;
  return *std::min_element(samples_ms.begin(), samples_ms.end());
}

const ResultEntry* ResultsFile::Find(const std::string& id) const {
  for (const ResultEntry& entry : tests) {
    if (entry.id == id) return &entry;
  }
  return nullptr;
}

std::optional<ResultsFile> ParseResultsJson(const std::string& text, const std::string& name,
                                            std::string* error) {
  JsonParseError parse_error;
  std::optional<Json> parsed = ParseJsonText<Json>(text, &parse_error);
  if (!parsed) {
    *error = fmt::format("{}: not valid JSON: {}", name, parse_error.ToString());
    return std::nullopt;
  }
  Json& json = *parsed;
  if (!json.is_object() || !json.contains("schema") || json["schema"] != kResultsSchemaName) {
    *error = fmt::format("{}: not an iree-suite results file (expected \"schema\": \"{}\")", name,
                         kResultsSchemaName);
    return std::nullopt;
  }
  if (!json.contains("version") || !json["version"].is_number_integer() ||
      json["version"].get<int>() != kResultsSchemaVersion) {
    *error = fmt::format("{}: unsupported results version {} (this build reads version {})", name,
                         json.value("version", Json(nullptr)).dump(), kResultsSchemaVersion);
    return std::nullopt;
  }
  if (!json.contains("tests") || !json["tests"].is_array()) {
    *error = fmt::format("{}: tests: expected an array", name);
    return std::nullopt;
  }
  ResultsFile file;
  file.version = kResultsSchemaVersion;
  file.context = json.value("context", Json::object());
  std::string problem;
  for (size_t i = 0; i < json["tests"].size(); ++i) {
    const Json& item = json["tests"][i];
    std::string path = fmt::format("tests[{}]", i);
    if (!item.is_object()) {
      *error = fmt::format("{}: {}: expected an object", name, path);
      return std::nullopt;
    }
    EntryReader reader(item, path, &problem);
    ResultEntry entry;
    entry.id = reader.String("id", true);
    entry.type = reader.String("type", true);
    entry.markers = reader.Strings("markers");
    entry.outcome = reader.String("outcome", true);
    entry.reason = reader.String("reason", false);
    entry.failed_step = reader.String("failed_step", false);
    entry.duration_s = reader.Number("duration_s").value_or(0);
    if (const Json* benchmark = reader.Get("benchmark", false); benchmark && reader.ok()) {
      EntryReader sub(*benchmark, path + ".benchmark", &problem);
      entry.samples_ms = sub.Numbers("samples");
      entry.golden_time_ms = sub.Number("golden_time_ms");
      entry.tolerance_factor = sub.Number("tolerance_factor");
      entry.threshold_ms = sub.Number("threshold_ms");
    }
    if (const Json* compstat = reader.Get("compstat", false); compstat && reader.ok()) {
      EntryReader sub(*compstat, path + ".compstat", &problem);
      entry.dispatch_count = sub.Integer("dispatch_count");
      entry.binary_size = sub.Integer("binary_size");
      entry.golden_dispatch_count = sub.Integer("golden_dispatch_count");
      entry.golden_binary_size = sub.Integer("golden_binary_size");
    }
    if (!problem.empty()) {
      *error = fmt::format("{}: {}", name, problem);
      return std::nullopt;
    }
    file.tests.push_back(std::move(entry));
  }
  return file;
}

std::optional<ResultsFile> ReadResultsJson(const std::filesystem::path& path, std::string* error) {
  std::string text;
  if (!ReadSmallFile(path, &text, error)) return std::nullopt;
  return ParseResultsJson(text, path.string(), error);
}

}  // namespace iree_suite
