#include "report/html_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "result_fixture.h"

namespace iree_suite {
namespace {

class HtmlReportTest : public ResultFixture {
 protected:
  // A benchmark 12.5 ms against golden 10 ms and threshold 11 ms, failed.
  TestResult SlowBenchmark() {
    TestDefinition* test = Define("bench/slow.json", TestKind::kBenchmark);
    test->golden_time_ms = 10.0;
    test->tolerance_factor = 1.1;
    TestResult result = Result(test, Outcome::kFailed);
    result.benchmark_samples_ms = {12.5, 12.75, 13.0};
    result.benchmark_attempts_ms = {12.5};
    result.current_time_ms = 12.5;
    result.threshold_ms = 11.0;
    result.reason = "12.500 ms exceeds the threshold 11.000 ms";
    return result;
  }
};

// The text between the first `open` at or after `from` and the next `close`.
std::string Between(const std::string& text, const std::string& open, const std::string& close,
                    size_t from = 0) {
  size_t start = text.find(open, from);
  if (start == std::string::npos) return "";
  size_t end = text.find(close, start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

TEST_F(HtmlReportTest, IsACompleteSelfContainedPage) {
  HtmlReportInfo info;
  info.marker_expression = "cpu and not benchmark";
  info.total_seconds = 83.4;
  info.iree_suite_version = "0.1.0";
  info.start_time = "2025-01-31T12:00:00Z";
  std::vector<TestResult> results = {
      Result(Define("q.json", TestKind::kQuality), Outcome::kPassed),
      Result(Define("s.json", TestKind::kQuality), Outcome::kSkipped),
  };
  std::string html = RenderHtmlReport(results, info);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"),
            std::string::npos);
  EXPECT_NE(html.find("@media (prefers-color-scheme:dark)"), std::string::npos);
  EXPECT_NE(html.find("overflow-x:auto"), std::string::npos);  // wide tables scroll
  EXPECT_NE(html.find("</html>\n"), std::string::npos);
  // Nothing is loaded from anywhere: no links, sources, scripts or URLs.
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  // Summary header.
  EXPECT_NE(html.find("cpu and not benchmark"), std::string::npos);
  EXPECT_NE(html.find("1m 23s"), std::string::npos);
  EXPECT_NE(html.find("2025-01-31T12:00:00Z"), std::string::npos);
  EXPECT_NE(
      html.find(
          R"(<span class="pill count-passed"><span class="badge o-passed">passed</span> <b>1</b>)"),
      std::string::npos);
  EXPECT_NE(
      html.find(
          R"(<span class="pill count-skipped"><span class="badge o-skipped">skipped</span> <b>1</b>)"),
      std::string::npos);
  EXPECT_NE(
      html.find(
          R"(<span class="pill count-failed"><span class="badge o-failed">failed</span> <b>0</b>)"),
      std::string::npos);
  EXPECT_NE(html.find("<section id=\"failures\">"), std::string::npos);
  EXPECT_NE(html.find("No failures."), std::string::npos);
}

TEST_F(HtmlReportTest, EscapesUserTextAndReplacesInvalidUtf8) {
  TestResult result = Result(Define("evil<b>&\".json", TestKind::kQuality), Outcome::kError);
  result.reason = "boom <script>alert(1)</script> https://example.com/x \xff\xfe end";
  result.output_tail = "</pre><img src=x onerror=alert(1)>";
  result.repros = {{"/tmp/a b", {"iree-run-module", "--input=<x>"}}};
  std::string html = RenderHtmlReport({result}, {});
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("boom &lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(html.find("evil&lt;b&gt;&amp;&quot;.json"), std::string::npos);
  EXPECT_EQ(html.find("evil<b>"), std::string::npos);
  EXPECT_NE(html.find("\xef\xbf\xbd\xef\xbf\xbd end"), std::string::npos);  // U+FFFD twice
  EXPECT_EQ(html.find('\xff'), std::string::npos);
  // The only URL is the escaped one from the reason, and nothing points at it.
  std::regex outside(R"((src|href)\s*=\s*["']?[a-z]+:)", std::regex::icase);
  EXPECT_FALSE(std::regex_search(html, outside));
}

TEST_F(HtmlReportTest, BenchmarkChartHasMeasuredGoldenAndThreshold) {
  std::string html = RenderHtmlReport({SlowBenchmark()}, {});
  std::string svg = Between(html, "<svg class=\"chart benchmark-chart\"", "</svg>");
  ASSERT_FALSE(svg.empty()) << html;
  EXPECT_NE(svg.find("data-test=\"bench/slow.json\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"measured bar-bad\""), std::string::npos);  // over the threshold
  EXPECT_NE(svg.find("min 12.500 ms"), std::string::npos);
  EXPECT_NE(svg.find("class=\"marker golden\""), std::string::npos);
  EXPECT_NE(svg.find("golden 10.000 ms"), std::string::npos);
  EXPECT_NE(svg.find("class=\"marker threshold\""), std::string::npos);
  EXPECT_NE(svg.find("threshold 11.000 ms"), std::string::npos);
  size_t samples = 0;
  for (size_t at = svg.find("class=\"sample\""); at != std::string::npos;
       at = svg.find("class=\"sample\"", at + 1)) {
    ++samples;
  }
  EXPECT_EQ(samples, 3u);
  // Markers are ordered golden < threshold < measured along the axis.
  auto x_of = [&](const std::string& marker) {
    std::string open = "class=\"marker " + marker + "\" x1=\"";
    size_t at = svg.find(open);
    return at == std::string::npos ? -1.0 : std::stod(svg.substr(at + open.size()));
  };
  EXPECT_LT(x_of("golden"), x_of("threshold"));
  EXPECT_NE(html.find("25.0% slower than golden"), std::string::npos);
  EXPECT_NE(html.find("13.6% over the threshold"), std::string::npos);
}

TEST_F(HtmlReportTest, BenchmarkWithoutMeasurementStillHasAChart) {
  TestDefinition* test = Define("bench/skipped.json", TestKind::kBenchmark);
  test->golden_time_ms = 4.0;
  std::string html = RenderHtmlReport({Result(test, Outcome::kSkipped)}, {});
  std::string svg = Between(html, "<svg class=\"chart benchmark-chart\"", "</svg>");
  ASSERT_FALSE(svg.empty());
  EXPECT_NE(svg.find("no measurement"), std::string::npos);
  EXPECT_NE(svg.find("golden 4.000 ms"), std::string::npos);
  EXPECT_NE(svg.find("threshold 4.400 ms"), std::string::npos);  // from the definition
}

TEST_F(HtmlReportTest, CompstatChartShowsCurrentAgainstGolden) {
  TestDefinition* test = Define("mlp/compstat.json", TestKind::kCompstat);
  test->golden_dispatch_count = 10;
  test->golden_binary_size = 8192;
  TestResult result = Result(test, Outcome::kFailed);
  result.dispatch_count = 12;
  result.binary_size = 4096;
  std::string html = RenderHtmlReport({result}, {});
  std::string svg = Between(html, "<svg class=\"chart compstat-chart\"", "</svg>");
  ASSERT_FALSE(svg.empty()) << html;
  EXPECT_NE(svg.find("data-test=\"mlp/compstat.json\""), std::string::npos);
  EXPECT_NE(svg.find("golden 10<"), std::string::npos);
  EXPECT_NE(svg.find("now 12 \u00b7 120.0%"), std::string::npos);
  EXPECT_NE(svg.find("golden 8.0 KiB"), std::string::npos);
  EXPECT_NE(svg.find("now 4.0 KiB \u00b7 50.0%"), std::string::npos);
  EXPECT_NE(svg.find("bar-bad"), std::string::npos);  // dispatches over golden
  EXPECT_NE(svg.find("bar-ok"), std::string::npos);   // binary size under golden
  EXPECT_NE(html.find("dispatches 20.0% over golden"), std::string::npos);
  EXPECT_NE(html.find("binary size 50.0% under golden"), std::string::npos);
}

TEST_F(HtmlReportTest, FailuresSectionHasReasonAndRepros) {
  TestResult failed = SlowBenchmark();
  failed.repros = {{"/work/art", {"iree-benchmark-module", "--module=a b.vmfb"}},
                   {"/work/art", {"iree-compile", "x.mlir"}}};
  failed.logs = {"/work/art/bench.log"};
  failed.output_tail = "last line of output";
  TestResult xpassed = Result(Define("op/x.json", TestKind::kQuality), Outcome::kXPassed);
  xpassed.reason = "passed although expected to fail";
  TestResult xfailed = Result(Define("op/xf.json", TestKind::kQuality), Outcome::kXFailed);
  xfailed.reason = "expected compile failure";
  std::string html = RenderHtmlReport({failed, xpassed, xfailed}, {});
  std::string failures = Between(html, "<section id=\"failures\">", "</section>");
  ASSERT_FALSE(failures.empty());
  EXPECT_NE(failures.find("12.500 ms exceeds the threshold 11.000 ms"), std::string::npos);
  std::string repro = Between(failures, "<pre class=\"repro\">", "</pre>");
  EXPECT_NE(repro.find(failed.repros[0].ToShellLine().substr(0, 10)), std::string::npos);
  EXPECT_NE(
      repro.find("cd /work/art &amp;&amp; iree-benchmark-module &apos;--module=a b.vmfb&apos;"),
      std::string::npos)
      << repro;
  EXPECT_NE(repro.find("iree-compile x.mlir"), std::string::npos);
  // One element per command (a click selects it whole), a newline between them (copying the
  // whole block keeps them apart).
  EXPECT_NE(repro.find("b.vmfb&apos;</code>\n<code>cd /work/art &amp;&amp; iree-compile"),
            std::string::npos)
      << repro;
  EXPECT_NE(failures.find("/work/art/bench.log"), std::string::npos);
  EXPECT_NE(failures.find("last line of output"), std::string::npos);
  // An unexpected pass is a failure; an expected failure is not.
  EXPECT_NE(failures.find("op/x.json"), std::string::npos);
  EXPECT_EQ(failures.find("op/xf.json"), std::string::npos);
  EXPECT_EQ(failures.find("No failures."), std::string::npos);
  EXPECT_NE(
      html.find(
          R"(<span class="pill count-xfailed"><span class="badge o-xfailed">xfailed</span> <b>1</b>)"),
      std::string::npos);
}

// Each row carries its rank in every sort order; run order differs from all three here.
TEST_F(HtmlReportTest, RowsCarryTheirRankInEachSortOrder) {
  TestResult b = Result(Define("b.json", TestKind::kQuality), Outcome::kPassed);
  b.duration_s = 1;
  TestResult c = Result(Define("c.json", TestKind::kQuality), Outcome::kFailed);
  c.duration_s = 3;
  TestResult a = Result(Define("a.json", TestKind::kQuality), Outcome::kPassed);
  a.duration_s = 2;
  const std::string html = RenderHtmlReport({b, c, a}, {});
  const std::string rows = Between(html, "<tbody>", "</tbody>");
  EXPECT_NE(rows.find(R"(style="--by-duration:2;--by-outcome:1;--by-name:1;"><td>b.json)"),
            std::string::npos)
      << rows;
  EXPECT_NE(rows.find(R"(style="--by-duration:0;--by-outcome:0;--by-name:2;"><td>c.json)"),
            std::string::npos)
      << rows;
  EXPECT_NE(rows.find(R"(style="--by-duration:1;--by-outcome:2;--by-name:0;"><td>a.json)"),
            std::string::npos)
      << rows;
  EXPECT_NE(html.find("#results:has(#sort-name:checked) td{order:var(--by-name)}"),
            std::string::npos);
}

TEST_F(HtmlReportTest, WriteHtmlReportWritesTheRenderedPage) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("html_report_test." + std::to_string(getpid()));
  std::filesystem::path path = dir / "sub" / "report.html";
  std::vector<TestResult> results = {SlowBenchmark()};
  HtmlReportInfo info;
  info.marker_expression = "benchmark";
  ASSERT_TRUE(WriteHtmlReport(path, results, info));
  std::ifstream in(path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  EXPECT_EQ(contents.str(), RenderHtmlReport(results, info));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace iree_suite
