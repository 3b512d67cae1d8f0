#include "checks/compare.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "result_fixture.h"

namespace iree_suite {
namespace {

// Expected values computed once by an independent script (pairwise counting
// for U, tie-corrected variance, no continuity correction).
TEST(MannWhitneyUTest, SeparatedSamples) {
  MannWhitneyResult result = MannWhitneyU({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10});
  EXPECT_DOUBLE_EQ(result.u, 0);
  EXPECT_NEAR(result.z, 2.6111648393354674, 1e-12);
  EXPECT_NEAR(result.p_value, 0.00902343881808032, 1e-12);
  // Swapped: U counts the other way, same p.
  MannWhitneyResult swapped = MannWhitneyU({6, 7, 8, 9, 10}, {1, 2, 3, 4, 5});
  EXPECT_DOUBLE_EQ(swapped.u, 25);
  EXPECT_NEAR(swapped.p_value, result.p_value, 1e-12);
}

TEST(MannWhitneyUTest, TiesUseMeanRanksAndCorrection) {
  MannWhitneyResult result = MannWhitneyU({1, 2, 2, 3, 5}, {2, 4, 5, 6, 7, 8});
  EXPECT_DOUBLE_EQ(result.u, 4.5);
  EXPECT_NEAR(result.z, 1.9391918719608614, 1e-12);
  EXPECT_NEAR(result.p_value, 0.05247797897101414, 1e-12);
}

TEST(MannWhitneyUTest, ThreeRepetitionsEachCanBeSignificant) {
  MannWhitneyResult result = MannWhitneyU({10.0, 10.2, 10.1}, {12.0, 12.1, 11.9});
  EXPECT_DOUBLE_EQ(result.u, 0);
  EXPECT_NEAR(result.p_value, 0.049534613435626706, 1e-12);
  MannWhitneyResult mixed = MannWhitneyU({10.0, 12.2, 10.1}, {10.05, 12.1, 10.15});
  EXPECT_DOUBLE_EQ(mixed.u, 4);
  EXPECT_NEAR(mixed.p_value, 0.8272593465627114, 1e-12);
}

TEST(MannWhitneyUTest, DegenerateInputs) {
  EXPECT_DOUBLE_EQ(MannWhitneyU({}, {1, 2}).p_value, 1);
  EXPECT_DOUBLE_EQ(MannWhitneyU({3, 3}, {3, 3, 3}).p_value, 1);
}

RecordedResult Benchmark(const std::string& id, std::vector<double> samples) {
  return RecordedBenchmark(id, Outcome::kPassed, std::move(samples));
}

RecordedResult Compstat(const std::string& id, int64_t dispatches, int64_t size) {
  RecordedResult entry = Recorded(id, TestKind::kCompstat, Outcome::kPassed);
  entry.result.dispatch_count = dispatches;
  entry.result.binary_size = size;
  return entry;
}

class CompareResultsTest : public ::testing::Test {
 protected:
  ComparisonReport Compare() { return CompareResults(base_, current_, CompareOptions{}); }
  ResultsFile base_;
  ResultsFile current_;
};

TEST_F(CompareResultsTest, SignificantSlowdownIsARegression) {
  base_ = FileOf({Benchmark("slow", {10.0, 10.2, 10.1})});
  current_ = FileOf({Benchmark("slow", {12.0, 12.1, 11.9})});
  ComparisonReport report = Compare();
  ASSERT_EQ(report.tests.size(), 1u);
  const TestComparison& test = report.tests[0];
  EXPECT_EQ(test.change, ChangeKind::kRegression);
  ASSERT_TRUE(test.p_value);
  EXPECT_NEAR(*test.p_value, 0.0495346, 1e-6);
  EXPECT_EQ(test.metrics[0].metric, "min_ms");
  EXPECT_DOUBLE_EQ(*test.metrics[0].base, 10.0);
  EXPECT_DOUBLE_EQ(*test.metrics[0].current, 11.9);
  EXPECT_DOUBLE_EQ(*test.metrics[1].base, 10.1);  // median
  EXPECT_TRUE(report.HasRegression());
}

TEST_F(CompareResultsTest, NoisySlowdownIsNotFlagged) {
  // min ratio 1.1, but the repetitions overlap: p is far above alpha.
  base_ = FileOf({Benchmark("noisy", {10.0, 13.0, 11.0, 12.5})});
  current_ = FileOf({Benchmark("noisy", {11.0, 12.0, 13.5, 11.2})});
  ComparisonReport report = Compare();
  EXPECT_EQ(report.tests[0].change, ChangeKind::kUnchanged);
  EXPECT_FALSE(report.HasRegression());
}

TEST_F(CompareResultsTest, FewRepetitionsUseTheRatioAlone) {
  base_ = FileOf({Benchmark("a", {10.0}), Benchmark("b", {10.0, 10.0}), Benchmark("c", {10.0})});
  current_ = FileOf({Benchmark("a", {10.6}), Benchmark("b", {9.0, 9.1}), Benchmark("c", {10.4})});
  ComparisonReport report = Compare();
  ASSERT_EQ(report.tests.size(), 3u);
  EXPECT_EQ(report.tests[0].change, ChangeKind::kRegression);
  EXPECT_FALSE(report.tests[0].p_value);
  EXPECT_EQ(report.tests[1].change, ChangeKind::kImprovement);
  EXPECT_EQ(report.tests[2].change, ChangeKind::kUnchanged);
}

TEST_F(CompareResultsTest, CompstatAndOneSidedTests) {
  base_ = FileOf({Compstat("s", 10, 1000), Compstat("t", 10, 1000), Benchmark("gone", {1})});
  current_ = FileOf({Compstat("s", 12, 1000), Compstat("t", 10, 900), Benchmark("added", {1})});
  ComparisonReport report = Compare();
  ASSERT_EQ(report.tests.size(), 2u);
  EXPECT_EQ(report.tests[0].change, ChangeKind::kRegression);
  EXPECT_EQ(report.tests[0].metrics[0].metric, "dispatch_count");
  EXPECT_DOUBLE_EQ(*report.tests[0].metrics[0].Delta(), 2);
  EXPECT_DOUBLE_EQ(*report.tests[0].metrics[0].Ratio(), 1.2);
  EXPECT_EQ(report.tests[1].change, ChangeKind::kImprovement);
  EXPECT_EQ(report.only_in_base, std::vector<std::string>{"gone"});
  EXPECT_EQ(report.only_in_new, std::vector<std::string>{"added"});
}

TEST_F(CompareResultsTest, MarkdownShape) {
  base_ = FileOf({Benchmark("m/b.json", {10.0, 10.2, 10.1}), Compstat("m/s.json", 10, 1000),
                  Compstat("m/gone.json", 1, 1)});
  current_ = FileOf({Benchmark("m/b.json", {12.0, 12.1, 11.9}), Compstat("m/s.json", 10, 1000)});
  EXPECT_EQ(RenderComparisonMarkdown(Compare()),
            "| test | metric | base | new | delta | ratio | p | verdict |\n"
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n"
            "| m/b.json | min_ms | 10 | 11.900 | +1.900 | 1.190 | 0.0495 | **REGRESSION** |\n"
            "|  | median_ms | 10.100 | 12 | +1.900 | 1.188 |  |  |\n"
            "| m/s.json | dispatch_count | 10 | 10 | 0 | 1.000 |  |  |\n"
            "|  | binary_size | 1000 | 1000 | 0 | 1.000 |  |  |\n"
            "\nonly in base:\n"
            "- m/gone.json\n"
            "\n2 compared, 1 regressions, 0 improvements\n");
}

TEST_F(CompareResultsTest, ChangeTheRepetitionsCannotSettleIsSaidSo) {
  // 2.3x slower minimum, overlapping repetitions: p 0.127.
  base_ = FileOf({Benchmark("open", {1.0, 3.0, 5.0})});
  current_ = FileOf({Benchmark("open", {2.3, 4.0, 6.0})});
  ComparisonReport report = Compare();
  const TestComparison& test = report.tests[0];
  EXPECT_EQ(test.change, ChangeKind::kUnchanged);
  EXPECT_TRUE(test.not_significant);
  EXPECT_EQ(test.repetitions, 3u);
  ASSERT_TRUE(test.repetitions_needed);
  EXPECT_GT(*test.repetitions_needed, 3u);
  const std::string text = RenderComparisonText(report);
  EXPECT_NE(text.find("not significant (n=3)"), std::string::npos) << text;
  EXPECT_NE(text.find(fmt::format("open: a change this size needs about {} repetitions",
                                  *test.repetitions_needed)),
            std::string::npos)
      << text;
}

TEST(RepetitionsNeededTest, GrowsWithNoiseAndNeverGoesBelowThree) {
  EXPECT_EQ(RepetitionsNeeded(0, 1, 0.05), std::nullopt);
  EXPECT_EQ(RepetitionsNeeded(100, 1, 0.05), 3u);
  // 2 * (1.96 + 0.84)^2 / 0.955 = 16.4 per side for a one-sigma shift.
  EXPECT_EQ(RepetitionsNeeded(1, 1, 0.05), 17u);
  EXPECT_EQ(RepetitionsNeeded(-0.5, 1, 0.05), 66u);
}

TEST_F(CompareResultsTest, TextTableAlignsColumns) {
  base_ = FileOf({Compstat("s", 10, 1000)});
  current_ = FileOf({Compstat("s", 9, 1000)});
  EXPECT_EQ(RenderComparisonText(Compare()),
            "test  metric          base   new  delta  ratio  p  verdict\n"
            "s     dispatch_count    10     9     -1  0.900     improvement\n"
            "      binary_size     1000  1000      0  1.000\n"
            "\n1 compared, 0 regressions, 1 improvements\n");
}

}  // namespace
}  // namespace iree_suite
