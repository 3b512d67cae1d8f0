// Drawing the benchmark history (history/): a benchmark's trend as inline SVG (no script, no
// network): its minimum per run, golden and threshold lines, change points, failed runs in the
// failure colour and one run highlighted (the current one in a run's report).
//
// Hooks: <svg class="chart trend-chart" data-test="<id>">, circles
// class="sample" (class "sample failed" for failed runs, "sample current" for
// the highlighted one), lines class="golden" / "threshold" / "change", and
// <text class="axis flakiness">flaky <failures passed again>/<failures></text>.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "history/change_analysis.h"
#include "history/history_store.h"

namespace iree_suite {

struct TrendOptions {
  std::optional<int64_t> current_run_id;  // the run to highlight
  std::vector<size_t> change_points;      // indices into the measured points
};

// The chart's styles, light and dark (for a page's <style>).
inline constexpr const char* kTrendCss = R"css(
.trend-chart { width: 100%; max-width: 640px; height: auto; display: block; }
.trend-chart .series { fill: none; stroke: #4c78a8; stroke-width: 1.2; }
.trend-chart .sample { fill: #4c78a8; }
.trend-chart .sample.failed { fill: #d62728; }
.trend-chart .sample.current { fill: #ff7f0e; stroke: currentColor; stroke-width: 1.5; }
.trend-chart .golden { stroke: #2ca02c; stroke-dasharray: 4 3; }
.trend-chart .threshold { stroke: #d62728; stroke-dasharray: 4 3; }
.trend-chart .change { stroke: #ff7f0e; stroke-width: 2; }
.trend-chart .axis { font: 10px sans-serif; fill: #666; }
@media (prefers-color-scheme: dark) {
  .trend-chart .axis { fill: #aaa; }
}
)css";

// "" when the series has no measured point.
std::string TrendSvg(const HistorySeries& series, const std::vector<HistoryRunInfo>& runs,
                     const TrendOptions& options);

// A whole page: per series its stats and trend (`history report --html`).
std::string RenderHistoryReport(const HistoryData& data,
                                const std::vector<const HistorySeries*>& series,
                                const std::vector<SeriesChanges>& changes);

// Per benchmark of `test_ids`, its trend over the history at `location`,
// with change points and run `run_key` highlighted: what a run's HTML report
// draws under each benchmark. Empty when the history cannot be read.
std::map<std::string, std::string> RunTrends(const std::string& location,
                                             const std::string& run_key,
                                             const std::vector<std::string>& test_ids);

}  // namespace iree_suite
