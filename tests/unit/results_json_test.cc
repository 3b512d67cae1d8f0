#include "results/results_json.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <deque>

#include "base/atomic_file.h"

namespace iree_suite {
namespace {

class ResultsJsonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("results_json_test." + std::to_string(getpid()) + "." +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  TestDefinition* Define(const std::string& id, TestKind kind) {
    TestDefinition& test = definitions_.emplace_back();
    test.id = id;
    test.kind = kind;
    test.markers = {"cpu", TestKindName(kind)};
    return &test;
  }

  RunContext Context() {
    RunContext context;
    context.iree_suite_version = "0.1.0";
    context.tools = {{"iree-compile", "/opt/iree/bin/iree-compile", "3.13.0", {}}};
    context.modules["m/clip"] = {"clip.mlir", {"--iree-hal-target-device=local"}};
    context.host_name = "host";
    context.cpu_model = "Some CPU";
    context.core_count = 8;
    context.load_average = std::array<double, 3>{1.5, 1.0, 0.5};
    context.start_time = "2025-01-31T12:00:00Z";
    return context;
  }

  std::filesystem::path dir_;
  std::deque<TestDefinition> definitions_;
};

TEST(ComputeStatsTest, KnownValues) {
  // mean 5, squared deviations 9+1+1+9 = 20, sample variance 20/3.
  BenchmarkStats stats = ComputeStats({8, 2, 4, 6});
  EXPECT_EQ(stats.count, 4u);
  EXPECT_DOUBLE_EQ(stats.min, 2);
  EXPECT_DOUBLE_EQ(stats.max, 8);
  EXPECT_DOUBLE_EQ(stats.median, 5);
  EXPECT_DOUBLE_EQ(stats.mean, 5);
  EXPECT_DOUBLE_EQ(stats.stddev, std::sqrt(20.0 / 3));
  EXPECT_DOUBLE_EQ(stats.cv, std::sqrt(20.0 / 3) / 5);

  BenchmarkStats odd = ComputeStats({3, 1, 2});
  EXPECT_DOUBLE_EQ(odd.median, 2);
  EXPECT_DOUBLE_EQ(odd.stddev, 1);
}

TEST(ComputeStatsTest, SingleAndEmpty) {
  BenchmarkStats one = ComputeStats({7});
  EXPECT_DOUBLE_EQ(one.min, 7);
  EXPECT_DOUBLE_EQ(one.median, 7);
  EXPECT_DOUBLE_EQ(one.stddev, 0);
  EXPECT_DOUBLE_EQ(one.cv, 0);
  EXPECT_EQ(ComputeStats({}).count, 0u);
}

TEST_F(ResultsJsonTest, RendersSchemaContextAndTests) {
  TestDefinition* bench = Define("a/bench.json", TestKind::kBenchmark);
  bench->golden_time_ms = 10;
  bench->tolerance_factor = 1.2;
  TestDefinition* stat = Define("a/stat.json", TestKind::kCompstat);
  stat->golden_binary_size = 5000;

  TestResult bench_result;
  bench_result.test = bench;
  bench_result.outcome = Outcome::kPassed;
  bench_result.duration_s = 3.5;
  bench_result.benchmark_samples_ms = {9, 11, 10};
  bench_result.current_time_ms = 9;
  bench_result.threshold_ms = 12;
  bench_result.benchmark_attempts_ms = {14, 9};  // over the threshold, then within it
  TestResult stat_result;
  stat_result.test = stat;
  stat_result.outcome = Outcome::kFailed;
  stat_result.reason = "too big";
  stat_result.dispatch_count = 12;
  stat_result.binary_size = 6000;

  nlohmann::ordered_json json = RenderResultsJson({bench_result, stat_result}, Context());
  EXPECT_EQ(json["schema"], "iree-suite-results");
  EXPECT_EQ(json["version"], 1);
  EXPECT_EQ(json["context"]["tools"][0]["path"], "/opt/iree/bin/iree-compile");
  EXPECT_EQ(json["context"]["modules"]["m/clip"]["compiler_flags"][0],
            "--iree-hal-target-device=local");
  EXPECT_EQ(json["context"]["load_average"][0], 1.5);
  EXPECT_TRUE(json["context"]["suite_git_commit"].is_null());

  const auto& b = json["tests"][0];
  EXPECT_EQ(b["id"], "a/bench.json");
  EXPECT_EQ(b["type"], "benchmark");
  EXPECT_EQ(b["markers"], nlohmann::ordered_json({"cpu", "benchmark"}));
  EXPECT_EQ(b["outcome"], "passed");
  EXPECT_EQ(b["benchmark"]["unit"], "ms");
  EXPECT_EQ(b["benchmark"]["samples"], nlohmann::ordered_json({9.0, 11.0, 10.0}));
  EXPECT_EQ(b["benchmark"]["min"], 9.0);
  EXPECT_EQ(b["benchmark"]["median"], 10.0);
  EXPECT_EQ(b["benchmark"]["mean"], 10.0);
  EXPECT_EQ(b["benchmark"]["stddev"], 1.0);
  EXPECT_EQ(b["benchmark"]["cv"], 0.1);
  EXPECT_EQ(b["benchmark"]["golden_time_ms"], 10.0);
  EXPECT_EQ(b["benchmark"]["tolerance_factor"], 1.2);
  EXPECT_EQ(b["benchmark"]["threshold_ms"], 12.0);
  EXPECT_EQ(b["benchmark"]["attempts_ms"], nlohmann::ordered_json({14.0, 9.0}));
  EXPECT_TRUE(b["failed_step"].is_null());
  EXPECT_FALSE(b.contains("compstat"));

  const auto& s = json["tests"][1];
  EXPECT_EQ(s["outcome"], "failed");
  EXPECT_EQ(s["reason"], "too big");
  EXPECT_EQ(s["compstat"]["dispatch_count"], 12);
  EXPECT_EQ(s["compstat"]["binary_size"], 6000);
  EXPECT_TRUE(s["compstat"]["golden_dispatch_count"].is_null());
  EXPECT_EQ(s["compstat"]["golden_binary_size"], 5000);
}

TEST_F(ResultsJsonTest, BenchmarkWithoutSamplesHasNullStats) {
  TestResult result;
  result.test = Define("a/bench.json", TestKind::kBenchmark);
  result.outcome = Outcome::kError;
  nlohmann::ordered_json json = RenderResultsJson({result}, Context());
  EXPECT_TRUE(json["tests"][0]["benchmark"]["samples"].empty());
  EXPECT_TRUE(json["tests"][0]["benchmark"]["min"].is_null());
  EXPECT_TRUE(json["tests"][0]["benchmark"]["golden_time_ms"].is_null());
  EXPECT_TRUE(json["tests"][0]["benchmark"]["threshold_ms"].is_null());
}

// Every field of a TestResult and its recorded definition, compared one by one.
void ExpectSameResult(const TestResult& read, const TestResult& written) {
  SCOPED_TRACE(written.test->id);
  EXPECT_EQ(read.test->id, written.test->id);
  EXPECT_EQ(read.test->kind, written.test->kind);
  EXPECT_EQ(read.test->markers, written.test->markers);
  EXPECT_EQ(read.test->golden_time_ms, written.test->golden_time_ms);
  EXPECT_EQ(read.test->tolerance_factor, written.test->tolerance_factor);
  EXPECT_EQ(read.test->golden_dispatch_count, written.test->golden_dispatch_count);
  EXPECT_EQ(read.test->golden_binary_size, written.test->golden_binary_size);
  EXPECT_EQ(read.test->tolerance_factor_is_integer, written.test->tolerance_factor_is_integer);
  EXPECT_EQ(read.test->golden_dispatch_count_is_float,
            written.test->golden_dispatch_count_is_float);
  EXPECT_EQ(read.test->golden_binary_size_is_float, written.test->golden_binary_size_is_float);
  EXPECT_EQ(read.outcome, written.outcome);
  EXPECT_EQ(read.reason, written.reason);
  EXPECT_EQ(read.failed_step, written.failed_step);
  ASSERT_EQ(read.repros.size(), written.repros.size());
  for (size_t i = 0; i < read.repros.size(); ++i) {
    EXPECT_EQ(read.repros[i].cwd, written.repros[i].cwd);
    EXPECT_EQ(read.repros[i].argv, written.repros[i].argv);
  }
  EXPECT_EQ(read.logs, written.logs);
  EXPECT_EQ(read.output_tail, written.output_tail);
  EXPECT_EQ(read.duration_s, written.duration_s);
  EXPECT_EQ(read.benchmark_attempts_ms, written.benchmark_attempts_ms);
  EXPECT_EQ(read.benchmark_samples_ms, written.benchmark_samples_ms);
  EXPECT_EQ(read.current_time_ms, written.current_time_ms);
  EXPECT_EQ(read.threshold_ms, written.threshold_ms);
  EXPECT_EQ(read.dispatch_count, written.dispatch_count);
  EXPECT_EQ(read.binary_size, written.binary_size);
}

TEST_F(ResultsJsonTest, WriteThenReadRoundTripsEveryFieldAndOutcome) {
  std::vector<TestResult> written;
  for (Outcome outcome : kAllOutcomes) {
    for (TestKind kind : {TestKind::kQuality, TestKind::kBenchmark, TestKind::kCompstat}) {
      TestDefinition* test =
          Define(fmt::format("{}/{}.json", OutcomeName(outcome), TestKindName(kind)), kind);
      TestResult& result = written.emplace_back();
      result.test = test;
      result.outcome = outcome;
      result.reason = outcome == Outcome::kPassed ? "" : "why \"it\" ended\nsecond line";
      result.failed_step = outcome == Outcome::kXFailed  ? Step::kCompile
                           : outcome == Outcome::kFailed ? Step::kRun
                                                         : Step::kNone;
      result.repros = {{"/work dir", {"iree-run-module", "--module=/a b.vmfb"}},
                       {"", {"iree-compile", "x.mlir"}}};
      result.logs = {"/art/logs/x/run.log", "/art/logs/x/benchmark.log"};
      result.output_tail = "last\nlines\n";
      result.duration_s = 1.25;
      if (kind == TestKind::kBenchmark) {
        test->golden_time_ms = 10.5;
        test->tolerance_factor = outcome == Outcome::kFailed ? 2 : 1.25;
        test->tolerance_factor_is_integer = outcome == Outcome::kFailed;  // written as 2
        result.benchmark_attempts_ms = {14.125, 9.5};
        result.benchmark_samples_ms = {9.75, 9.5, 10.0};
        result.current_time_ms = 9.5;
        result.threshold_ms = 13.125;
      }
      if (kind == TestKind::kCompstat) {
        test->golden_dispatch_count = 7;
        test->golden_dispatch_count_is_float = outcome == Outcome::kFailed;  // written as 7.0
        test->golden_binary_size = int64_t{1} << 40;
        test->golden_binary_size_is_float = outcome == Outcome::kPassed;
        result.dispatch_count = 8;
        result.binary_size = (int64_t{1} << 40) + 1;
      }
    }
  }
  RunContext context = Context();
  context.suite_git_commit = "0123abcd";
  context.run_id = "5f0c";
  context.marker_expression = "cpu and not slow";
  context.shard = std::array<size_t, 2>{1, 2};
  context.ci = {{"GITHUB_REF", "refs/pull/7/merge"}, {"GITHUB_SHA", "abc"}};
  std::filesystem::path path = dir_ / "results.json";
  ASSERT_TRUE(WriteResultsJson(path, written, context));
  Result<ResultsFile> file = ReadResultsJson(path);
  ASSERT_TRUE(file) << file.error();
  ASSERT_EQ(file->tests.size(), written.size());
  for (size_t i = 0; i < written.size(); ++i) ExpectSameResult(file->tests[i], written[i]);

  const RunContext& read = file->context;
  EXPECT_EQ(read.iree_suite_version, "0.1.0");
  ASSERT_EQ(read.tools.size(), 1u);
  EXPECT_EQ(read.tools[0].name, "iree-compile");
  EXPECT_EQ(read.tools[0].path, "/opt/iree/bin/iree-compile");
  EXPECT_EQ(read.tools[0].version, "3.13.0");
  EXPECT_EQ(read.modules.at("m/clip").mlir, "clip.mlir");
  EXPECT_EQ(read.modules.at("m/clip").compiler_flags,
            std::vector<std::string>{"--iree-hal-target-device=local"});
  EXPECT_EQ(read.host_name, "host");
  EXPECT_EQ(read.cpu_model, "Some CPU");
  EXPECT_EQ(read.core_count, 8u);
  EXPECT_EQ(read.load_average, (std::array<double, 3>{1.5, 1.0, 0.5}));
  EXPECT_EQ(read.start_time, "2025-01-31T12:00:00Z");
  EXPECT_EQ(read.suite_git_commit, "0123abcd");
  EXPECT_EQ(read.run_id, "5f0c");
  EXPECT_EQ(read.marker_expression, "cpu and not slow");
  EXPECT_EQ(read.shard, (std::array<size_t, 2>{1, 2}));
  EXPECT_EQ(read.ci, context.ci);
  // Lossless: what was read renders the same file again.
  EXPECT_EQ(RenderResultsJson(file->tests, file->context), RenderResultsJson(written, context));
  EXPECT_EQ(file->Find("missing"), nullptr);
  EXPECT_EQ(file->Find("failed/compstat.json"), &file->tests[1 * 3 + 2]);
}

TEST_F(ResultsJsonTest, ResultsFileMovesKeepTheirDefinitions) {
  TestResult result;
  result.test = Define("a.json", TestKind::kQuality);
  ResultsFile file;
  file.Add(result);
  definitions_.clear();  // the file holds its own copy
  ResultsFile moved = std::move(file);
  ResultsFile assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.tests[0].test->id, "a.json");
}

TEST(ParseResultsJsonTest, FilesFromBeforeTheDiagnosisFieldsRead) {
  Result<ResultsFile> file = ParseResultsJson(
      R"({"schema": "iree-suite-results", "version": 1, "context": {}, "tests": [
      {"id": "t", "type": "quality", "outcome": "failed", "reason": "r"}]})",
      "r.json");
  ASSERT_TRUE(file) << file.error();
  EXPECT_EQ(file->tests[0].failed_step, Step::kNone);
  EXPECT_TRUE(file->tests[0].repros.empty());
  EXPECT_EQ(file->tests[0].reason, "r");
}

