#include "results/results_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/atomic_file.h"
#include "suite/json_file.h"

namespace iree_suite {
namespace {

using Json = nlohmann::ordered_json;

template <typename T>
Json OrNull(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

}  // namespace

nlohmann::ordered_json RenderRunContext(const RunContext& context) {
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
    rendered["shard"] = context.shard
                            ? Json{{"index", (*context.shard)[0]}, {"count", (*context.shard)[1]}}
                            : Json(nullptr);
    rendered["ci"] = context.ci;
  }
  return rendered;
}

namespace {

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
  // Spelled as the test's JSON spelled it (2, not 2.0): job summaries repeat it.
  json["tolerance_factor"] = test.tolerance_factor_is_integer
                                 ? Json(static_cast<int64_t>(test.tolerance_factor))
                                 : Json(test.tolerance_factor);
  std::optional<double> threshold = result.threshold_ms;
  if (!threshold && test.golden_time_ms) threshold = *test.golden_time_ms * test.tolerance_factor;
  json["threshold_ms"] = OrNull(threshold);
  // Every measurement's minimum, first to last: more than one after retries.
  json["attempts_ms"] = result.benchmark_attempts_ms;
  return json;
}

// A golden as the test's JSON spelled it (100.0 stays a float).
Json Golden(std::optional<int64_t> golden, bool is_float) {
  if (golden && is_float) return Json(static_cast<double>(*golden));
  return OrNull(golden);
}

Json RenderCompstat(const TestResult& result) {
  const TestDefinition& test = *result.test;
  return {
      {"dispatch_count", OrNull(result.dispatch_count)},
      {"binary_size", OrNull(result.binary_size)},
      {"golden_dispatch_count",
       Golden(test.golden_dispatch_count, test.golden_dispatch_count_is_float)},
      {"golden_binary_size", Golden(test.golden_binary_size, test.golden_binary_size_is_float)}};
}

// What a failure report needs besides the verdict: the tool's last words,
// the commands to rerun and the full logs.
void RenderDiagnosis(const TestResult& result, Json* entry) {
  (*entry)["output_tail"] = result.output_tail;
  Json repros = Json::array();
  for (const Repro& repro : result.repros) {
    repros.push_back({{"cwd", repro.cwd.string()}, {"argv", repro.argv}});
  }
  (*entry)["repros"] = std::move(repros);
  Json logs = Json::array();
  for (const auto& log : result.logs) logs.push_back(log.string());
  (*entry)["logs"] = std::move(logs);
}

// Typed field readers over one JSON object. The first problem is kept as
// "<path>.<key>: expected <what>"; later reads return defaults.
class FieldReader {
 public:
  // `first_problem` is shared by the readers of one document.
  FieldReader(const Json& json, std::string path, std::string* first_problem)
      : json_(json), path_(std::move(path)), first_problem_(first_problem) {}

  bool ok() const { return first_problem_->empty(); }

  // nullptr when missing or null; a required one is then a problem.
  const Json* Get(const char* key, const char* expected_if_missing = nullptr) {
    auto it = json_.find(key);
    if (it == json_.end() || it->is_null()) {
      if (expected_if_missing) Fail(key, fmt::format("expected {} (missing)", expected_if_missing));
      return nullptr;
    }
    return &*it;
  }
  std::string String(const char* key, bool required = false) {
    const Json* value = Get(key, required ? "a string" : nullptr);
    if (!value) return "";
    if (!value->is_string()) return Fail(key, "expected a string"), "";
    return value->get<std::string>();
  }
  std::optional<std::string> OptionalString(const char* key) {
    if (!Get(key)) return std::nullopt;
    return String(key);
  }
  std::optional<double> Number(const char* key) {
    const Json* value = Get(key);
    if (!value) return std::nullopt;
    if (!value->is_number()) return Fail(key, "expected a number"), std::nullopt;
    return value->get<double>();
  }
  bool IsInteger(const char* key) {
    const Json* value = Get(key);
    return value && value->is_number_integer();
  }
  // Integers beyond int64 are rejected rather than wrapped; `integral_float`
  // accepts 100.0 (and says it was a float).
  std::optional<int64_t> Integer(const char* key, bool* integral_float = nullptr) {
    const Json* value = Get(key);
    if (!value) return std::nullopt;
    if (integral_float && value->is_number_float()) {
      const double number = value->get<double>();
      *integral_float = std::floor(number) == number && std::abs(number) < 9.0e18;
      if (*integral_float) return static_cast<int64_t>(number);
    }
    if (!value->is_number_integer() ||
        (value->is_number_unsigned() &&
         value->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))) {
      return Fail(key, "expected an integer within 64 bits"), std::nullopt;
    }
    return value->get<int64_t>();
  }
  std::vector<double> Numbers(const char* key) {
    std::vector<double> numbers;
    const Json* value = Get(key);
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
    const Json* value = Get(key);
    if (!value) return strings;
    if (!value->is_array()) return Fail(key, "expected an array of strings"), strings;
    for (const Json& item : *value) {
      if (!item.is_string()) return Fail(key, "expected an array of strings"), strings;
      strings.push_back(item.get<std::string>());
    }
    return strings;
  }
  // The elements of array `key` that are objects, each with its own path.
  template <typename Visit>
  void Objects(const char* key, Visit visit) {
    const Json* value = Get(key);
    if (!value) return;
    if (!value->is_array()) return Fail(key, "expected an array of objects");
    for (size_t i = 0; i < value->size() && ok(); ++i) {
      if (!(*value)[i].is_object())
        return Fail(fmt::format("{}[{}]", key, i), "expected an object");
      FieldReader item((*value)[i], fmt::format("{}.{}[{}]", path_, key, i), first_problem_);
      visit(item);
    }
  }
  // Object `key` read by `visit`; false when missing.
  template <typename Visit>
  bool Object(const char* key, Visit visit) {
    const Json* value = Get(key);
    if (!value) return false;
    if (!value->is_object()) return Fail(key, "expected an object"), false;
    FieldReader sub(*value, path_ + "." + key, first_problem_);
    visit(sub);
    return true;
  }
  const Json& json() const { return json_; }
  const std::string& path() const { return path_; }
  void Fail(const std::string& key, const std::string& message) {
    if (first_problem_->empty()) *first_problem_ = fmt::format("{}.{}: {}", path_, key, message);
  }

