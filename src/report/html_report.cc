#include "report/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "base/atomic_file.h"
#include "base/bytes.h"
#include "report/history_trend.h"
#include "report/junit_xml.h"
#include "results/results_json.h"

namespace iree_suite {

namespace {

// XmlEscape's rules are also safe for HTML text and quoted attributes, and it
// already replaces invalid UTF-8 and drops control characters.
std::string Text(std::string_view text) { return XmlEscape(text, /*attribute=*/false); }
std::string Attr(std::string_view text) { return XmlEscape(text, /*attribute=*/true); }

constexpr std::array<Outcome, 6> kOutcomes = {Outcome::kPassed,  Outcome::kFailed,
                                              Outcome::kError,   Outcome::kXPassed,
                                              Outcome::kXFailed, Outcome::kSkipped};

// Colours live in CSS variables so one set of classes serves light and dark
// mode, inside the SVGs too (inline SVG is styled by the page's CSS).
constexpr const char* kStyle = R"css(
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--card:#f6f8fa;
--border:#d1d9e0;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--skip:#6e7781;--golden:#0969da;
--track:#e6eaef;--bar-fg:#fff}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;
--card:#161b22;--border:#3d444d;--ok:#3fb950;--bad:#f85149;--warn:#d29922;--skip:#8b949e;
--golden:#58a6ff;--track:#262c36;--bar-fg:#0d1117}}
*{box-sizing:border-box}
body{margin:0;padding:12px;background:var(--bg);color:var(--fg);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:anywhere}
main{max-width:960px;margin:0 auto}
h1{font-size:1.4em;margin:.2em 0 .4em}h2{font-size:1.15em;margin:1.4em 0 .5em;
border-bottom:1px solid var(--border);padding-bottom:.2em}h3{font-size:1em;margin:0 0 .3em}
.meta{color:var(--muted);margin:.2em 0;display:flex;flex-wrap:wrap;gap:.2em 1.2em}
.meta b{color:var(--fg);font-weight:600}
.counts{display:flex;flex-wrap:wrap;gap:6px;margin:.6em 0}
.pill{border:1px solid var(--border);border-radius:999px;padding:2px 10px;background:var(--card)}
.pill b{font-variant-numeric:tabular-nums}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:.8em;font-weight:600;
color:var(--bar-fg);vertical-align:middle}
.o-passed,.o-xfailed{background:var(--ok)}.o-failed,.o-error,.o-xpassed{background:var(--bad)}
.o-skipped{background:var(--skip)}
.card{background:var(--card);border:1px solid var(--border);border-radius:8px;padding:10px 12px;
margin:10px 0}
.card.failure{border-left:4px solid var(--bad)}
pre{background:var(--bg);border:1px solid var(--border);border-radius:6px;padding:8px;margin:.4em 0;
overflow-x:auto;white-space:pre;font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre.reason,pre.repro,pre.logs{white-space:pre-wrap;overflow-wrap:anywhere}
.filters{display:flex;flex-wrap:wrap;gap:4px 12px;margin:.4em 0}.filters label{white-space:nowrap}
.label{color:var(--muted);font-size:.85em;margin-top:.5em}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--border);
border-radius:6px}
table{display:grid;grid-template-columns:repeat(4,max-content) minmax(14em,1fr);width:100%;
font-size:.9em}
thead,tbody,tr{display:contents}
th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid var(--border);white-space:nowrap}
th{order:-1}
pre.repro code{-webkit-user-select:all;user-select:all;cursor:copy}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.reason{white-space:normal;min-width:14em}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,420px),1fr));gap:10px}
.charts .card{margin:0}
svg.chart{display:block;width:100%;height:auto;overflow:visible}
svg text{fill:var(--fg);font:11px system-ui,sans-serif}
svg text.muted{fill:var(--muted)}svg text.inbar{fill:var(--bar-fg)}
svg .track{fill:var(--track)}svg .bar-ok{fill:var(--ok)}svg .bar-bad{fill:var(--bad)}
svg .bar-none{fill:var(--skip)}svg .bar-golden{fill:var(--golden);opacity:.55}
svg .sample{fill:var(--fg);opacity:.6}
svg text.halo-ok,svg text.halo-bad,svg text.halo-track{paint-order:stroke;stroke-width:3px;
stroke-linejoin:round}
svg text.halo-ok{stroke:var(--ok)}svg text.halo-bad{stroke:var(--bad)}
svg text.halo-track{stroke:var(--track)}
svg .golden{stroke:var(--golden);stroke-width:2;stroke-dasharray:4 2}
svg .threshold{stroke:var(--bad);stroke-width:2}
svg text.golden-label{fill:var(--golden)}svg text.threshold-label{fill:var(--bad)}
.stats{margin:.3em 0 0;color:var(--muted);font-size:.85em;font-variant-numeric:tabular-nums}
.empty{color:var(--muted)}
a{color:var(--golden)}
)css";

