#include "report/history_trend.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "history/history_store.h"
#include "history/series_summary.h"
#include "report/junit_xml.h"

namespace iree_suite {
namespace {

constexpr double kWidth = 640;
constexpr double kHeight = 170;
constexpr double kLeft = 56;
constexpr double kRight = 8;
constexpr double kTop = 10;
constexpr double kBottom = 24;

struct Scale {
  double low = 0, high = 1;
  size_t count = 1;
  double X(size_t i) const {
    const double span = kWidth - kLeft - kRight;
    return count <= 1 ? kLeft + span / 2 : kLeft + span * static_cast<double>(i) / (count - 1);
  }
  double Y(double v) const {
    return kTop + (kHeight - kTop - kBottom) * (1 - (v - low) / (high - low));
  }
};

// The golden's label sits at the line's left end and the threshold's at its
// right end, so the two never overlap however close the lines are (a
// tolerance of 1.0x draws them on top of each other).
enum class LabelEnd { kStart, kEnd };

std::string HorizontalLine(const Scale& scale, const char* cls, double value, LabelEnd end) {
  const double y = scale.Y(value);
  const bool left = end == LabelEnd::kStart;
  return fmt::format(
      R"(<line class="{0}" x1="{1:.1f}" y1="{2:.1f}" x2="{3:.1f}" y2="{2:.1f}"/>)"
      R"(<text class="axis {0}-label" x="{4:.1f}" y="{5:.1f}" text-anchor="{6}">{0} {7:.3f} ms</text>)",
      cls, kLeft, y, kWidth - kRight, left ? kLeft + 4 : kWidth - kRight, y - 3,
      left ? "start" : "end", value);
}

// XmlEscape's rules are safe for HTML text and quoted attributes too.
std::string HtmlEscape(const std::string& text) { return XmlEscape(text, /*attribute=*/true); }

}  // namespace

std::string TrendSvg(const HistorySeries& series, const std::vector<HistoryRunInfo>& runs,
                     const TrendOptions& options) {
  const std::vector<size_t> measured = MeasuredPoints(series);
  if (measured.empty()) return "";
  const std::vector<double> values = SeriesValues(series);
  const std::optional<double> golden = CurrentGolden(series);
  const std::optional<double> threshold = CurrentThreshold(series);
  Scale scale;
  scale.count = values.size();
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  scale.low = *low;
  scale.high = *high;
  for (const auto& line : {golden, threshold}) {
    if (line) scale.low = std::min(scale.low, *line), scale.high = std::max(scale.high, *line);
  }
  const double pad = std::max((scale.high - scale.low) * 0.08, scale.high * 0.01 + 1e-9);
  scale.low -= pad;
  scale.high += pad;
  std::string svg = fmt::format(
      R"(<svg class="chart trend-chart" data-test="{}" viewBox="0 0 {} {}" role="img" )"
      R"(aria-label="trend of {} over {} runs">)",
      HtmlEscape(series.test_id), kWidth, kHeight, HtmlEscape(series.test_id), values.size());
  svg += fmt::format(R"(<text class="axis" x="4" y="{:.1f}">{:.3f}</text>)", kTop + 8, *high);
  // Flakiness: failures that passed again on the same compiler.
  const Flakiness flakiness = ComputeFlakiness(series, runs);
  svg += fmt::format(R"(<text class="axis flakiness" x="{:.1f}" y="{:.1f}">flaky {}/{}</text>)",
                     kLeft + 4, kTop + 8, flakiness.then_passed, flakiness.failures);
  svg +=
      fmt::format(R"(<text class="axis" x="4" y="{:.1f}">{:.3f}</text>)", kHeight - kBottom, *low);
  if (golden) svg += HorizontalLine(scale, "golden", *golden, LabelEnd::kStart);
  if (threshold) svg += HorizontalLine(scale, "threshold", *threshold, LabelEnd::kEnd);
  for (size_t index : options.change_points) {
    const double x = (scale.X(index - 1) + scale.X(index)) / 2;
    svg +=
        fmt::format(R"(<line class="change" x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}"/>)",
                    x, kTop, kHeight - kBottom);
  }
  std::string path;
  for (size_t i = 0; i < values.size(); ++i) {
    path += fmt::format("{}{:.1f},{:.1f}", i == 0 ? "" : " ", scale.X(i), scale.Y(values[i]));
  }
  svg += fmt::format(R"(<polyline class="series" points="{}"/>)", path);
  for (size_t i = 0; i < values.size(); ++i) {
    const HistoryPoint& point = series.points[measured[i]];
    const HistoryRunInfo& run = runs[point.run];
    const bool failed = point.outcome == "failed" || point.outcome == "error";
    const bool current = options.current_run_id && run.id == *options.current_run_id;
    svg += fmt::format(
        R"(<circle class="sample{}{}" cx="{:.1f}" cy="{:.1f}" r="{}"><title>{} {} {:.3f} ms</title></circle>)",
        failed ? " failed" : "", current ? " current" : "", scale.X(i), scale.Y(values[i]),
        current ? 5 : 2.5, HtmlEscape(run.start_time),
        HtmlEscape(run.compiler_commit.substr(0, 12)), values[i]);
  }
  svg += fmt::format(R"(<text class="axis" x="{:.1f}" y="{:.1f}">{}</text>)", kLeft, kHeight - 6,
                     HtmlEscape(runs[series.points[measured.front()].run].start_time));
  svg += fmt::format(R"(<text class="axis" x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)",
                     kWidth - kRight, kHeight - 6,
                     HtmlEscape(runs[series.points[measured.back()].run].start_time));
  return svg + "</svg>";
}

