// `history changes`: the change points of every benchmark series, placed on
// runs and compiler commits.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "history/change_points.h"
#include "history/history_store.h"

namespace iree_suite {

struct ChangeAnalysisOptions {
  ChangePointOptions detector;
  double min_change = 0.01;  // smaller relative steps are not reported
  size_t threads = 0;        // 0: one per core
};

struct SeriesChange {
  size_t point = 0;  // index into the series' measured points: the first after the step
  const HistoryRunInfo* last_before = nullptr;  // the step happened between these runs
  const HistoryRunInfo* first_after = nullptr;
  double mean_before = 0;
  double mean_after = 0;
  double p_value = 1;
  double Relative() const { return mean_before != 0 ? mean_after / mean_before - 1 : 0; }
  bool IsRegression() const { return mean_after > mean_before; }  // slower
};

struct SeriesChanges {
  std::string test_id;
  size_t n = 0;
  std::vector<SeriesChange> changes;  // oldest first
  // The newest segment started with a significant slowdown.
  bool NewestIsRegression() const { return !changes.empty() && changes.back().IsRegression(); }
};

// Series with at least one change, sorted by test id. Each series' seed is
// the options' seed mixed with its test id, so the result does not depend on
// which other series are analysed or on the thread count.
std::vector<SeriesChanges> AnalyzeChanges(const HistoryData& data,
                                          const std::vector<const HistorySeries*>& series,
                                          const ChangeAnalysisOptions& options);

// The points of `series` that have a value, as indices into series.points.
std::vector<size_t> MeasuredPoints(const HistorySeries& series);

}  // namespace iree_suite
