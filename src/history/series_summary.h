// What `history show` prints per test: the series' distribution, how often
// the current golden would have failed it, and how flaky it was.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "history/history_store.h"

namespace iree_suite {

// Linear interpolation between order statistics (numpy's default);
// `sorted` ascending and non-empty; q in [0, 1].
double Percentile(const std::vector<double>& sorted, double q);

// The benchmark's judged value (minimum sample) per point that has one, in order.
std::vector<double> SeriesValues(const HistorySeries& series);

// The threshold the newest point was judged against (golden x tolerance),
// nullopt when it has no golden.
std::optional<double> CurrentThreshold(const HistorySeries& series);
std::optional<double> CurrentGolden(const HistorySeries& series);
std::optional<double> CurrentToleranceFactor(const HistorySeries& series);

// Fraction of `values` strictly above `threshold` (a run fails when its
// minimum exceeds the threshold); 0 for no values.
double FailureRate(const std::vector<double>& values, double threshold);

struct Flakiness {
  size_t failures = 0;     // failed or errored points
  size_t then_passed = 0;  // failures followed by a pass on the same compiler
  double Rate() const { return failures == 0 ? 0 : static_cast<double>(then_passed) / failures; }
};

// Per compiler (version and commit, from the runs), a failed point followed
// by a passed one counts as a flake: same compiler, different verdict.
Flakiness ComputeFlakiness(const HistorySeries& series, const std::vector<HistoryRunInfo>& runs);

struct SeriesSummary {
  std::string test_id;
  std::string type;
  size_t runs = 0;  // points (any outcome)
  std::vector<double> values;
  size_t n = 0;  // values
  double mean = 0, p50 = 0, p95 = 0, max = 0, cv = 0;
  std::optional<double> golden_time_ms;
  std::optional<double> threshold_ms;
  std::optional<double> golden_failure_rate;  // of the current threshold over the values
  Flakiness flakiness;
};

SeriesSummary Summarize(const HistorySeries& series, const std::vector<HistoryRunInfo>& runs);

// One character per bucket of values, "▁" lowest to "█" highest, at most
// `width` characters (a bucket shows its mean).
std::string Sparkline(const std::vector<double>& values, size_t width);

}  // namespace iree_suite
