#include "report/results_json.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <deque>

#include "artifacts/atomic_file.h"

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
    context.tools = {{"iree-compile", "/opt/iree/bin/iree-compile", "3.13.0"}};
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

TEST_F(ResultsJsonTest, WriteThenReadRoundTrips) {
  TestDefinition* bench = Define("a/bench.json", TestKind::kBenchmark);
  bench->golden_time_ms = 10;
  TestDefinition* stat = Define("a/stat.json", TestKind::kCompstat);
  stat->golden_dispatch_count = 3;
  TestResult bench_result;
  bench_result.test = bench;
  bench_result.outcome = Outcome::kPassed;
  bench_result.benchmark_samples_ms = {9.5, 9.25};
  TestResult stat_result;
  stat_result.test = stat;
  stat_result.outcome = Outcome::kXFailed;
  stat_result.failed_step = Step::kCompile;
  stat_result.dispatch_count = 3;
  stat_result.binary_size = 100;

  std::filesystem::path path = dir_ / "results.json";
  ASSERT_EQ(WriteResultsJson(path, {bench_result, stat_result}, Context()), "");
  std::string error;
  std::optional<ResultsFile> file = ReadResultsJson(path, &error);
  ASSERT_TRUE(file) << error;
  EXPECT_EQ(file->version, 1);
  EXPECT_EQ(file->context["host_name"], "host");
  ASSERT_EQ(file->tests.size(), 2u);
  const ResultEntry* b = file->Find("a/bench.json");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->samples_ms, (std::vector<double>{9.5, 9.25}));
  EXPECT_EQ(b->MinMs(), 9.25);
  EXPECT_EQ(b->golden_time_ms, 10.0);
  EXPECT_EQ(b->tolerance_factor, 1.1);
  const ResultEntry* s = file->Find("a/stat.json");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->type, "compstat");
  EXPECT_EQ(s->outcome, "xfailed");
  EXPECT_EQ(s->failed_step, "compile");
  EXPECT_EQ(b->failed_step, "");
  EXPECT_EQ(s->dispatch_count, 3);
  EXPECT_EQ(s->binary_size, 100);
  EXPECT_EQ(s->golden_dispatch_count, 3);
  EXPECT_FALSE(s->golden_binary_size);
  EXPECT_EQ(file->Find("missing"), nullptr);
}

TEST(ParseResultsJsonTest, RejectsOtherSchemasVersionsAndBadFields) {
  std::string error;
  EXPECT_FALSE(ParseResultsJson("{", "r.json", &error));
  EXPECT_NE(error.find("r.json: not valid JSON"), std::string::npos) << error;
  EXPECT_FALSE(
      ParseResultsJson(R"({"schema": "x", "tests": [{"time_ms": 1e400}]})", "r.json", &error));
  EXPECT_EQ(error,
            "r.json: not valid JSON: tests[0].time_ms: number at line 1, column 39 does not fit "
            "a double: 1e400");
  EXPECT_FALSE(ParseResultsJson(R"({"quality": {}})", "r.json", &error));
  EXPECT_NE(error.find("not an iree-suite results file"), std::string::npos) << error;
  EXPECT_FALSE(ParseResultsJson(R"({"schema": "iree-suite-results", "version": 2, "tests": []})",
                                "r.json", &error));
  EXPECT_NE(error.find("unsupported results version 2"), std::string::npos) << error;
  EXPECT_FALSE(ParseResultsJson(R"({"schema": "iree-suite-results", "version": 1, "tests": [
      {"id": "t", "type": "benchmark", "outcome": "passed", "benchmark": {"samples": ["x"]}}]})",
                                "r.json", &error));
  EXPECT_EQ(error, "r.json: tests[0].benchmark.samples: expected an array of numbers");
  EXPECT_FALSE(ParseResultsJson(
      R"({"schema": "iree-suite-results", "version": 1, "tests": [{"type": "compstat"}]})",
      "r.json", &error));
  EXPECT_EQ(error, "r.json: tests[0].id: missing");
}

TEST(RunContextTest, HelpersReadTheirSources) {
  std::filesystem::path cpuinfo =
      std::filesystem::temp_directory_path() / ("cpuinfo." + std::to_string(getpid()));
  ASSERT_EQ(WriteFileAtomically(cpuinfo,
                                "processor\t: 0\nvendor_id\t: X\nmodel name\t: Fancy CPU @ 3GHz\n"
                                "processor\t: 1\nmodel name\t: Fancy CPU @ 3GHz\n"),
            "");
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
  RunContext context = CollectRunContext("/", {{"iree-compile", "/bin/iree-compile", "1"}},
                                         {module}, std::chrono::system_clock::now());
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
