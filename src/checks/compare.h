// `compare`: two results.json files side by side, with regressions flagged
// only when the change is both large (ratio beyond a threshold) and, where
// there are enough repetitions, unlikely to be noise (Mann-Whitney U test).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "results/results_json.h"

namespace iree_suite {

struct MannWhitneyResult {
  double u = 0;        // U of the first sample: pairs (a, b) with a > b, ties counting 1/2
  double z = 0;        // |U - mean| / stddev, >= 0
  double p_value = 1;  // two-sided
};

// The two-sided Mann-Whitney U test by the normal approximation with tie
// correction (scipy's method="asymptotic", use_continuity=False). Without the
// continuity correction three clearly separated repetitions per side reach
// p < 0.05 (p = 0.0495); with it, no 3-vs-3 result could.
// p_value is 1 when either sample is empty or every value is tied.
MannWhitneyResult MannWhitneyU(const std::vector<double>& a, const std::vector<double>& b);

struct CompareOptions {
  double threshold = 0.05;  // relative change that counts
  double alpha = 0.05;      // significance level of the U test
  // Both sides need at least this many repetitions for the U test to be
  // used; with fewer, the ratio alone decides.
  size_t min_samples_for_test = 3;
};

enum class ChangeKind { kUnchanged, kRegression, kImprovement };
const char* ChangeKindName(ChangeKind kind);  // "", "REGRESSION", "improvement"

struct MetricComparison {
  std::string metric;  // "min_ms", "median_ms", "dispatch_count", "binary_size"
  std::optional<double> base;
  std::optional<double> current;
  std::optional<double> Delta() const;  // current - base
  std::optional<double> Ratio() const;  // current / base; nullopt when base is 0 or missing
};

struct TestComparison {
  std::string id;
  std::string type;
  std::vector<MetricComparison> metrics;
  std::optional<double> p_value;  // benchmarks with enough repetitions on both sides
  ChangeKind change = ChangeKind::kUnchanged;
  // A change beyond the threshold that the U test cannot tell from noise:
  // shown as "not significant (n=N)", N the smaller side's repetitions, with
  // the repetitions per side that would show a change of this size.
  bool not_significant = false;
  size_t repetitions = 0;
  std::optional<size_t> repetitions_needed;
};

// Repetitions per side for the U test to show a shift of the means by
// `difference` between samples of standard deviation `stddev` (two-sided
// `alpha`, 80% power, the U test's 0.955 efficiency against the t test), and
// never fewer than the 3 that completely separated samples need at 0.05;
// nullopt when there is no shift.
std::optional<size_t> RepetitionsNeeded(double difference, double stddev, double alpha);

struct ComparisonReport {
  std::vector<TestComparison> tests;  // in the new file's order
  std::vector<std::string> only_in_base;
  std::vector<std::string> only_in_new;
  bool HasRegression() const;
};

// Benchmarks are judged on min_ms (what the runner judges): a regression when
// new/base > 1 + threshold and, with enough repetitions, p < alpha; an
// improvement when new/base < 1 - threshold, likewise. Compstat tests are
// judged on each of dispatch count and binary size by the same ratio (no
// noise to test for); any metric regressing makes the test a regression.
ComparisonReport CompareResults(const ResultsFile& base, const ResultsFile& current,
                                const CompareOptions& options);

// A plain-text table (aligned columns) and a GitHub Markdown table, each
// followed by the tests present on one side only.
std::string RenderComparisonText(const ComparisonReport& report);
std::string RenderComparisonMarkdown(const ComparisonReport& report);

}  // namespace iree_suite
