#include "checks/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "base/text_table.h"

namespace iree_suite {
namespace {

// Ratios beyond the threshold, in the direction they go.
ChangeKind ClassifyRatio(std::optional<double> ratio, double threshold) {
  if (!ratio) return ChangeKind::kUnchanged;
  if (*ratio > 1 + threshold) return ChangeKind::kRegression;
  if (*ratio < 1 - threshold) return ChangeKind::kImprovement;
  return ChangeKind::kUnchanged;
}

template <typename T>
std::optional<double> AsDouble(const std::optional<T>& value) {
  if (!value) return std::nullopt;
  return static_cast<double>(*value);
}

TestComparison ComparisonOf(const TestResult& current) {
  TestComparison comparison;
  comparison.id = current.test->id;
  comparison.type = TestKindName(current.test->kind);
  return comparison;
}

// The statistics of a result's repetitions, once per side; nullopt without samples.
std::optional<BenchmarkStats> StatsOf(const TestResult& result) {
  if (result.benchmark_samples_ms.empty()) return std::nullopt;
  return ComputeStats(result.benchmark_samples_ms);
}

TestComparison CompareBenchmark(const TestResult& base, const TestResult& current,
                                const CompareOptions& options) {
  TestComparison comparison = ComparisonOf(current);
  const std::optional<BenchmarkStats> a = StatsOf(base);
  const std::optional<BenchmarkStats> b = StatsOf(current);
  auto stat = [](const std::optional<BenchmarkStats>& stats,
                 double BenchmarkStats::*field) -> std::optional<double> {
    if (!stats) return std::nullopt;
    return (*stats).*field;
  };
  comparison.metrics.push_back(
      {"min_ms", stat(a, &BenchmarkStats::min), stat(b, &BenchmarkStats::min)});
  comparison.metrics.push_back(
      {"median_ms", stat(a, &BenchmarkStats::median), stat(b, &BenchmarkStats::median)});
  ChangeKind change = ClassifyRatio(comparison.metrics[0].Ratio(), options.threshold);
  const std::vector<double>& base_samples = base.benchmark_samples_ms;
  const std::vector<double>& current_samples = current.benchmark_samples_ms;
  if (a && b && base_samples.size() >= options.min_samples_for_test &&
      current_samples.size() >= options.min_samples_for_test) {
    comparison.p_value = MannWhitneyU(base_samples, current_samples).p_value;
    // A large ratio from noisy repetitions is not a verdict, but worth a word.
    if (*comparison.p_value >= options.alpha && change != ChangeKind::kUnchanged) {
      change = ChangeKind::kUnchanged;
      comparison.not_significant = true;
      comparison.repetitions = std::min(base_samples.size(), current_samples.size());
      comparison.repetitions_needed = RepetitionsNeeded(
          b->mean - a->mean, std::sqrt((a->stddev * a->stddev + b->stddev * b->stddev) / 2),
          options.alpha);
    }
  }
  comparison.change = change;
  return comparison;
}

TestComparison CompareCompstat(const TestResult& base, const TestResult& current,
                               const CompareOptions& options) {
  TestComparison comparison = ComparisonOf(current);
  comparison.metrics.push_back(
      {"dispatch_count", AsDouble(base.dispatch_count), AsDouble(current.dispatch_count)});
  comparison.metrics.push_back(
      {"binary_size", AsDouble(base.binary_size), AsDouble(current.binary_size)});
  for (const MetricComparison& metric : comparison.metrics) {
    ChangeKind change = ClassifyRatio(metric.Ratio(), options.threshold);
    if (change == ChangeKind::kRegression) {
      comparison.change = ChangeKind::kRegression;
    } else if (change == ChangeKind::kImprovement && comparison.change == ChangeKind::kUnchanged) {
      comparison.change = ChangeKind::kImprovement;
    }
  }
  return comparison;
}

std::string Verdict(const TestComparison& test) {
  if (!test.not_significant) return ChangeKindName(test.change);
  return fmt::format("not significant (n={})", test.repetitions);
}

// Under the table: what it would take to settle each change left open.
std::string RepetitionNotes(const ComparisonReport& report) {
  std::string out;
  for (const TestComparison& test : report.tests) {
    if (!test.not_significant || !test.repetitions_needed) continue;
    out += fmt::format(
        "{}: a change this size needs about {} repetitions on each side to be told from noise "
        "(--benchmark_repetitions={})\n",
        test.id, *test.repetitions_needed, *test.repetitions_needed);
  }
  return out.empty() ? out : "\n" + out;
}

std::string FormatValue(std::optional<double> value) {
  if (!value) return "-";
  if (*value == std::floor(*value) && std::fabs(*value) < 1e15)
    return fmt::format("{:.0f}", *value);
  return fmt::format("{:.3f}", *value);
}

std::string FormatDelta(std::optional<double> delta) {
  if (!delta) return "-";
  return (*delta > 0 ? "+" : "") + FormatValue(delta);
}

std::string FormatRatio(std::optional<double> ratio) {
  return ratio ? fmt::format("{:.3f}", *ratio) : "-";
}

using Row = std::vector<std::string>;

const Row kHeaders = {"test", "metric", "base", "new", "delta", "ratio", "p", "verdict"};

std::vector<Row> BuildRows(const ComparisonReport& report) {
  std::vector<Row> rows;
  for (const TestComparison& test : report.tests) {
    for (size_t i = 0; i < test.metrics.size(); ++i) {
      const MetricComparison& metric = test.metrics[i];
      // The test's verdict and p-value go on its first row only.
      bool first = i == 0;
      rows.push_back({first ? test.id : "", metric.metric, FormatValue(metric.base),
                      FormatValue(metric.current), FormatDelta(metric.Delta()),
                      FormatRatio(metric.Ratio()),
                      first && test.p_value ? fmt::format("{:.3g}", *test.p_value) : "",
                      first ? Verdict(test) : ""});
    }
  }
  return rows;
}

std::string RenderOneSided(const ComparisonReport& report, const char* bullet) {
  std::string out;
  for (const auto& [title, ids] : {std::pair{"only in base", &report.only_in_base},
                                   std::pair{"only in new", &report.only_in_new}}) {
    if (ids->empty()) continue;
    out += fmt::format("\n{}:\n", title);
    for (const std::string& id : *ids) out += fmt::format("{}{}\n", bullet, id);
  }
  return out;
}

std::string Summary(const ComparisonReport& report) {
  size_t regressions = 0;
  size_t improvements = 0;
  for (const TestComparison& test : report.tests) {
    regressions += test.change == ChangeKind::kRegression;
    improvements += test.change == ChangeKind::kImprovement;
  }
  return fmt::format("{} compared, {} regressions, {} improvements\n", report.tests.size(),
                     regressions, improvements);
}

}  // namespace

std::optional<size_t> RepetitionsNeeded(double difference, double stddev, double alpha) {
  if (!(std::fabs(difference) > 0)) return std::nullopt;
  // The normal quantile of 1 - alpha/2 by bisection on erfc (alpha in (0, 1)).
  double low = 0, high = 40;
  for (int i = 0; i < 100; ++i) {
    double mid = (low + high) / 2;
    (std::erfc(mid / std::sqrt(2.0)) > alpha ? low : high) = mid;
  }
  constexpr double kPowerQuantile = 0.8416;  // 80% power
  constexpr double kEfficiency = 0.955;      // U test against the t test, normal data
  const double effect = std::fabs(difference) / std::max(stddev, 1e-300);
  const double n = 2 * std::pow(high + kPowerQuantile, 2) / (effect * effect) / kEfficiency;
  constexpr double kMinimum = 3;
  return static_cast<size_t>(std::ceil(std::clamp(n, kMinimum, 1e9)));
}

MannWhitneyResult MannWhitneyU(const std::vector<double>& a, const std::vector<double>& b) {
  MannWhitneyResult result;
  if (a.empty() || b.empty()) return result;
  // Pool both samples, rank them with tied values sharing their mean rank.
  std::vector<std::pair<double, bool>> pooled;  // (value, from a)
  for (double value : a) pooled.push_back({value, true});
  for (double value : b) pooled.push_back({value, false});
  std::sort(pooled.begin(), pooled.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  double n1 = static_cast<double>(a.size());
  double n2 = static_cast<double>(b.size());
  double n = n1 + n2;
  double rank_sum_a = 0;
  double tie_term = 0;  // sum of t^3 - t over groups of t tied values
  for (size_t i = 0; i < pooled.size();) {
    size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    double mean_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (size_t k = i; k < j; ++k) {
      if (pooled[k].second) rank_sum_a += mean_rank;
    }
    double t = static_cast<double>(j - i);
    tie_term += t * t * t - t;
    i = j;
  }
  result.u = rank_sum_a - n1 * (n1 + 1) / 2;
  double mean_u = n1 * n2 / 2;
  double variance = n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1)));
  if (variance <= 0) return result;
  result.z = std::fabs(result.u - mean_u) / std::sqrt(variance);
  result.p_value = std::min(1.0, std::erfc(result.z / std::sqrt(2.0)));
  return result;
}