 private:
  const Json& json_;
  std::string path_;
  std::string* first_problem_;
};

RunContext ReadContext(FieldReader& reader) {
  RunContext context;
  context.iree_suite_version = reader.String("iree_suite_version");
  reader.Objects("tools", [&](FieldReader& tool) {
    context.tools.push_back({tool.String("name"), tool.String("path"), tool.String("version"), {}});
  });
  reader.Object("modules", [&](FieldReader& modules) {
    for (const auto& item : modules.json().items()) {
      // A named variable, not a structured binding: Clang 14 cannot capture those.
      const std::string& name = item.key();
      modules.Object(name.c_str(), [&](FieldReader& module) {
        context.modules[name] = {module.String("mlir"), module.Strings("compiler_flags")};
      });
    }
  });
  context.host_name = reader.String("host_name");
  context.cpu_model = reader.String("cpu_model");
  std::optional<int64_t> cores = reader.Integer("core_count");
  if (cores && (*cores < 0 || *cores > std::numeric_limits<unsigned>::max())) {
    reader.Fail("core_count", "expected a count of cores");
  }
  context.core_count = static_cast<unsigned>(cores.value_or(0));
  std::vector<double> load = reader.Numbers("load_average");
  if (load.size() == 3) {
    context.load_average = std::array<double, 3>{load[0], load[1], load[2]};
  } else if (!load.empty()) {
    reader.Fail("load_average", "expected 3 numbers or null");
  }
  context.start_time = reader.String("start_time");
  context.suite_git_commit = reader.OptionalString("suite_git_commit");
  context.run_id = reader.String("run_id");
  context.marker_expression = reader.String("marker_expression");
  reader.Object("shard", [&](FieldReader& shard) {
    std::optional<int64_t> index = shard.Integer("index");
    std::optional<int64_t> count = shard.Integer("count");
    if (!index || !count || *index < 0 || *count <= *index) {
      return shard.Fail("count", "expected an index below a count");
    }
    context.shard = std::array<size_t, 2>{static_cast<size_t>(*index), static_cast<size_t>(*count)};
  });
  reader.Object("ci", [&](FieldReader& ci) {
    for (const auto& [name, value] : ci.json().items()) context.ci[name] = ci.String(name.c_str());
  });
  return context;
}

// The "type", "outcome" and "failed_step" enums; a problem for other text.
template <typename Enum>
std::optional<Enum> ReadEnum(FieldReader& reader, const char* key, bool required,
                             std::optional<Enum> (*parse)(std::string_view), const char* expected) {
  if (!reader.Get(key, required ? expected : nullptr)) return std::nullopt;
  std::string text = reader.String(key);
  if (!reader.ok()) return std::nullopt;
  std::optional<Enum> value = parse(text);
  if (!value) reader.Fail(key, fmt::format("expected {}, not \"{}\"", expected, text));
  return value;
}

void ReadBenchmark(FieldReader& reader, TestDefinition* test, TestResult* result) {
  result->benchmark_samples_ms = reader.Numbers("samples");
  if (!result->benchmark_samples_ms.empty()) {
    result->current_time_ms =
        *std::min_element(result->benchmark_samples_ms.begin(), result->benchmark_samples_ms.end());
  }
  test->golden_time_ms = reader.Number("golden_time_ms");
  test->tolerance_factor = reader.Number("tolerance_factor").value_or(test->tolerance_factor);
  test->tolerance_factor_is_integer = reader.IsInteger("tolerance_factor");
  result->threshold_ms = reader.Number("threshold_ms");
  result->benchmark_attempts_ms = reader.Numbers("attempts_ms");
}

