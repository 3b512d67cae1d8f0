// `update-goldens --from-history`: each benchmark's golden_time_ms set from
// its distribution since the last change point, so that the golden fails the
// runs of an unchanged compiler at most at a chosen rate.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "checks/golden_update.h"
#include "history/change_analysis.h"
#include "history/history_store.h"

namespace iree_suite {

struct HistoryGoldenOptions {
  double max_false_failure = 0.005;  // target failure rate of an unchanged compiler
  bool since_last_change = true;     // only the values after the newest change point
  size_t min_values = 5;             // fewer: no proposal
  ChangeAnalysisOptions changes;
};

struct HistoryGoldenProposal {
  std::string test_id;
  size_t n = 0;
  double mean = 0, p95 = 0, max = 0;
  double tolerance_factor = 1.1;
  std::optional<double> old_golden;
  double new_golden = 0;
  std::optional<double> rate_before;  // of the old golden over the same values
  double rate_after = 0;
  std::string since_time;  // the first run of the values used
};

// The smallest golden (3 decimals) with FailureRate(values, golden x
// tolerance) <= max_false_failure. `values` non-empty.
double SmallestGolden(std::vector<double> values, double tolerance_factor,
                      double max_false_failure);

std::vector<HistoryGoldenProposal> ProposeGoldens(const HistoryData& data,
                                                  const std::vector<const HistorySeries*>& series,
                                                  const HistoryGoldenOptions& options);

// The evidence table: test, n, mean, p95, max, golden old -> new, projected
// failure rate before -> after.
std::string RenderGoldenProposals(const std::vector<HistoryGoldenProposal>& proposals,
                                  double max_false_failure);

// The same text-preserving rewrite as `update-goldens`: only tests whose
// JSON (test id relative to `test_file_directory`) has golden_time_ms; the
// others go to `missing`. A test id that would leave the directory is an error.
GoldenUpdatePlan PlanHistoryGoldenUpdates(const std::vector<HistoryGoldenProposal>& proposals,
                                          const std::filesystem::path& test_file_directory);

}  // namespace iree_suite