const char* ChangeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kUnchanged:
      return "";
    case ChangeKind::kRegression:
      return "REGRESSION";
    case ChangeKind::kImprovement:
      return "improvement";
  }
  return "";
}

std::optional<double> MetricComparison::Delta() const {
  if (!base || !current) return std::nullopt;
  return *current - *base;
}

std::optional<double> MetricComparison::Ratio() const {
  if (!base || !current || *base == 0) return std::nullopt;
  return *current / *base;
}

bool ComparisonReport::HasRegression() const {
  return std::any_of(tests.begin(), tests.end(), [](const TestComparison& test) {
    return test.change == ChangeKind::kRegression;
  });
}

ComparisonReport CompareResults(const ResultsFile& base, const ResultsFile& current,
                                const CompareOptions& options) {
  ComparisonReport report;
  for (const TestResult& entry : current.tests) {
    const TestResult* old = base.Find(entry.test->id);
    const TestKind kind = entry.test->kind;
    if (!old) {
      report.only_in_new.push_back(entry.test->id);
    } else if (kind != old->test->kind) {
      continue;
    } else if (kind == TestKind::kBenchmark) {
      report.tests.push_back(CompareBenchmark(*old, entry, options));
    } else if (kind == TestKind::kCompstat) {
      report.tests.push_back(CompareCompstat(*old, entry, options));
    }
  }
  for (const TestResult& entry : base.tests) {
    if (!current.Find(entry.test->id)) report.only_in_base.push_back(entry.test->id);
  }
  return report;
}

