#include "checks/judgement.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "test_helpers.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

TestDefinition BenchmarkTest(std::optional<double> golden_ms, double tolerance_factor = 1.1) {
  TestDefinition test;
  test.kind = TestKind::kBenchmark;
  test.golden_time_ms = golden_ms;
  test.tolerance_factor = tolerance_factor;
  return test;
}

TestDefinition CompstatTest(std::optional<int64_t> golden_dispatch_count,
                            std::optional<int64_t> golden_binary_size) {
  TestDefinition test;
  test.kind = TestKind::kCompstat;
  test.golden_dispatch_count = golden_dispatch_count;
  test.golden_binary_size = golden_binary_size;
  return test;
}

TEST(JudgementTest, ThresholdIsGoldenTimesToleranceFactor) {
  EXPECT_DOUBLE_EQ(*BenchmarkThresholdMs(BenchmarkTest(10.0)), 11.0);
  EXPECT_DOUBLE_EQ(*BenchmarkThresholdMs(BenchmarkTest(20.0, 1.5)), 30.0);
  EXPECT_FALSE(BenchmarkThresholdMs(BenchmarkTest(std::nullopt)).has_value());
}

TEST(JudgementTest, BenchmarkPassesBelowAndAtThreshold) {
  TestDefinition test = BenchmarkTest(20.0, 1.5);
  Verdict below = JudgeBenchmark(test, 25.0);
  EXPECT_TRUE(below.passed);
  EXPECT_EQ(below.reason, "");
  EXPECT_TRUE(JudgeBenchmark(test, 30.0).passed);
  EXPECT_TRUE(
      JudgeBenchmark(BenchmarkTest(10.0), *BenchmarkThresholdMs(BenchmarkTest(10.0))).passed);
}

TEST(JudgementTest, BenchmarkFailsAboveThresholdShowingTheArithmetic) {
  Verdict verdict = JudgeBenchmark(BenchmarkTest(10.0), 12.0);
  EXPECT_FALSE(verdict.passed);
  EXPECT_EQ(verdict.reason,
            "benchmark too slow: measured 12.000 ms (minimum real_time) > threshold 11.000 ms = "
            "golden_time_ms 10.000 x tolerance_factor 1.1");
  Verdict just_over = JudgeBenchmark(BenchmarkTest(20.0, 1.5), 30.25);
  EXPECT_FALSE(just_over.passed);
  EXPECT_EQ(just_over.reason,
            "benchmark too slow: measured 30.250 ms (minimum real_time) > threshold 30.000 ms = "
            "golden_time_ms 20.000 x tolerance_factor 1.5");
}

TEST(JudgementTest, BenchmarkWithoutGoldenPasses) {
  Verdict verdict = JudgeBenchmark(BenchmarkTest(std::nullopt), 1.0e9);
  EXPECT_TRUE(verdict.passed);
  EXPECT_EQ(verdict.reason, "");
}

TEST(JudgementTest, BenchmarkWithoutRequiredGoldenFailsWithTheGoldenToSet) {
  TestDefinition test = BenchmarkTest(std::nullopt);
  test.golden_required = true;  // torch_ops, as the reference
  test.expectation_source = "configs/cpu.json";
  Verdict verdict = JudgeBenchmark(test, 2.0);
  EXPECT_FALSE(verdict.passed);
  EXPECT_EQ(verdict.reason,
            "golden time has not been set: set it to 2.200 ms (measured 2.000 ms (minimum "
            "real_time) x 1.1) in golden_times_ms of configs/cpu.json");
  test.golden_time_ms = 2.0;
  EXPECT_TRUE(JudgeBenchmark(test, 2.0).passed);
}

TEST(JudgementTest, CompstatPassesAtOrBelowGoldens) {
  EXPECT_TRUE(JudgeCompstat(CompstatTest(10, 1000), 10, 1000).passed);
  EXPECT_TRUE(JudgeCompstat(CompstatTest(10, 1000), 3, 10).passed);
  Verdict no_goldens = JudgeCompstat(CompstatTest(std::nullopt, std::nullopt), 999, 1 << 30);
  EXPECT_TRUE(no_goldens.passed);
  EXPECT_EQ(no_goldens.reason, "");
}

TEST(JudgementTest, CompstatDispatchCountOverGolden) {
  Verdict verdict = JudgeCompstat(CompstatTest(10, 1000), 12, 900);
  EXPECT_FALSE(verdict.passed);
  EXPECT_EQ(verdict.reason, "dispatch count 12 > golden_dispatch_count 10 (+2)");
}

TEST(JudgementTest, CompstatBinarySizeOverGolden) {
  Verdict verdict = JudgeCompstat(CompstatTest(10, 1000), 10, 1500);
  EXPECT_FALSE(verdict.passed);
  EXPECT_EQ(verdict.reason, "binary size 1500 bytes > golden_binary_size 1000 bytes (+500)");
}

