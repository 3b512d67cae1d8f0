#include "history/series_summary.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <span>

namespace iree_suite {

double Percentile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const size_t lower = static_cast<size_t>(std::floor(position));
  const size_t upper = std::min(sorted.size() - 1, lower + 1);
  const double fraction = position - static_cast<double>(lower);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
}

std::vector<double> SeriesValues(const HistorySeries& series) {
  std::vector<double> values;
  values.reserve(series.points.size());
  for (const HistoryPoint& point : series.points) {
    if (point.min_ms) values.push_back(*point.min_ms);
  }
  return values;
}

namespace {

const HistoryPoint* NewestMeasured(const HistorySeries& series) {
  for (auto it = series.points.rbegin(); it != series.points.rend(); ++it) {
    if (it->min_ms || it->golden_time_ms) return &*it;
  }
  return series.points.empty() ? nullptr : &series.points.back();
}

}  // namespace

std::optional<double> CurrentGolden(const HistorySeries& series) {
  const HistoryPoint* point = NewestMeasured(series);
  return point ? point->golden_time_ms : std::nullopt;
}

std::optional<double> CurrentToleranceFactor(const HistorySeries& series) {
  const HistoryPoint* point = NewestMeasured(series);
  return point ? point->tolerance_factor : std::nullopt;
}

std::optional<double> CurrentThreshold(const HistorySeries& series) {
  const HistoryPoint* point = NewestMeasured(series);
  if (point == nullptr || !point->golden_time_ms) return std::nullopt;
  if (point->threshold_ms) return point->threshold_ms;
  return *point->golden_time_ms * point->tolerance_factor.value_or(1.1);
}

double FailureRate(const std::vector<double>& values, double threshold) {
  if (values.empty()) return 0;
  const size_t over = static_cast<size_t>(
      std::count_if(values.begin(), values.end(), [threshold](double v) { return v > threshold; }));
  return static_cast<double>(over) / static_cast<double>(values.size());
}

Flakiness ComputeFlakiness(const HistorySeries& series, const std::vector<HistoryRunInfo>& runs) {
  Flakiness flakiness;
  auto is_failure = [](const HistoryPoint& point) {
    return point.outcome == "failed" || point.outcome == "error";
  };
  // Passes before the first failure cannot count: start there (most series
  // never fail, and then no compiler is looked up at all).
  auto first = std::find_if(series.points.begin(), series.points.end(), is_failure);
  std::map<std::string, bool> last_failed_on;  // compiler -> its previous point failed
  for (const HistoryPoint& point : std::span(first, series.points.end())) {
    const bool failed = is_failure(point);
    const bool passed = point.outcome == "passed";
    flakiness.failures += failed;
    const HistoryRunInfo& run = runs[point.run];
    if (run.compiler_version.empty() && run.compiler_commit.empty()) continue;
    const std::string compiler = run.compiler_version + "@" + run.compiler_commit;
    auto found = last_failed_on.find(compiler);
    if (passed && found != last_failed_on.end() && found->second) ++flakiness.then_passed;
    if (failed || passed) last_failed_on[compiler] = failed;
  }
  return flakiness;
}

SeriesSummary Summarize(const HistorySeries& series, const std::vector<HistoryRunInfo>& runs) {
  SeriesSummary summary;
  summary.test_id = series.test_id;
  summary.type = series.type;
  summary.runs = series.points.size();
  summary.values = SeriesValues(series);
  summary.n = summary.values.size();
  summary.golden_time_ms = CurrentGolden(series);
  summary.threshold_ms = CurrentThreshold(series);
  summary.flakiness = ComputeFlakiness(series, runs);
  if (summary.n == 0) return summary;
  std::vector<double> sorted = summary.values;
  std::sort(sorted.begin(), sorted.end());
  const double n = static_cast<double>(summary.n);
  summary.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / n;
  summary.p50 = Percentile(sorted, 0.5);
  summary.p95 = Percentile(sorted, 0.95);
  summary.max = sorted.back();
  if (summary.n > 1 && summary.mean != 0) {
    double squares = 0;
    for (double v : sorted) squares += (v - summary.mean) * (v - summary.mean);
    summary.cv = std::sqrt(squares / (n - 1)) / summary.mean;
  }
  if (summary.threshold_ms)
    summary.golden_failure_rate = FailureRate(sorted, *summary.threshold_ms);
  return summary;
}

std::string Sparkline(const std::vector<double>& values, size_t width) {
  static const char* const kBars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (values.empty() || width == 0) return "";
  const size_t buckets = std::min(width, values.size());
  std::vector<double> means(buckets);
  for (size_t b = 0; b < buckets; ++b) {
    const size_t begin = b * values.size() / buckets;
    const size_t end = (b + 1) * values.size() / buckets;
    means[b] = std::accumulate(values.begin() + begin, values.begin() + end, 0.0) /
               static_cast<double>(end - begin);
  }
  const auto [low, high] = std::minmax_element(means.begin(), means.end());
  std::string line;
  for (double mean : means) {
    size_t level =
        *high > *low ? static_cast<size_t>((mean - *low) / (*high - *low) * 7.0 + 0.5) : 0;
    line += kBars[std::min<size_t>(level, 7)];
  }
  return line;
}

}  // namespace iree_suite