std::string FormatMs(double ms) { return fmt::format("{:.3f} ms", ms); }

std::string FormatSeconds(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  if (seconds < 60) return fmt::format("{:.1f} s", seconds);
  auto whole = static_cast<int64_t>(seconds);
  if (whole < 3600) return fmt::format("{}m {:02d}s", whole / 60, whole % 60);
  return fmt::format("{}h {:02d}m {:02d}s", whole / 3600, (whole / 60) % 60, whole % 60);
}

bool Usable(std::optional<double> v) { return v && std::isfinite(*v) && *v >= 0; }

std::string OutcomeBadge(Outcome outcome) {
  return fmt::format(R"(<span class="badge o-{0}">{0}</span>)", OutcomeName(outcome));
}

// Test ids may contain anything, so anchors use the result's position instead.
std::string Anchor(size_t index) { return fmt::format("t{}", index); }

// A text label beside x, flipped to the left in the right half so it stays inside.
std::string SvgLabel(double x, double y, double width, const std::string& css_class,
                     const std::string& text) {
  bool flip = x > width / 2;
  return fmt::format(R"(<text class="{}" x="{:.1f}" y="{:.1f}" text-anchor="{}">{}</text>)",
                     css_class, flip ? x - 4 : x + 4, y, flip ? "end" : "start", Text(text));
}