TEST(JudgementTest, CompstatBothOverGoldenGivesTwoLines) {
  Verdict verdict = JudgeCompstat(CompstatTest(10, 1000), 11, 1001);
  EXPECT_FALSE(verdict.passed);
  EXPECT_EQ(verdict.reason,
            "dispatch count 11 > golden_dispatch_count 10 (+1)\n"
            "binary size 1001 bytes > golden_binary_size 1000 bytes (+1)");
}

TEST(JudgementTest, CompstatMissingDispatchCount) {
  Verdict with_golden = JudgeCompstat(CompstatTest(10, std::nullopt), std::nullopt, 100);
  EXPECT_FALSE(with_golden.passed);
  EXPECT_EQ(with_golden.reason, "dispatch count missing from the compile statistics");
  // Without a golden dispatch count there is nothing to compare.
  EXPECT_TRUE(JudgeCompstat(CompstatTest(std::nullopt, 1000), std::nullopt, 100).passed);
}

class DispatchCountTest : public testing::Test {
 protected:
  fs::path WriteStats(const std::string& text) {
    fs::path path = dir_ / "stats.json";
    std::ofstream out(path, std::ios::binary);
    out << text;
    return path;
  }
  testing_helpers::TempDir temp_{"judgement_test"};
  const fs::path dir_ = temp_.path();
};

TEST_F(DispatchCountTest, ReadsDispatchCount) {
  fs::path path = WriteStats(R"({
    "stream-aggregate": {
      "globals": {"count": 3},
      "execution": {"dispatch-count": 42, "async-count": 7}
    }
  })");
  Result<int64_t> count = ReadDispatchCount(path);
  ASSERT_TRUE(count) << count.error();
  EXPECT_EQ(*count, 42);
}

TEST_F(DispatchCountTest, MissingKey) {
  fs::path path = WriteStats(R"({"stream-aggregate": {"execution": {"async-count": 7}}})");
  std::string error;
  error = testing_helpers::ErrorOf(ReadDispatchCount(path));
  EXPECT_EQ(error, path.string() + ": no integer at stream-aggregate.execution.dispatch-count");
}

TEST_F(DispatchCountTest, WrongShapes) {
  for (const char* text : {R"({"stream-aggregate": {"execution": {"dispatch-count": "42"}}})",
                           R"({"stream-aggregate": {"execution": 3}})",
                           R"({"stream-aggregate": [1, 2]})", R"([1])", "7"}) {
    fs::path path = WriteStats(text);
    std::string error;
    error = testing_helpers::ErrorOf(ReadDispatchCount(path));
    EXPECT_EQ(error, path.string() + ": no integer at stream-aggregate.execution.dispatch-count")
        << text;
  }
}

TEST_F(DispatchCountTest, InvalidJson) {
  fs::path path = WriteStats(R"({"stream-aggregate": )");
  std::string error;
  error = testing_helpers::ErrorOf(ReadDispatchCount(path));
  EXPECT_EQ(error, path.string() +
                       ": not valid JSON: invalid JSON at line 1, column 22: syntax error while "
                       "parsing value - unexpected end of input; expected '[', '{', or a literal");
}

TEST_F(DispatchCountTest, CountTooLargeForADoubleIsAnError) {
  fs::path path = WriteStats(R"({"stream-aggregate": {"execution": {"dispatch-count": 1e400}}})");
  std::string error;
  error = testing_helpers::ErrorOf(ReadDispatchCount(path));
  EXPECT_EQ(error, path.string() +
                       ": not valid JSON: stream-aggregate.execution.dispatch-count: number at "
                       "line 1, column 55 does not fit a double: 1e400");
}

TEST_F(DispatchCountTest, MissingFile) {
  std::string error;
  error = testing_helpers::ErrorOf(ReadDispatchCount(dir_ / "absent.json"));
  EXPECT_NE(error.find((dir_ / "absent.json").string()), std::string::npos) << error;
  EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
}

TEST(JudgementTest, ExtractMismatchLines) {
  const std::string output =
      "EXEC @main\n"
      "[FAILED] result[0]: element at index 3 (1.5) does not match the expected (2.0)\n"
      "result[0]: 2x2xf32=[1 2][3 1.5]\n"
      "[SUCCESS] result[1]\n"
      "[FAILED] result[2]: metadata is 1x2xf32; expected that the view matches 1x3xf32\n"
      "[FAILED] one or more outputs failed to match\n";
  EXPECT_EQ(ExtractMismatchLines(output),
            "[FAILED] result[0]: element at index 3 (1.5) does not match the expected (2.0)\n"
            "[FAILED] result[2]: metadata is 1x2xf32; expected that the view matches 1x3xf32\n"
            "[FAILED] one or more outputs failed to match");
}

TEST(JudgementTest, ExtractMismatchLinesWithoutFailures) {
  EXPECT_EQ(ExtractMismatchLines("EXEC @main\n[SUCCESS] all function outputs matched\n"), "");
  EXPECT_EQ(ExtractMismatchLines(""), "");
  // The last line counts without a trailing newline.
  EXPECT_EQ(ExtractMismatchLines("x\n[FAILED] y"), "[FAILED] y");
}

}  // namespace
}  // namespace iree_suite
