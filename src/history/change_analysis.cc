#include "history/change_analysis.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "history/series_summary.h"

namespace iree_suite {

std::vector<size_t> MeasuredPoints(const HistorySeries& series) {
  std::vector<size_t> indices;
  for (size_t i = 0; i < series.points.size(); ++i) {
    if (series.points[i].min_ms) indices.push_back(i);
  }
  return indices;
}

namespace {

SeriesChanges AnalyzeOne(const HistoryData& data, const HistorySeries& series,
                         const ChangeAnalysisOptions& options) {
  SeriesChanges result;
  result.test_id = series.test_id;
  const std::vector<size_t> measured = MeasuredPoints(series);
  const std::vector<double> values = SeriesValues(series);
  result.n = values.size();
  ChangePointOptions detector = options.detector;
  detector.seed ^= HashName(series.test_id.data(), series.test_id.size());
  for (const ChangePoint& point : DetectChangePoints(values, detector)) {
    if (std::abs(point.RelativeChange()) < options.min_change) continue;
    SeriesChange change;
    change.point = point.index;
    change.last_before = &data.runs[series.points[measured[point.index - 1]].run];
    change.first_after = &data.runs[series.points[measured[point.index]].run];
    change.mean_before = point.mean_before;
    change.mean_after = point.mean_after;
    change.p_value = point.p_value;
    result.changes.push_back(change);
  }
  return result;
}

}  // namespace

std::vector<SeriesChanges> AnalyzeChanges(const HistoryData& data,
                                          const std::vector<const HistorySeries*>& series,
                                          const ChangeAnalysisOptions& options) {
  std::vector<SeriesChanges> all(series.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < series.size(); i = next++) {
      all[i] = AnalyzeOne(data, *series[i], options);
    }
  };
  size_t threads =
      options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, std::max<size_t>(1, series.size()));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  std::erase_if(all, [](const SeriesChanges& changes) { return changes.changes.empty(); });
  std::sort(all.begin(), all.end(),
            [](const SeriesChanges& a, const SeriesChanges& b) { return a.test_id < b.test_id; });
  return all;
}

}  // namespace iree_suite
