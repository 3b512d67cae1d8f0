// show / changes / from-history on a small in-memory history.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "history/change_analysis.h"
#include "history/golden_from_history.h"
#include "history/series_summary.h"

namespace iree_suite {
namespace {

HistoryData SmallHistory(const std::vector<double>& values,
                         const std::vector<std::string>& outcomes = {},
                         const std::vector<int>& commits = {}) {
  HistoryData data;
  HistorySeries series;
  series.test_id = "mlp/bench.json";
  series.type = "benchmark";
  for (size_t i = 0; i < values.size(); ++i) {
    HistoryRunInfo run;
    run.id = static_cast<int64_t>(i + 1);
    run.start_time = "2025-01-" + std::to_string(10 + i % 20) + "T00:00:00Z";
    run.compiler_version = "3.13";
    run.compiler_commit = "c" + std::to_string(commits.empty() ? static_cast<int>(i) : commits[i]);
    data.runs.push_back(run);
    HistoryPoint point;
    point.run = i;
    point.outcome = outcomes.empty() ? "passed" : outcomes[i];
    point.min_ms = values[i];
    point.golden_time_ms = 10.0;
    point.tolerance_factor = 1.1;
    point.threshold_ms = 11.0;
    series.points.push_back(point);
  }
  data.series.push_back(series);
  return data;
}

TEST(SeriesSummaryTest, DistributionAndTheCurrentGoldensFailureRate) {
  HistoryData data = SmallHistory({10, 10.5, 11.5, 10, 12, 10, 10, 10, 10, 10});
  SeriesSummary s = Summarize(data.series[0], data.runs);
  EXPECT_EQ(s.n, 10u);
  EXPECT_DOUBLE_EQ(s.mean, 10.4);
  EXPECT_DOUBLE_EQ(s.p50, 10);
  EXPECT_DOUBLE_EQ(s.max, 12);
  EXPECT_NEAR(s.p95, 11.775, 1e-9);  // numpy.percentile(values, 95)
  EXPECT_NEAR(s.cv, 0.07096, 1e-4);  // numpy: std(ddof=1) / mean
  ASSERT_TRUE(s.golden_failure_rate);
  EXPECT_DOUBLE_EQ(*s.golden_failure_rate, 0.2);  // 11.5 and 12 exceed 11
}

TEST(SeriesSummaryTest, FlakinessCountsFailuresFollowedByAPassOnTheSameCompiler) {
  HistoryData data = SmallHistory({10, 10, 10, 10, 10, 10},
                                  {"failed", "passed", "failed", "failed", "passed", "failed"},
                                  {1, 1, 2, 3, 3, 4});
  Flakiness flakiness = ComputeFlakiness(data.series[0], data.runs);
  EXPECT_EQ(flakiness.failures, 4u);
  EXPECT_EQ(flakiness.then_passed, 2u);  // commit 1, and commit 3 (fail, pass)
  EXPECT_DOUBLE_EQ(flakiness.Rate(), 0.5);
}

TEST(SeriesSummaryTest, SparklineFollowsTheValues) {
  EXPECT_EQ(Sparkline({1, 2, 3, 4, 5, 6, 7, 8}, 8), "▁▂▃▄▅▆▇█");
  EXPECT_EQ(Sparkline({1, 1, 8, 8}, 2), "▁█");
  EXPECT_EQ(Sparkline({3, 3}, 10), "▁▁");
  EXPECT_EQ(Sparkline({}, 10), "");
}

std::vector<double> StepSeries() {
  std::vector<double> values;
  for (int i = 0; i < 60; ++i) values.push_back((i < 30 ? 10.0 : 12.0) + 0.05 * (i % 5));
  return values;
}

TEST(ChangeAnalysisTest, PlacesTheStepBetweenRunsAndCommits) {
  HistoryData data = SmallHistory(StepSeries());
  std::vector<SeriesChanges> all = AnalyzeChanges(data, {&data.series[0]}, {});
  ASSERT_EQ(all.size(), 1u);
  ASSERT_EQ(all[0].changes.size(), 1u);
  const SeriesChange& change = all[0].changes[0];
  EXPECT_EQ(change.last_before->compiler_commit, "c29");
  EXPECT_EQ(change.first_after->compiler_commit, "c30");
  EXPECT_TRUE(change.IsRegression());
  EXPECT_NEAR(change.Relative(), 0.2, 0.01);
  EXPECT_TRUE(all[0].NewestIsRegression());
}

TEST(ChangeAnalysisTest, AnImprovementIsNotANewestRegression) {
  std::vector<double> values = StepSeries();
  std::reverse(values.begin(), values.end());
  HistoryData data = SmallHistory(values);
  std::vector<SeriesChanges> all = AnalyzeChanges(data, {&data.series[0]}, {});
  ASSERT_EQ(all.size(), 1u);
  EXPECT_FALSE(all[0].NewestIsRegression());
}

TEST(GoldenFromHistoryTest, SmallestGoldenMeetsTheTargetAndNoSmallerOneDoes) {
  std::vector<double> values;
  for (int i = 0; i < 200; ++i) values.push_back(10 + 0.01 * i);  // 10.00 .. 11.99
  const double golden = SmallestGolden(values, 1.1, 0.005);       // one value may fail
  EXPECT_LE(FailureRate(values, golden * 1.1), 0.005);
  EXPECT_GT(FailureRate(values, (golden - 0.001) * 1.1), 0.005);
  EXPECT_NEAR(golden, 11.98 / 1.1, 0.001);
  // A zero target: the maximum itself must pass.
  EXPECT_LE(FailureRate(values, SmallestGolden(values, 1.1, 0) * 1.1), 0);
}

TEST(GoldenFromHistoryTest, UsesOnlyTheValuesSinceTheLastChange) {
  HistoryData data = SmallHistory(StepSeries());
  HistoryGoldenOptions options;
  std::vector<HistoryGoldenProposal> proposals = ProposeGoldens(data, {&data.series[0]}, options);
  ASSERT_EQ(proposals.size(), 1u);
  EXPECT_EQ(proposals[0].n, 30u);
  EXPECT_DOUBLE_EQ(proposals[0].max, 12.2);
  EXPECT_NEAR(proposals[0].new_golden, 12.2 / 1.1, 0.001);
  ASSERT_TRUE(proposals[0].rate_before);
  EXPECT_DOUBLE_EQ(*proposals[0].rate_before, 1.0);  // 10 x 1.1 fails every new run
  EXPECT_DOUBLE_EQ(proposals[0].rate_after, 0.0);

  options.since_last_change = false;
  proposals = ProposeGoldens(data, {&data.series[0]}, options);
  EXPECT_EQ(proposals[0].n, 60u);
}

TEST(GoldenFromHistoryTest, RewritesOnlyTheNumberAndRefusesIdsOutsideTheDirectory) {
  namespace fs = std::filesystem;
  fs::path dir =
      fs::temp_directory_path() / ("iree-suite-golden-history-" + std::to_string(getpid()));
  fs::create_directories(dir / "mlp");
  const std::string text =
      "{\n  \"type\": \"benchmark\",\n  \"golden_time_ms\": 10.0 ,\n  \"x\": 1\n}\n";
  std::ofstream(dir / "mlp/bench.json") << text;
  HistoryGoldenProposal proposal;
  proposal.test_id = "mlp/bench.json";
  proposal.new_golden = 11.091;
  HistoryGoldenProposal outside = proposal;
  outside.test_id = "../escape.json";
  GoldenUpdatePlan plan = PlanHistoryGoldenUpdates({proposal, outside}, dir);
  ASSERT_EQ(plan.edits.size(), 1u);
  EXPECT_EQ(plan.edits[0].contents,
            "{\n  \"type\": \"benchmark\",\n  \"golden_time_ms\": 11.091 ,\n  \"x\": 1\n}\n");
  ASSERT_EQ(plan.errors.size(), 1u);
  EXPECT_NE(plan.errors[0].find("../escape.json"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace iree_suite