// One horizontal bar with its measured min, golden and threshold as vertical
// markers, and every sample of the judged measurement as a dot.
std::string BenchmarkChart(const TestResult& result) {
  const TestDefinition& test = *result.test;
  std::optional<double> current = result.current_time_ms;
  std::optional<double> golden = test.golden_time_ms;
  std::optional<double> threshold = result.threshold_ms;
  if (!threshold && golden) threshold = *golden * test.tolerance_factor;
  std::vector<double> samples;
  for (double s : result.benchmark_samples_ms) {
    if (std::isfinite(s) && s >= 0) samples.push_back(s);
  }

  double top = 0;
  for (std::optional<double> v : {current, golden, threshold}) {
    if (Usable(v)) top = std::max(top, *v);
  }
  for (double s : samples) top = std::max(top, s);
  top = top > 0 ? top * 1.15 : 1;  // room right of the largest value

  // About a phone card wide, so 11px text stays 11px there.
  constexpr double kWidth = 340, kPad = 2, kHeight = 92;
  auto x = [&](double v) { return kPad + std::clamp(v / top, 0.0, 1.0) * (kWidth - 2 * kPad); };

  std::string svg = fmt::format(
      R"(<svg class="chart benchmark-chart" data-test="{}" viewBox="0 0 {} {}" role="img" )"
      R"(aria-label="{}">)",
      Attr(test.id), kWidth, kHeight,
      Attr(fmt::format("{}: measured {}, golden {}, threshold {}", test.id,
                       Usable(current) ? FormatMs(*current) : "n/a",
                       Usable(golden) ? FormatMs(*golden) : "n/a",
                       Usable(threshold) ? FormatMs(*threshold) : "n/a")));
  svg += fmt::format(R"(<rect class="track" x="{}" y="24" width="{}" height="26" rx="3"/>)", kPad,
                     kWidth - 2 * kPad);
  std::string value_label;
  if (Usable(current)) {
    bool ok = !Usable(threshold) || *current <= *threshold;
    double end = x(*current);
    svg += fmt::format(
        R"(<rect class="measured {}" x="{}" y="24" width="{:.1f}" height="26" rx="3"/>)",
        ok ? "bar-ok" : "bar-bad", kPad, std::max(end - kPad, 1.0));
    std::string label = "min " + FormatMs(*current);
    // At the bar's start when it is long enough (markers cluster near its end),
    // else just right of it; drawn after the markers, with a halo to stay legible.
    if (end - kPad > 100) {
      value_label = fmt::format(R"(<text class="inbar {}" x="8" y="41">{}</text>)",
                                ok ? "halo-ok" : "halo-bad", Text(label));
    } else {
      value_label = fmt::format(R"(<text class="halo-track" x="{:.1f}" y="41">{}</text>)", end + 6,
                                Text(label));
    }
  } else {
    value_label = R"(<text class="muted" x="8" y="41">no measurement</text>)";
  }
  for (double s : samples) {
    svg += fmt::format(R"(<circle class="sample" cx="{:.1f}" cy="58" r="2.5"/>)", x(s));
  }
  // Golden is labelled above the bar and threshold below, so the two labels
  // never collide even when the tolerance is small.
  if (Usable(golden)) {
    double gx = x(*golden);
    svg += fmt::format(R"(<line class="marker golden" x1="{0:.1f}" y1="16" x2="{0:.1f}" y2="64"/>)",
                       gx);
    svg += SvgLabel(gx, 13, kWidth, "golden-label", "golden " + FormatMs(*golden));
  }
  if (Usable(threshold)) {
    double tx = x(*threshold);
    svg += fmt::format(
        R"(<line class="marker threshold" x1="{0:.1f}" y1="20" x2="{0:.1f}" y2="72"/>)", tx);
    svg += SvgLabel(tx, 84, kWidth, "threshold-label", "threshold " + FormatMs(*threshold));
  }
  if (!Usable(golden) && !Usable(threshold)) {
    svg += R"(<text class="muted" x="8" y="84">no golden time</text>)";
  }
  svg += value_label;
  svg += "</svg>";
  return svg;
}

// A measurement against a reference as a person says it: "12.0% faster than
// golden", "33.3x faster than golden", "4.0% over the threshold", "19.5x the
// threshold"; ratios of 2 or more read better as multiples than as percents.
std::string AgainstGolden(double current, double golden) {
  if (current <= golden) {
    if (current > 0 && golden / current >= 2) {
      return fmt::format("{:.1f}\u00d7 faster than golden", golden / current);
    }
    return fmt::format("{:.1f}% faster than golden", (golden - current) / golden * 100);
  }
  if (current / golden >= 2)
    return fmt::format("{:.1f}\u00d7 slower than golden", current / golden);
  return fmt::format("{:.1f}% slower than golden", (current - golden) / golden * 100);
}

std::string AgainstThreshold(double current, double threshold) {
  if (current <= threshold) {
    return fmt::format("{:.1f}% under the threshold", (threshold - current) / threshold * 100);
  }
  if (current / threshold >= 2)
    return fmt::format("{:.1f}\u00d7 the threshold", current / threshold);
  return fmt::format("{:.1f}% over the threshold", (current - threshold) / threshold * 100);
}