// The error of `text` read as r.json ("" when it reads).
std::string ResultsJsonError(const std::string& text) {
  Result<ResultsFile> file = ParseResultsJson(text, "r.json");
  return file ? "" : file.error();
}

TEST(ParseResultsJsonTest, RejectsOtherSchemasVersionsAndBadFields) {
  std::string error;
  error = ResultsJsonError("{");
  EXPECT_NE(error.find("r.json: not valid JSON"), std::string::npos) << error;
  error = ResultsJsonError(R"({"schema": "x", "tests": [{"time_ms": 1e400}]})");
  EXPECT_EQ(error,
            "r.json: not valid JSON: tests[0].time_ms: number at line 1, column 39 does not fit "
            "a double: 1e400");
  error = ResultsJsonError(R"({"quality": {}})");
  EXPECT_NE(error.find("not an iree-suite results file"), std::string::npos) << error;
  error = ResultsJsonError(R"({"schema": "iree-suite-results", "version": 2, "tests": []})");
  EXPECT_NE(error.find("unsupported results version 2"), std::string::npos) << error;
  error = ResultsJsonError(R"({"schema": "iree-suite-results", "version": 1, "tests": [
      {"id": "t", "type": "benchmark", "outcome": "passed", "benchmark": {"samples": ["x"]}}]})");
  EXPECT_EQ(error, "r.json: tests[0].benchmark.samples: expected an array of numbers");
  error = ResultsJsonError(
      R"({"schema": "iree-suite-results", "version": 1, "tests": [{"type": "compstat"}]})");
  EXPECT_EQ(error, "r.json: tests[0].id: expected a string (missing)");
  const std::string header = R"({"schema": "iree-suite-results", "version": 1, "tests": [)";
  error = ResultsJsonError(header + R"({"id": "t", "type": "q", "outcome": "passed"}]})");
  EXPECT_EQ(error,
            "r.json: tests[0].type: expected \"quality\", \"benchmark\" or \"compstat\", not "
            "\"q\"");
  error = ResultsJsonError(header + R"({"id": "t", "type": "quality", "outcome": "ok"}]})");
  EXPECT_EQ(error,
            "r.json: tests[0].outcome: expected one of passed, failed, error, skipped, xfailed, "
            "xpassed, not \"ok\"");
  error = ResultsJsonError(
      header + R"({"id": "t", "type": "quality", "outcome": "failed", "failed_step": "link"}]})");
  EXPECT_EQ(error,
            "r.json: tests[0].failed_step: expected \"compile\", \"run\" or null, not \"link\"");
  error = ResultsJsonError(header + R"({"id": "t", "type": "compstat", "outcome": "passed",
      "compstat": {"binary_size": 18446744073709551615}}]})");
  EXPECT_EQ(error, "r.json: tests[0].compstat.binary_size: expected an integer within 64 bits");
  error = ResultsJsonError(header + R"({"id": "t", "type": "quality", "outcome": "failed",
      "repros": [{"cwd": "/", "argv": [1]}]}]})");
  EXPECT_EQ(error, "r.json: tests[0].repros[0].argv: expected an array of strings");
  error = ResultsJsonError(
      R"({"schema": "iree-suite-results", "version": 1, "context": {"tools": [{"name": 3}]},
      "tests": []})");
  EXPECT_EQ(error, "r.json: context.tools[0].name: expected a string");
}

