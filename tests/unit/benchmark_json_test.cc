#include "checks/benchmark_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace iree_suite {
namespace {

// Trimmed from a real `iree-benchmark-module --benchmark_format=json
// --benchmark_repetitions=2` run: two iterations and their aggregates.
constexpr char kTwoRepetitions[] = R"({
  "context": {"date": "2026-11-25T04:18:15+00:00", "library_version": "v1.9.5",
              "json_schema_version": 1},
  "benchmarks": [
    {"name": "BM_main/process_time/real_time", "run_name": "BM_main/process_time/real_time",
     "run_type": "iteration", "repetitions": 2, "repetition_index": 0, "threads": 1,
     "iterations": 1394, "real_time": 3.2558635581258835e-02,
     "cpu_time": 2.7490690817790472e-02, "time_unit": "ms",
     "items_per_second": 3.0713817767462366e+04},
    {"name": "BM_main/process_time/real_time", "run_name": "BM_main/process_time/real_time",
     "run_type": "iteration", "repetitions": 2, "repetition_index": 1, "threads": 1,
     "iterations": 1394, "real_time": 1.25e-02, "cpu_time": 1.0e-02, "time_unit": "ms"},
    {"name": "BM_main/process_time/real_time_mean", "run_type": "aggregate",
     "aggregate_name": "mean", "aggregate_unit": "time", "iterations": 2,
     "real_time": 2.25e-02, "cpu_time": 1.87e-02, "time_unit": "ms"},
    {"name": "BM_main/process_time/real_time_stddev", "run_type": "aggregate",
     "aggregate_name": "stddev", "real_time": 1.0e-04, "cpu_time": 1.0e-04, "time_unit": "ms"},
    {"name": "BM_main/process_time/real_time_cv", "run_type": "aggregate",
     "aggregate_name": "cv", "aggregate_unit": "percentage", "real_time": 5.3e-02,
     "cpu_time": 8.9e-02, "time_unit": "ms"}
  ]
})";

// A report holding one iteration entry with the given fields.
std::string OneEntry(const std::string& fields) {
  return R"({"context": {}, "benchmarks": [{"name": "BM_f", "run_type": "iteration", )" + fields +
         "}]}";
}

// The error message for `text`, or "" when it parses.
std::string ParseError(std::string_view text) {
  Result<BenchmarkRun> run = ParseBenchmarkJson(text);
  return run ? "" : run.error();
}

constexpr char kNoResults[] =
    "no benchmark results in the output: does --function name an exported function of the last "
    "module?";

TEST(BenchmarkJsonTest, SkipsAggregatesAndKeepsOrder) {
  Result<BenchmarkRun> run = ParseBenchmarkJson(kTwoRepetitions);
  ASSERT_TRUE(run) << run.error();
  ASSERT_EQ(run->samples.size(), 2u);
  EXPECT_EQ(run->samples[0].name, "BM_main/process_time/real_time");
  EXPECT_DOUBLE_EQ(run->samples[0].real_time_ms, 3.2558635581258835e-02);
  EXPECT_DOUBLE_EQ(run->samples[0].cpu_time_ms, 2.7490690817790472e-02);
  EXPECT_DOUBLE_EQ(run->samples[1].real_time_ms, 1.25e-02);
  EXPECT_DOUBLE_EQ(run->samples[1].cpu_time_ms, 1.0e-02);
}

TEST(BenchmarkJsonTest, MinRealTimeIsTheSmallestSample) {
  Result<BenchmarkRun> run = ParseBenchmarkJson(kTwoRepetitions);
  ASSERT_TRUE(run) << run.error();
  // Not the stddev aggregate's 1e-4 nor the mean: only the two iterations count.
  EXPECT_DOUBLE_EQ(MinRealTimeMs(*run), 1.25e-02);
  EXPECT_TRUE(std::isinf(MinRealTimeMs(BenchmarkRun{})));
}

