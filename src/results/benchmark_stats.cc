#include "results/benchmark_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace iree_suite {

BenchmarkStats ComputeStats(const std::vector<double>& samples) {
  BenchmarkStats stats;
  stats.count = samples.size();
  if (samples.empty()) return stats;
  std::vector<double> sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  size_t n = sorted.size();
  stats.min = sorted.front();
  stats.max = sorted.back();
  stats.median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  stats.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(n);
  if (n > 1) {
    double sum_squares = 0;
    for (double sample : sorted) sum_squares += (sample - stats.mean) * (sample - stats.mean);
    stats.stddev = std::sqrt(sum_squares / static_cast<double>(n - 1));
  }
  stats.cv = stats.mean != 0 ? stats.stddev / stats.mean : 0;
  return stats;
}

}  // namespace iree_suite
