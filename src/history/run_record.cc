#include "history/run_record.h"

#include <fmt/format.h>

#include <random>

#include "artifacts/hasher.h"

namespace iree_suite {
namespace {

using Json = nlohmann::ordered_json;

std::string StringField(const Json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

std::optional<int64_t> IntegerField(const Json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_number_integer()) return std::nullopt;
  return found->get<int64_t>();
}

// The version of the first tool called `name` in context.tools.
std::string ToolVersionOf(const Json& context, const std::string& name) {
  auto tools = context.find("tools");
  if (tools == context.end() || !tools->is_array()) return "";
  for (const Json& tool : *tools) {
    if (tool.is_object() && StringField(tool, "name") == name) return StringField(tool, "version");
  }
  return "";
}

void FillContext(const Json& context, HistoryRunRecord* run) {
  run->host = StringField(context, "host_name");
  run->cpu_model = StringField(context, "cpu_model");
  run->core_count = IntegerField(context, "core_count");
  if (auto load = context.find("load_average");
      load != context.end() && load->is_array() && load->size() == 3 &&
      std::all_of(load->begin(), load->end(), [](const Json& v) { return v.is_number(); })) {
    run->load_average = {(*load)[0].get<double>(), (*load)[1].get<double>(),
                         (*load)[2].get<double>()};
  }
  run->iree_suite_version = StringField(context, "iree_suite_version");
  std::tie(run->compiler_version, run->compiler_commit) =
      SplitCompilerVersion(ToolVersionOf(context, "iree-compile"));
  run->runtime_version = ToolVersionOf(context, "iree-benchmark-module");
  if (run->runtime_version.empty())
    run->runtime_version = ToolVersionOf(context, "iree-run-module");
  run->suite_commit = StringField(context, "suite_git_commit");
  run->marker_expression = StringField(context, "marker_expression");
  if (auto shard = context.find("shard"); shard != context.end() && shard->is_object()) {
    run->shard_index = IntegerField(*shard, "index");
    run->shard_count = IntegerField(*shard, "count");
  }
  std::map<std::string, std::string> ci;
  if (auto found = context.find("ci"); found != context.end() && found->is_object()) {
    for (const auto& [name, value] : found->items()) {
      if (value.is_string()) ci[name] = value.get<std::string>();
    }
  }
  auto ci_value = [&ci](const char* name) {
    auto found = ci.find(name);
    return found == ci.end() ? std::string() : found->second;
  };
  run->github_sha = ci_value("GITHUB_SHA");
  run->github_ref = ci_value("GITHUB_REF");
  run->github_run_id = ci_value("GITHUB_RUN_ID");
  run->pr_number = PullRequestNumber(ci);
  run->context_json = context.dump();
}

HistoryTestRecord TestRecordOf(const ResultEntry& entry) {
  HistoryTestRecord test;
  test.id = entry.id;
  test.type = entry.type;
  test.markers = entry.markers;
  test.outcome = entry.outcome;
  test.failed_step = entry.failed_step;
  test.reason = entry.reason;
  test.duration_s = entry.duration_s;
  test.samples_ms = entry.samples_ms;
  if (!entry.samples_ms.empty()) {
    BenchmarkStats stats = ComputeStats(entry.samples_ms);
    test.min_ms = stats.min;
    test.median_ms = stats.median;
    test.mean_ms = stats.mean;
    test.stddev_ms = stats.stddev;
    test.cv = stats.cv;
  }
  test.golden_time_ms = entry.golden_time_ms;
  test.tolerance_factor = entry.tolerance_factor;
  test.threshold_ms = entry.threshold_ms;
  test.dispatch_count = entry.dispatch_count;
  test.binary_size = entry.binary_size;
  test.golden_dispatch_count = entry.golden_dispatch_count;
  test.golden_binary_size = entry.golden_binary_size;
  return test;
}

}  // namespace

std::string RunKeyOf(const ResultsFile& file) {
  if (std::string id = StringField(file.context, "run_id"); !id.empty()) return id;
  Hasher hasher;
  hasher.Add("context", file.context.dump());
  for (const ResultEntry& entry : file.tests) {
    hasher.Add("id", entry.id);
    hasher.Add("outcome", entry.outcome);
    hasher.Add("samples", Json(entry.samples_ms).dump());
    hasher.Add("dispatch_count", Json(entry.dispatch_count.value_or(-1)).dump());
    hasher.Add("binary_size", Json(entry.binary_size.value_or(-1)).dump());
  }
  return "sha256:" + hasher.HexDigest();
}

std::optional<HistoryRunRecord> RunRecordFromResults(const ResultsFile& file,
                                                     const std::string& source,
                                                     std::string* error) {
  HistoryRunRecord run;
  run.start_time = StringField(file.context, "start_time");
  if (run.start_time.empty()) {
    *error = fmt::format("{}: context.start_time: expected an ISO 8601 time string", source);
    return std::nullopt;
  }
  run.run_key = RunKeyOf(file);
  run.source = source;
  FillContext(file.context, &run);
  for (const ResultEntry& entry : file.tests) run.tests.push_back(TestRecordOf(entry));
  return run;
}

std::map<std::string, std::string> CollectCiVariables(
    const std::function<const char*(const char*)>& getenv) {
  static const char* const kNames[] = {
      "GITHUB_SHA",           "GITHUB_REF",       "GITHUB_RUN_ID",      "GITHUB_RUN_ATTEMPT",
      "GITHUB_REPOSITORY",    "GITHUB_WORKFLOW",  "GITHUB_JOB",         "GITHUB_EVENT_NAME",
      "GITHUB_HEAD_REF",      "GITHUB_BASE_REF",  "CI_COMMIT_SHA",      "CI_PIPELINE_ID",
      "CI_MERGE_REQUEST_IID", "BUILDKITE_COMMIT", "BUILDKITE_BUILD_ID", "BUILDKITE_PULL_REQUEST",
  };
  std::map<std::string, std::string> ci;
  for (const char* name : kNames) {
    if (const char* value = getenv(name); value != nullptr && *value != '\0') ci[name] = value;
  }
  return ci;
}

std::string PullRequestNumber(const std::map<std::string, std::string>& ci) {
  auto get = [&ci](const char* name) {
    auto found = ci.find(name);
    return found == ci.end() ? std::string() : found->second;
  };
  const std::string ref = get("GITHUB_REF");
  constexpr std::string_view kPull = "refs/pull/";
  if (ref.starts_with(kPull)) {
    size_t end = ref.find('/', kPull.size());
    return ref.substr(kPull.size(), end == std::string::npos ? end : end - kPull.size());
  }
  if (std::string iid = get("CI_MERGE_REQUEST_IID"); !iid.empty()) return iid;
  if (std::string pr = get("BUILDKITE_PULL_REQUEST"); !pr.empty() && pr != "false") return pr;
  return "";
}

std::string NewRunId() {
  std::random_device device;
  return fmt::format("{:08x}{:08x}{:08x}{:08x}", device(), device(), device(), device());
}

std::pair<std::string, std::string> SplitCompilerVersion(const std::string& version) {
  size_t at = version.find(" @ ");
  if (at == std::string::npos) return {version, ""};
  return {version.substr(0, at), version.substr(at + 3)};
}

}  // namespace iree_suite