TEST(BenchmarkJsonTest, ConvertsEveryTimeUnitToMilliseconds) {
  auto real_ms = [](const std::string& fields) {
    Result<BenchmarkRun> run = ParseBenchmarkJson(OneEntry(fields));
    return run ? run->samples.at(0).real_time_ms : -1.0;
  };
  EXPECT_DOUBLE_EQ(real_ms(R"("real_time": 2500000, "time_unit": "ns")"), 2.5);
  EXPECT_DOUBLE_EQ(real_ms(R"("real_time": 1500, "time_unit": "us")"), 1.5);
  EXPECT_DOUBLE_EQ(real_ms(R"("real_time": 7.25, "time_unit": "ms")"), 7.25);
  EXPECT_DOUBLE_EQ(real_ms(R"("real_time": 2, "time_unit": "s")"), 2000.0);
  EXPECT_DOUBLE_EQ(real_ms(R"("real_time": 3)"), 3.0);  // no time_unit: ms
  Result<BenchmarkRun> run =
      ParseBenchmarkJson(OneEntry(R"("real_time": 2, "cpu_time": 0.5, "time_unit": "s")"));
  ASSERT_TRUE(run) << run.error();
  EXPECT_DOUBLE_EQ(run->samples[0].cpu_time_ms, 500.0);
}

TEST(BenchmarkJsonTest, ToleratesBannersAroundTheReport) {
  const std::string text =
      "IREE benchmark tool\nrunning on local-task\n" + std::string(kTwoRepetitions) + "\ndone\n";
  Result<BenchmarkRun> run = ParseBenchmarkJson(text);
  ASSERT_TRUE(run) << run.error();
  EXPECT_EQ(run->samples.size(), 2u);
}

TEST(BenchmarkJsonTest, ReportsInvalidJsonWithTheParserMessage) {
  const std::string error = ParseError(R"(banner {"benchmarks": [ )");
  EXPECT_EQ(error.rfind("invalid benchmark JSON: invalid JSON at line 1, column ", 0), 0u) << error;
  EXPECT_EQ(error.find("[json.exception"), std::string::npos) << error;
}

TEST(BenchmarkJsonTest, ATimeTooLargeForADoubleIsAnErrorNotAnException) {
  EXPECT_EQ(ParseError(OneEntry(R"("real_time": 1e400, "time_unit": "ms")")),
            "invalid benchmark JSON: benchmarks[0].real_time: number at line 1, column 87 does "
            "not fit a double: 1e400");
}

TEST(BenchmarkJsonTest, ReportsAMissingBenchmarksArray) {
  EXPECT_EQ(ParseError(R"({"context": {}})"), "benchmark JSON has no \"benchmarks\" array");
  EXPECT_EQ(ParseError(R"({"benchmarks": {}})"), "benchmark JSON has no \"benchmarks\" array");
}

TEST(BenchmarkJsonTest, ReportsBadEntries) {
  EXPECT_EQ(ParseError(OneEntry(R"("time_unit": "ms")")),
            "benchmark \"BM_f\" has no numeric real_time");
  EXPECT_EQ(ParseError(OneEntry(R"("real_time": "fast", "time_unit": "ms")")),
            "benchmark \"BM_f\" has no numeric real_time");
  EXPECT_EQ(ParseError(OneEntry(R"("real_time": 1, "time_unit": "min")")),
            "benchmark \"BM_f\" has unknown time_unit \"min\" (expected ns, us, ms or s)");
  EXPECT_EQ(ParseError(R"({"benchmarks": [{"real_time": 1, "time_unit": "ms"}, 3]})"),
            "benchmark #1 is not an object");
  EXPECT_EQ(ParseError(OneEntry(R"("error_occurred": true, "error_message": "OOM",
                                   "real_time": 0, "time_unit": "ms")")),
            "benchmark \"BM_f\" failed: OOM");
}

TEST(BenchmarkJsonTest, NoResultsPointsAtTheFunctionName) {
  EXPECT_EQ(ParseError(""), kNoResults);
  EXPECT_EQ(ParseError("\n"), kNoResults);
  EXPECT_EQ(ParseError(R"({"context": {}, "benchmarks": []})"), kNoResults);
  // Aggregates alone are no results either.
  EXPECT_EQ(ParseError(R"({"benchmarks": [{"name": "x_mean", "aggregate_name": "mean",
                                          "real_time": 1, "time_unit": "ms"}]})"),
            kNoResults);
}

}  // namespace
}  // namespace iree_suite