std::string BenchmarkStatsLine(const TestResult& result) {
  const TestDefinition& test = *result.test;
  std::vector<std::string> parts;
  BenchmarkStats stats = ComputeStats(result.benchmark_samples_ms);
  if (stats.count > 0) {
    parts.push_back(fmt::format("{} samples, median {}, cv {:.1f}%", stats.count,
                                FormatMs(stats.median), stats.cv * 100));
  }
  if (result.benchmark_attempts_ms.size() > 1) {
    parts.push_back(fmt::format("{} attempts", result.benchmark_attempts_ms.size()));
  }
  std::optional<double> threshold = result.threshold_ms;
  if (!threshold && test.golden_time_ms) threshold = *test.golden_time_ms * test.tolerance_factor;
  if (Usable(result.current_time_ms) && test.golden_time_ms && *test.golden_time_ms > 0) {
    parts.push_back(AgainstGolden(*result.current_time_ms, *test.golden_time_ms));
  }
  if (Usable(result.current_time_ms) && threshold && *threshold > 0) {
    parts.push_back(AgainstThreshold(*result.current_time_ms, *threshold));
  }
  parts.push_back(fmt::format("tolerance \u00d7{}", test.tolerance_factor));
  std::string line;
  for (const std::string& part : parts) line += (line.empty() ? "" : " \u00b7 ") + part;
  return Text(line);
}

// One compstat row: golden as a thin bar, current as a thick one, both on the
// row's own scale, with the ratio spelled out on the right.
std::string CompstatRow(double y, const char* what, std::optional<int64_t> current,
                        std::optional<int64_t> golden, bool bytes) {
  constexpr double kBarsWidth = 180, kLabelX = 190;
  auto show = [&](int64_t v) { return bytes ? FormatBytes(v) : fmt::format("{}", v); };
  std::string out = fmt::format(R"(<text x="0" y="{:.0f}">{}</text>)", y + 10, what);
  double top = 0;
  if (current && *current > 0) top = std::max(top, static_cast<double>(*current));
  if (golden && *golden > 0) top = std::max(top, static_cast<double>(*golden));
  auto w = [&](int64_t v) {
    return top > 0 ? std::max(1.0, static_cast<double>(std::max<int64_t>(v, 0)) / top * kBarsWidth)
                   : 1.0;
  };
  out += fmt::format(R"(<rect class="track" x="0" y="{:.0f}" width="{}" height="24" rx="2"/>)",
                     y + 15, kBarsWidth);
  if (golden) {
    out += fmt::format(
        R"(<rect class="bar-golden" x="0" y="{:.0f}" width="{:.1f}" height="7" rx="2"/>)", y + 15,
        w(*golden));
    out += fmt::format(R"(<text class="muted" x="{}" y="{:.0f}">golden {}</text>)", kLabelX, y + 22,
                       Text(show(*golden)));
  } else {
    out +=
        fmt::format(R"(<text class="muted" x="{}" y="{:.0f}">no golden</text>)", kLabelX, y + 22);
  }
  if (current) {
    bool ok = !golden || *current <= *golden;
    out += fmt::format(R"(<rect class="{}" x="0" y="{:.0f}" width="{:.1f}" height="14" rx="2"/>)",
                       ok ? "bar-ok" : "bar-bad", y + 24, w(*current));
    std::string label = "now " + show(*current);
    if (golden && *golden > 0) {
      double percent = static_cast<double>(*current) / static_cast<double>(*golden) * 100;
      label += fmt::format(" \u00b7 {:.1f}%", percent);
    }
    out += fmt::format(R"(<text x="{}" y="{:.0f}">{}</text>)", kLabelX, y + 36, Text(label));
  } else {
    out += fmt::format(R"(<text class="muted" x="{}" y="{:.0f}">not measured</text>)", kLabelX,
                       y + 36);
  }
  return out;
}

std::string CompstatChart(const TestResult& result) {
  const TestDefinition& test = *result.test;
  std::string svg = fmt::format(
      R"(<svg class="chart compstat-chart" data-test="{}" viewBox="0 0 340 92" role="img" )"
      R"(aria-label="{}">)",
      Attr(test.id), Attr(test.id + ": dispatch count and binary size against golden"));
  svg += CompstatRow(0, "dispatches", result.dispatch_count, test.golden_dispatch_count, false);
  svg += CompstatRow(48, "binary size", result.binary_size, test.golden_binary_size, true);
  svg += "</svg>";
  return svg;
}

