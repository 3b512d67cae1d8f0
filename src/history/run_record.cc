#include "history/run_record.h"

#include <fmt/format.h>

#include <random>

#include "artifacts/hasher.h"

namespace iree_suite {
namespace {

using Json = nlohmann::ordered_json;

// The version of the first tool called `name` in the context.
std::string ToolVersionOf(const RunContext& context, const std::string& name) {
  for (const ToolInfo& tool : context.tools) {
    if (tool.name == name) return tool.version;
  }
  return "";
}

void FillContext(const RunContext& context, HistoryRunRecord* run) {
  run->host = context.host_name;
  run->cpu_model = context.cpu_model;
  // 0: the host could not tell.
  if (context.core_count != 0) run->core_count = context.core_count;
  run->load_average = context.load_average;
  run->iree_suite_version = context.iree_suite_version;
  std::tie(run->compiler_version, run->compiler_commit) =
      SplitCompilerVersion(ToolVersionOf(context, "iree-compile"));
  run->runtime_version = ToolVersionOf(context, "iree-benchmark-module");
  if (run->runtime_version.empty())
    run->runtime_version = ToolVersionOf(context, "iree-run-module");
  run->suite_commit = context.suite_git_commit.value_or("");
  run->marker_expression = context.marker_expression;
  if (context.shard) {
    run->shard_index = static_cast<int64_t>((*context.shard)[0]);
    run->shard_count = static_cast<int64_t>((*context.shard)[1]);
  }
  auto ci_value = [&context](const char* name) {
    auto found = context.ci.find(name);
    return found == context.ci.end() ? std::string() : found->second;
  };
  run->github_sha = ci_value("GITHUB_SHA");
  run->github_ref = ci_value("GITHUB_REF");
  run->github_run_id = ci_value("GITHUB_RUN_ID");
  run->pr_number = PullRequestNumber(context.ci);
  run->context_json = RenderRunContext(context).dump();
}

HistoryTestRecord TestRecordOf(const TestResult& result) {
  const TestDefinition& definition = *result.test;
  HistoryTestRecord test;
  test.id = definition.id;
  test.type = TestKindName(definition.kind);
  test.markers = definition.markers;
  test.outcome = OutcomeName(result.outcome);
  const char* step = StepName(result.failed_step);
  test.failed_step = step ? step : "";
  test.reason = result.reason;
  test.duration_s = result.duration_s;
  test.samples_ms = result.benchmark_samples_ms;
  if (!test.samples_ms.empty()) {
    BenchmarkStats stats = ComputeStats(test.samples_ms);
    test.min_ms = stats.min;
    test.median_ms = stats.median;
    test.mean_ms = stats.mean;
    test.stddev_ms = stats.stddev;
    test.cv = stats.cv;
  }
  if (definition.kind == TestKind::kBenchmark) {
    test.golden_time_ms = definition.golden_time_ms;
    test.tolerance_factor = definition.tolerance_factor;
    test.threshold_ms = result.threshold_ms;
  }
  test.dispatch_count = result.dispatch_count;
  test.binary_size = result.binary_size;
  test.golden_dispatch_count = definition.golden_dispatch_count;
  test.golden_binary_size = definition.golden_binary_size;
  return test;
}

}  // namespace

std::string RunKeyOf(const ResultsFile& file) {
  if (!file.context.run_id.empty()) return file.context.run_id;
  Hasher hasher;
  hasher.Add("context", RenderRunContext(file.context).dump());
  for (const TestResult& entry : file.tests) {
    hasher.Add("id", entry.test->id);
    hasher.Add("outcome", OutcomeName(entry.outcome));
    hasher.Add("samples", Json(entry.benchmark_samples_ms).dump());
    hasher.Add("dispatch_count", Json(entry.dispatch_count.value_or(-1)).dump());
    hasher.Add("binary_size", Json(entry.binary_size.value_or(-1)).dump());
  }
  return "sha256:" + hasher.HexDigest();
}

Result<HistoryRunRecord> RunRecordFromResults(const ResultsFile& file, const std::string& source) {
  HistoryRunRecord run;
  run.start_time = file.context.start_time;
  if (run.start_time.empty()) {
    return Error{fmt::format("{}: context.start_time: expected an ISO 8601 time string", source)};
  }
  run.run_key = RunKeyOf(file);
  run.source = source;
  FillContext(file.context, &run);
  for (const TestResult& entry : file.tests) run.tests.push_back(TestRecordOf(entry));
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
