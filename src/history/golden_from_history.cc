#include "history/golden_from_history.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "history/series_summary.h"

namespace iree_suite {

double SmallestGolden(std::vector<double> values, double tolerance_factor,
                      double max_false_failure) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  // At most `allowed` values may lie above the threshold.
  const size_t allowed = std::min(
      n - 1, static_cast<size_t>(std::floor(max_false_failure * static_cast<double>(n) + 1e-9)));
  const double needed_threshold = values[n - 1 - allowed];
  double golden = std::ceil(needed_threshold / tolerance_factor * 1000.0) / 1000.0;
  // Rounding of golden x tolerance can land a hair below the value.
  while (FailureRate(values, golden * tolerance_factor) > max_false_failure) golden += 0.001;
  // And one step lower may still meet the target after rounding up.
  while (golden > 0.001 &&
         FailureRate(values, (golden - 0.001) * tolerance_factor) <= max_false_failure) {
    golden -= 0.001;
  }
  return std::round(golden * 1000.0) / 1000.0;
}

namespace {

std::optional<HistoryGoldenProposal> ProposeOne(const HistoryData& data,
                                                const HistorySeries& series,
                                                const HistoryGoldenOptions& options) {
  if (series.type != "benchmark") return std::nullopt;
  std::vector<double> values = SeriesValues(series);
  const std::vector<size_t> measured = MeasuredPoints(series);
  size_t first = 0;
  if (options.since_last_change) {
    std::vector<SeriesChanges> changes = AnalyzeChanges(data, {&series}, options.changes);
    if (!changes.empty()) first = changes.front().changes.back().point;
  }
  values.erase(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(first));
  if (values.size() < std::max<size_t>(1, options.min_values)) return std::nullopt;
  HistoryGoldenProposal proposal;
  proposal.test_id = series.test_id;
  proposal.n = values.size();
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  proposal.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / sorted.size();
  proposal.p95 = Percentile(sorted, 0.95);
  proposal.max = sorted.back();
  proposal.tolerance_factor = CurrentToleranceFactor(series).value_or(1.1);
  proposal.old_golden = CurrentGolden(series);
  if (proposal.old_golden) {
    proposal.rate_before = FailureRate(sorted, *proposal.old_golden * proposal.tolerance_factor);
  }
  proposal.new_golden =
      SmallestGolden(sorted, proposal.tolerance_factor, options.max_false_failure);
  proposal.rate_after = FailureRate(sorted, proposal.new_golden * proposal.tolerance_factor);
  proposal.since_time = data.runs[series.points[measured[first]].run].start_time;
  return proposal;
}

std::string Percent(double rate) { return fmt::format("{:.2f}%", rate * 100); }

// A test id names a file under the test directory: relative, no "..".
bool StaysInside(const std::string& id) {
  std::filesystem::path path(id);
  if (id.empty() || path.is_absolute()) return false;
  return std::none_of(path.begin(), path.end(),
                      [](const std::filesystem::path& part) { return part == ".."; });
}

}  // namespace

std::vector<HistoryGoldenProposal> ProposeGoldens(const HistoryData& data,
                                                  const std::vector<const HistorySeries*>& series,
                                                  const HistoryGoldenOptions& options) {
  std::vector<HistoryGoldenProposal> proposals;
  for (const HistorySeries* one : series) {
    if (auto proposal = ProposeOne(data, *one, options)) proposals.push_back(*proposal);
  }
  return proposals;
}

std::string RenderGoldenProposals(const std::vector<HistoryGoldenProposal>& proposals,
                                  double max_false_failure) {
  if (proposals.empty()) return "no benchmark has enough history for a golden\n";
  std::string out = fmt::format(
      "goldens for a false-failure rate of at most {} (values since the last change point):\n",
      Percent(max_false_failure));
  out +=
      fmt::format("{:<40} {:>5} {:>10} {:>10} {:>10} {:>21} {:>19}  {}\n", "test", "n", "mean ms",
                  "p95 ms", "max ms", "golden old -> new", "failures old -> new", "since");
  for (const HistoryGoldenProposal& p : proposals) {
    const std::string golden = fmt::format(
        "{} -> {}", p.old_golden ? FormatGoldenNumber(*p.old_golden) : std::string("none"),
        FormatGoldenNumber(p.new_golden));
    const std::string rates =
        fmt::format("{} -> {}", p.rate_before ? Percent(*p.rate_before) : std::string("-"),
                    Percent(p.rate_after));
    out += fmt::format("{:<40} {:>5} {:>10.3f} {:>10.3f} {:>10.3f} {:>21} {:>19}  {}\n", p.test_id,
                       p.n, p.mean, p.p95, p.max, golden, rates, p.since_time);
  }
  return out;
}

GoldenUpdatePlan PlanHistoryGoldenUpdates(const std::vector<HistoryGoldenProposal>& proposals,
                                          const std::filesystem::path& test_file_directory) {
  GoldenUpdatePlan plan;
  for (const HistoryGoldenProposal& proposal : proposals) {
    if (!StaysInside(proposal.test_id)) {
      plan.errors.push_back(
          fmt::format("{}: test id from the history is not a path inside the test directory",
                      proposal.test_id));
      continue;
    }
    PlanFieldUpdates(proposal.test_id, test_file_directory / proposal.test_id,
                     {{"golden_time_ms", FormatGoldenNumber(proposal.new_golden)}},
                     GoldenPolicy::Direction::kBoth, &plan);
  }
  return plan;
}

}  // namespace iree_suite