// "headroom 8.0%" / "over by 5.0%" of one compstat measure, "" when unknown.
std::string Headroom(const char* what, std::optional<int64_t> current,
                     std::optional<int64_t> golden) {
  if (!current || !golden || *golden <= 0) return "";
  double headroom = static_cast<double>(*golden - *current) / static_cast<double>(*golden) * 100;
  if (headroom >= 0) return fmt::format("{} {:.1f}% under golden", what, headroom);
  return fmt::format("{} {:.1f}% over golden", what, -headroom);
}

std::string ChartCard(size_t index, const TestResult& result, const std::string& chart,
                      const std::string& stats) {
  return fmt::format(R"(<div class="card" id="{}"><h3>{} {}</h3>{}<p class="stats">{}</p></div>)"
                     "\n",
                     Anchor(index), OutcomeBadge(result.outcome), Text(result.test->id), chart,
                     stats);
}

// An absolute path as a link target: no scheme (a file:// page resolves it to
// the file), every byte outside a safe set percent-encoded.
std::string FileHref(const std::filesystem::path& path) {
  std::string href;
  for (unsigned char c : path.string()) {
    if (std::isalnum(c) ||
        std::string_view("/._~-+").find(static_cast<char>(c)) != std::string_view::npos) {
      href += static_cast<char>(c);
    } else {
      href += fmt::format("%{:02X}", c);
    }
  }
  return href;
}

std::string FailureCard(size_t index, const TestResult& result) {
  std::string out = fmt::format(R"(<div class="card failure" id="f{}"><h3>{} {}</h3>)", index,
                                OutcomeBadge(result.outcome), Text(result.test->id));
  out += fmt::format(R"(<pre class="reason">{}</pre>)",
                     Text(result.reason.empty() ? "(no reason recorded)" : result.reason));
  if (!result.repros.empty()) {
    // No copy button (the page has no script): a click selects a whole command.
    out += R"(<div class="label">Reproduce with (a click selects a whole command)</div>)"
           R"(<pre class="repro">)";
    for (size_t i = 0; i < result.repros.size(); ++i) {
      // Newlines between the commands, so that copying the whole block keeps them apart.
      out += (i ? "\n<code>" : "<code>") + Text(result.repros[i].ToShellLine()) + "</code>";
    }
    out += "</pre>";
  }
  if (!result.logs.empty()) {
    out += R"(<div class="label">Logs</div><pre class="logs">)";
    for (size_t i = 0; i < result.logs.size(); ++i) {
      out += fmt::format(R"({}<a href="{}">{}</a>)", i ? "\n" : "", FileHref(result.logs[i]),
                         Text(result.logs[i].string()));
    }
    out += "</pre>";
  }
  if (!result.output_tail.empty()) {
    out += R"(<div class="label">Output tail</div><pre class="output">)" +
           Text(result.output_tail) + "</pre>";
  }
  out += "</div>\n";
  return out;
}

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string SummaryHeader(const std::vector<TestResult>& results, const HtmlReportInfo& info) {
  std::string html = "<header id=\"summary\">\n<h1>iree-suite report</h1>\n<div class=\"meta\">";
  html += "<span>markers: <b>" +
          Text(info.marker_expression.empty() ? "(none)" : info.marker_expression) + "</b></span>";
  html += "<span>total time: <b>" + Text(FormatSeconds(info.total_seconds)) + "</b></span>";
  if (!info.start_time.empty())
    html += "<span>started: <b>" + Text(info.start_time) + "</b></span>";
  if (!info.iree_suite_version.empty()) {
    html += "<span>iree-suite <b>" + Text(info.iree_suite_version) + "</b></span>";
  }
  html += "</div>\n<div class=\"counts\">";
  html += fmt::format(R"(<span class="pill count-total">tests <b>{}</b></span>)", results.size());
  for (Outcome outcome : kOutcomes) {
    auto count = std::count_if(results.begin(), results.end(),
                               [&](const TestResult& r) { return r.outcome == outcome; });
    html += fmt::format(R"(<span class="pill count-{0}"><span class="badge o-{0}">{0}</span> )"
                        R"(<b>{1}</b></span>)",
                        OutcomeName(outcome), count);
  }
  return html + "</div>\n</header>\n";
}