void ReadCompstat(FieldReader& reader, TestDefinition* test, TestResult* result) {
  result->dispatch_count = reader.Integer("dispatch_count");
  result->binary_size = reader.Integer("binary_size");
  test->golden_dispatch_count =
      reader.Integer("golden_dispatch_count", &test->golden_dispatch_count_is_float);
  test->golden_binary_size =
      reader.Integer("golden_binary_size", &test->golden_binary_size_is_float);
}

void ReadDiagnosis(FieldReader& reader, TestResult* result) {
  result->output_tail = reader.String("output_tail");
  reader.Objects("repros", [&](FieldReader& repro) {
    result->repros.push_back({repro.String("cwd"), repro.Strings("argv")});
  });
  for (const std::string& log : reader.Strings("logs")) result->logs.emplace_back(log);
}

std::optional<TestKind> ParseTestKind(std::string_view name) {
  for (TestKind kind : {TestKind::kQuality, TestKind::kBenchmark, TestKind::kCompstat}) {
    if (name == TestKindName(kind)) return kind;
  }
  return std::nullopt;
}

// One element of "tests"; its definition goes to *test.
TestResult ReadEntry(FieldReader& reader, TestDefinition* test) {
  TestResult result;
  test->id = reader.String("id", true);
  test->kind = ReadEnum<TestKind>(reader, "type", true, ParseTestKind,
                                  "\"quality\", \"benchmark\" or \"compstat\"")
                   .value_or(TestKind::kQuality);
  test->markers = reader.Strings("markers");
  result.outcome = ReadEnum<Outcome>(reader, "outcome", true, ParseOutcome,
                                     "one of passed, failed, error, skipped, xfailed, xpassed")
                       .value_or(Outcome::kError);
  result.reason = reader.String("reason");
  result.duration_s = reader.Number("duration_s").value_or(0);
  // Files from before "failed_step" have none: kNone.
  result.failed_step =
      ReadEnum<Step>(reader, "failed_step", false, ParseStep, "\"compile\", \"run\" or null")
          .value_or(Step::kNone);
  reader.Object("benchmark", [&](FieldReader& sub) { ReadBenchmark(sub, test, &result); });
  reader.Object("compstat", [&](FieldReader& sub) { ReadCompstat(sub, test, &result); });
  ReadDiagnosis(reader, &result);
  return result;
}

// The schema and version check, before any field is read: problems of the
// whole file, so they name no field.
std::string CheckSchema(const Json& json) {
  if (!json.is_object() || !json.contains("schema") || json["schema"] != kResultsSchemaName) {
    return fmt::format("not an iree-suite results file (expected \"schema\": \"{}\")",
                       kResultsSchemaName);
  }
  if (!json.contains("version") || !json["version"].is_number_integer() ||
      json["version"].get<int64_t>() != kResultsSchemaVersion) {
    return fmt::format("unsupported results version {} (this build reads version {})",
                       json.value("version", Json(nullptr)).dump(), kResultsSchemaVersion);
  }
  if (!json.contains("tests") || !json["tests"].is_array()) {
    return "tests: expected an array";
  }
  return "";
}

}  // namespace

TestResult& ResultsFile::Add(TestResult result) {
  result.test = &definitions_.emplace_back(*result.test);
  return tests.emplace_back(std::move(result));
}

const TestResult* ResultsFile::Find(const std::string& id) const {
  for (const TestResult& result : tests) {
    if (result.test->id == id) return &result;
  }
  return nullptr;
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
  RenderDiagnosis(result, &entry);
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
          {"context", RenderRunContext(context)},
          {"tests", std::move(tests)}};
}

Status WriteResultsJson(const std::filesystem::path& path, const std::vector<TestResult>& results,
                        const RunContext& context) {
  return WriteFileAtomically(path, RenderResultsJson(results, context).dump(2) + "\n");
}

Result<ResultsFile> ParseResultsJson(const std::string& text, const std::string& name) {
  JsonParseError parse_error;
  std::optional<Json> parsed = ParseJsonText<Json>(text, &parse_error);
  if (!parsed) return Error{fmt::format("{}: not valid JSON: {}", name, parse_error.ToString())};
  const Json& json = *parsed;
  if (std::string problem = CheckSchema(json); !problem.empty()) {
    return Error{fmt::format("{}: {}", name, problem)};
  }
  ResultsFile file;
  std::string problem;
  FieldReader top(json, "", &problem);
  top.Object("context", [&](FieldReader& context) { file.context = ReadContext(context); });
  top.Objects("tests", [&](FieldReader& entry) {
    TestDefinition test;
    TestResult result = ReadEntry(entry, &test);
    result.test = &test;
    if (entry.ok()) file.Add(std::move(result));
  });
  if (!problem.empty()) {
    // Paths start at the top: ".tests[0].id" reads "tests[0].id".
    return Error{fmt::format("{}: {}", name, problem.substr(problem.front() == '.' ? 1 : 0))};
  }
  return file;
}

Result<ResultsFile> ReadResultsJson(const std::filesystem::path& path) {
  Result<std::string> text = ReadSmallFile(path);
  if (!text) return Error{text.error()};
  return ParseResultsJson(*text, path.string());
}

}  // namespace iree_suite