std::string RenderComparisonText(const ComparisonReport& report) {
  std::vector<Row> table = {kHeaders};
  for (Row& row : BuildRows(report)) table.push_back(std::move(row));
  // Names left-aligned, numbers right-aligned so digits line up.
  std::vector<bool> numeric(kHeaders.size());
  for (size_t c = 2; c <= 6 && c < numeric.size(); ++c) numeric[c] = true;
  return RenderColumns(table, numeric) + RepetitionNotes(report) + RenderOneSided(report, "  ") +
         "\n" + Summary(report);
}

std::string RenderComparisonMarkdown(const ComparisonReport& report) {
  auto line = [](const Row& row) {
    std::string text = "|";
    for (const std::string& cell : row) text += " " + cell + " |";
    return text + "\n";
  };
  std::string out = line(kHeaders);
  out += "|";
  for (size_t c = 0; c < kHeaders.size(); ++c) out += c >= 2 && c <= 6 ? " ---: |" : " --- |";
  out += "\n";
  for (Row row : BuildRows(report)) {
    // Regressions should catch the reader's eye on a PR page.
    if (row[7] == "REGRESSION") row[7] = "**REGRESSION**";
    out += line(row);
  }
  return out + RepetitionNotes(report) + RenderOneSided(report, "- ") + "\n" + Summary(report);
}

}  // namespace iree_suite