// Failures first: they are what a reader opens the report for.
std::string FailuresSection(const std::vector<TestResult>& results) {
  std::string html = "<section id=\"failures\">\n<h2>Failures</h2>\n";
  bool any_failure = false;
  for (size_t i = 0; i < results.size(); ++i) {
    if (!IsFailure(results[i].outcome)) continue;
    any_failure = true;
    html += FailureCard(i, results[i]);
  }
  if (!any_failure) html += "<p class=\"empty\">No failures.</p>\n";
  return html + "</section>\n";
}

// The chart cards of one kind of test, `card(i, result)` each, in a section.
std::string ChartSection(const std::vector<TestResult>& results, TestKind kind,
                         const std::string& head, const std::string& empty,
                         const std::function<std::string(size_t, const TestResult&)>& card) {
  std::string html = head + "<div class=\"charts\">\n";
  bool any = false;
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].test->kind != kind) continue;
    any = true;
    html += card(i, results[i]);
  }
  html += "</div>\n";
  if (!any) html += "<p class=\"empty\">" + empty + "</p>\n";
  return html + "</section>\n";
}

std::string CompstatStatsLine(const TestResult& result) {
  std::string stats;
  for (const std::string& part :
       {Headroom("dispatches", result.dispatch_count, result.test->golden_dispatch_count),
        Headroom("binary size", result.binary_size, result.test->golden_binary_size)}) {
    if (!part.empty()) stats += (stats.empty() ? "" : " \u00b7 ") + part;
  }
  if (result.binary_size) {
    stats += fmt::format("{}{} bytes", stats.empty() ? "" : " \u00b7 ", *result.binary_size);
  }
  return Text(stats);
}

// Every test, for the ones without a chart and for sorting by eye.
// Radio buttons that show only the rows of one outcome or one kind: plain CSS
// (:has), so the page stays without scripts.
std::string ResultFilters() {
  std::string css, inputs = R"(<div class="filters">)";
  auto add = [&](const std::string& group, const std::string& value) {
    const std::string id = fmt::format("filter-{}-{}", group, value);
    inputs += fmt::format(
        R"(<label><input type="radio" name="filter-{0}" id="{1}"{2}> {3}</label>)", group, id,
        value == "all" ? " checked" : "", value == "all" ? "all " + group + "s" : value);
    if (value != "all") {
      css += fmt::format("#results:has(#{0}:checked) tbody tr:not(.{1}-{2}){{display:none}}", id,
                         group == "outcome" ? "row" : "kind", value);
    }
  };
  add("outcome", "all");
  for (Outcome outcome : kOutcomes) add("outcome", OutcomeName(outcome));
  add("kind", "all");
  for (TestKind kind : {TestKind::kQuality, TestKind::kBenchmark, TestKind::kCompstat}) {
    add("kind", TestKindName(kind));
  }
  return "<style>" + css + "</style>" + inputs + "</div>\n";
}

// The orders the table can be sorted in, each a rank per result: slowest first, failures
// first, by name. The rows carry their ranks and a checked radio button makes them the rows'
// CSS `order` (the table is a grid), so sorting needs no script either.
// A result's duration as the table shows it (a NaN would break the sort's ordering).
double Seconds(const TestResult& result) {
  return std::isfinite(result.duration_s) ? result.duration_s : 0.0;
}

struct SortOrder {
  const char* name;
  const char* label;
  std::function<bool(const TestResult&, const TestResult&)> before;
};

const std::vector<SortOrder>& SortOrders() {
  static const std::vector<SortOrder> orders = {
      {"duration", "slowest first",
       [](const TestResult& a, const TestResult& b) { return Seconds(a) > Seconds(b); }},
      {"outcome", "failures first",
       [](const TestResult& a, const TestResult& b) {
         return IsFailure(a.outcome) && !IsFailure(b.outcome);
       }},
      {"name", "name",
       [](const TestResult& a, const TestResult& b) { return a.test->id < b.test->id; }}};
  return orders;
}

