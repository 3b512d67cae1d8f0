// A single self-contained HTML page for a run: summary, failures with repro
// commands, and hand-drawn SVG charts per benchmark and compstat test. It
// needs no network (inline CSS and SVG only), fits a phone screen and follows
// the browser's dark mode.
//
// Stable hooks for tests and scripts:
//   <header id="summary">, <section id="failures">, <section id="benchmarks">,
//   <section id="compstats">, <section id="results">;
//   <svg class="chart benchmark-chart" data-test="<id>"> per benchmark;
//   <svg class="chart compstat-chart" data-test="<id>"> per compstat.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "results/test_result.h"

namespace iree_suite {

struct HtmlReportInfo {
  std::string marker_expression;  // the -m text, "" when none
  double total_seconds = 0;
  std::string iree_suite_version;
  std::string start_time;  // as shown, e.g. ISO 8601
  // Per benchmark id, its trend over the history (history/trend_svg.h),
  // drawn under its chart.
  std::map<std::string, std::string> trends;
};

// The whole page. All text from results is escaped; invalid UTF-8 becomes U+FFFD.
std::string RenderHtmlReport(const std::vector<TestResult>& results, const HtmlReportInfo& info);

// Renders and writes `path` atomically.
[[nodiscard]] Status WriteHtmlReport(const std::filesystem::path& path,
                                     const std::vector<TestResult>& results,
                                     const HtmlReportInfo& info);

}  // namespace iree_suite
