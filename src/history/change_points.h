// Change points of a benchmark series by E-Divisive means (Matteson & James's
// divisive energy-statistic segmentation, as Apache Otava and MongoDB's
// performance CI use it) with a permutation significance test.
//
// The divergence of a split at tau of a segment x[0..n) into L = x[0..tau)
// (m values) and R = x[tau..n) (k values) is the energy statistic with
// exponent 2, which measures a change of mean:
//   Q(tau) = (m k / n) * (2 (mean_L - mean_R)^2 - 2 s_L^2 / m - 2 s_R^2 / k)
// (s^2 the sample variances: the unbiased within-segment terms). It takes
// O(1) per tau from prefix sums, so a segment's best split costs O(n) and
// the permutation test O(R n), which keeps thousands of series fast.
//
// Segmentation: of all current segments the one whose best split has the
// largest Q is tested by permuting its values R times; the split is kept when
// p = (1 + #{permuted max Q >= observed}) / (1 + permutations) <= alpha, and
// the search goes on; the first rejected split ends it. The permutations
// stop early once p > alpha is certain. Deterministic for a seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace iree_suite {

struct ChangePointOptions {
  double alpha = 0.01;        // significance level of each split
  size_t permutations = 199;  // at most, per tested split
  size_t min_segment = 5;     // fewest values on either side of a change
  uint64_t seed = 1;
};

struct ChangePoint {
  size_t index = 0;  // first value of the new segment
  double p_value = 1;
  double mean_before = 0;  // of the segments either side
  double mean_after = 0;
  double RelativeChange() const {  // (after - before) / before
    return mean_before != 0 ? (mean_after - mean_before) / mean_before : 0;
  }
};

// Sorted by index.
std::vector<ChangePoint> DetectChangePoints(const std::vector<double>& values,
                                            const ChangePointOptions& options);

// Best split of `values` by Q: {tau, Q}; tau 0 when no split leaves
// min_segment values on both sides. Exposed for tests.
struct BestSplit {
  size_t tau = 0;
  double q = 0;
};
BestSplit FindBestSplit(const double* values, size_t n, size_t min_segment);

// A 64-bit FNV-1a hash, to derive a series' seed from its name.
uint64_t HashName(const char* name, size_t length);

}  // namespace iree_suite