// The `style` of each result's row: its rank in every sort order.
std::vector<std::string> SortRanks(const std::vector<TestResult>& results) {
  std::vector<std::string> styles(results.size());
  for (const SortOrder& order : SortOrders()) {
    std::vector<size_t> indices(results.size());
    for (size_t i = 0; i < indices.size(); ++i) indices[i] = i;
    std::stable_sort(indices.begin(), indices.end(),
                     [&](size_t a, size_t b) { return order.before(results[a], results[b]); });
    for (size_t rank = 0; rank < indices.size(); ++rank) {
      styles[indices[rank]] += fmt::format("--by-{}:{};", order.name, rank);
    }
  }
  return styles;
}

std::string ResultSorts() {
  std::string css, inputs = R"(<div class="filters">sort: )";
  inputs += R"(<label><input type="radio" name="sort" id="sort-run" checked> run order</label>)";
  for (const SortOrder& order : SortOrders()) {
    inputs += fmt::format(R"(<label><input type="radio" name="sort" id="sort-{}"> {}</label>)",
                          order.name, order.label);
    css += fmt::format("#results:has(#sort-{0}:checked) td{{order:var(--by-{0})}}", order.name);
  }
  return "<style>" + css + "</style>" + inputs + "</div>\n";
}

std::string ResultsTable(const std::vector<TestResult>& results) {
  std::string html = "<section id=\"results\">\n<h2>All tests</h2>\n" + ResultFilters() +
                     ResultSorts() + "<div class=\"scroll\"><table>\n";
  html +=
      "<thead><tr><th>Test</th><th>Kind</th><th>Outcome</th><th class=\"num\">Duration</th>"
      "<th>Reason</th></tr></thead>\n<tbody>\n";
  const std::vector<std::string> ranks = SortRanks(results);
  for (size_t i = 0; i < results.size(); ++i) {
    const TestResult& result = results[i];
    html += fmt::format(
        "<tr class=\"row-{} kind-{}\" style=\"{}\"><td>{}</td><td>{}</td><td>{}</td>"
        "<td class=\"num\">{:.2f} s</td><td class=\"reason\">{}</td></tr>\n",
        OutcomeName(result.outcome), TestKindName(result.test->kind), ranks[i],
        Text(result.test->id), TestKindName(result.test->kind), OutcomeBadge(result.outcome),
        Seconds(result), Text(FirstLine(result.reason)));
  }
  return html + "</tbody>\n</table></div>\n</section>\n";
}

}  // namespace

std::string RenderHtmlReport(const std::vector<TestResult>& results, const HtmlReportInfo& info) {
  std::string html;
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<meta name=\"color-scheme\" content=\"light dark\">\n";
  html += "<title>" +
          Text("iree-suite report" +
               (info.marker_expression.empty() ? "" : " \u2014 " + info.marker_expression)) +
          "</title>\n<style>" + kStyle + kTrendCss + "</style>\n</head>\n<body>\n<main>\n";
  html += SummaryHeader(results, info);
  html += FailuresSection(results);
  html += ChartSection(results, TestKind::kBenchmark,
                       "<section id=\"benchmarks\">\n<h2>Benchmarks</h2>\n", "No benchmark tests.",
                       [&](size_t i, const TestResult& result) {
                         auto trend = info.trends.find(result.test->id);
                         std::string chart = BenchmarkChart(result);
                         if (trend != info.trends.end()) chart += trend->second;
                         return ChartCard(i, result, chart, BenchmarkStatsLine(result));
                       });
  html += ChartSection(
      results, TestKind::kCompstat, "<section id=\"compstats\">\n<h2>Compilation statistics</h2>\n",
      "No compstat tests.", [](size_t i, const TestResult& result) {
        return ChartCard(i, result, CompstatChart(result), CompstatStatsLine(result));
      });
  html += ResultsTable(results);
  return html + "</main>\n</body>\n</html>\n";
}

Status WriteHtmlReport(const std::filesystem::path& path, const std::vector<TestResult>& results,
                       const HtmlReportInfo& info) {
  return WriteFileAtomically(path, RenderHtmlReport(results, info));
}

}  // namespace iree_suite