TEST(RunContextTest, HelpersReadTheirSources) {
  std::filesystem::path cpuinfo =
      std::filesystem::temp_directory_path() / ("cpuinfo." + std::to_string(getpid()));
  ASSERT_TRUE(WriteFileAtomically(cpuinfo,
                                  "processor\t: 0\nvendor_id\t: X\nmodel name\t: Fancy CPU @ 3GHz\n"
                                  "processor\t: 1\nmodel name\t: Fancy CPU @ 3GHz\n"));
  EXPECT_EQ(ReadCpuModel(cpuinfo), "Fancy CPU @ 3GHz");
  std::filesystem::remove(cpuinfo);
  EXPECT_EQ(ReadCpuModel("/nonexistent/cpuinfo"), "");

  EXPECT_EQ(FormatIso8601Utc(std::chrono::system_clock::from_time_t(86400 + 3661)),
            "1970-01-02T01:01:01Z");
  // The root directory is not a git checkout.
  EXPECT_FALSE(GitHeadCommit("/"));
}

TEST(RunContextTest, CollectFillsHostFieldsAndModules) {
  ModuleDefinition module;
  module.name = "m/unet";
  module.mlir = "unet.mlir";
  module.compiler_flags = {"--flag"};
  RunContext context = CollectRunContext("/", {{"iree-compile", "/bin/iree-compile", "1", {}}},
                                         {{module.name, module}}, std::chrono::system_clock::now());
  EXPECT_EQ(context.iree_suite_version, IREE_SUITE_VERSION);
  EXPECT_GT(context.core_count, 0u);
  EXPECT_FALSE(context.host_name.empty());
  EXPECT_EQ(context.modules.at("m/unet").compiler_flags, std::vector<std::string>{"--flag"});
  EXPECT_EQ(context.start_time.size(), 20u);
  EXPECT_FALSE(context.suite_git_commit);
}

TEST(RunContextTest, GitHeadOfTheSourceTree) {
  // The project's own checkout, when the build runs from one.
  std::optional<std::string> commit = GitHeadCommit(IREE_SUITE_SOURCE_DIR);
  if (!std::filesystem::exists(std::filesystem::path(IREE_SUITE_SOURCE_DIR) / ".git")) {
    GTEST_SKIP() << "not built from a git checkout";
  }
  ASSERT_TRUE(commit);
  EXPECT_EQ(commit->size(), 40u);
}

}  // namespace
}  // namespace iree_suite