std::string RenderHistoryReport(const HistoryData& data,
                                const std::vector<const HistorySeries*>& series,
                                const std::vector<SeriesChanges>& changes) {
  std::map<std::string, std::vector<size_t>> change_points;
  for (const SeriesChanges& one : changes) {
    for (const SeriesChange& change : one.changes)
      change_points[one.test_id].push_back(change.point);
  }
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>iree-suite benchmark history</title>\n<style>\n" +
      std::string(kTrendCss) + "</style>\n</head>\n<body>\n<main>\n<h1>Benchmark history</h1>\n";
  html += fmt::format("<p id=\"summary\">{} runs, {} tests</p>\n", data.runs.size(), series.size());
  for (const HistorySeries* one : series) {
    const SeriesSummary s = Summarize(*one, data.runs);
    if (s.n == 0) continue;
    html += fmt::format("<section class=\"trend\" data-test=\"{}\">\n<h2>{}</h2>\n",
                        HtmlEscape(one->test_id), HtmlEscape(one->test_id));
    html += fmt::format(
        "<p class=\"stats\">n {} · mean {:.3f} ms · p50 {:.3f} · p95 {:.3f} · max {:.3f} · cv "
        "{:.1f}% · {} · flaky {}/{}</p>\n",
        s.n, s.mean, s.p50, s.p95, s.max, s.cv * 100,
        s.golden_failure_rate
            ? fmt::format("the golden fails {:.1f}%", *s.golden_failure_rate * 100)
            : std::string("no golden"),
        s.flakiness.then_passed, s.flakiness.failures);
    html +=
        TrendSvg(*one, data.runs, {std::nullopt, change_points[one->test_id]}) + "\n</section>\n";
  }
  return html + "</main>\n</body>\n</html>\n";
}

std::map<std::string, std::string> RunTrends(const std::string& location,
                                             const std::string& run_key,
                                             const std::vector<std::string>& test_ids) {
  std::map<std::string, std::string> trends;
  // Best effort: a history that cannot be read gives the report no trends.
  Result<std::unique_ptr<HistoryStore>> store = HistoryStore::Open(location);
  if (!store) return trends;
  Result<HistoryData> loaded = (*store)->Load({});
  if (!loaded) return trends;
  const HistoryData& data = *loaded;
  std::optional<int64_t> current;
  (void)(*store)->db().Execute("SELECT id FROM runs WHERE run_key = ?", {run_key},
                               [&current](const SqlRow& row) { current = row.Int(0); });
  const std::set<std::string> wanted(test_ids.begin(), test_ids.end());
  std::vector<const HistorySeries*> selected;
  for (const HistorySeries& series : data.series) {
    if (series.type == "benchmark" && wanted.count(series.test_id)) selected.push_back(&series);
  }
  std::map<std::string, std::vector<size_t>> change_points;
  for (const SeriesChanges& changes : AnalyzeChanges(data, selected, {})) {
    for (const SeriesChange& change : changes.changes) {
      change_points[changes.test_id].push_back(change.point);
    }
  }
  for (const HistorySeries* series : selected) {
    std::string svg = TrendSvg(*series, data.runs, {current, change_points[series->test_id]});
    if (!svg.empty()) trends[series->test_id] = std::move(svg);
  }
  return trends;
}

}  // namespace iree_suite
