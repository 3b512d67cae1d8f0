// Summary statistics of a benchmark's repetitions, as results.json, the HTML
// report, the console and `compare` show them.
#pragma once

#include <cstddef>
#include <vector>

namespace iree_suite {

struct BenchmarkStats {
  size_t count = 0;  // all other fields are 0 when count is 0
  double min = 0;
  double max = 0;
  double median = 0;  // mean of the two middle values for an even count
  double mean = 0;
  double stddev = 0;  // sample standard deviation (n - 1); 0 for a single sample
  double cv = 0;      // stddev / mean; 0 when mean is 0
};

BenchmarkStats ComputeStats(const std::vector<double>& samples);

}  // namespace iree_suite
