#include "report/job_summary.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <deque>
#include <fstream>
#include <sstream>

#include "base/atomic_file.h"
#include "result_fixture.h"

namespace iree_suite {
namespace {

// Expected tables below were rendered once with Python's
// tabulate(rows, headers, tablefmt="github") (tabulate 0.10.0).

class JobSummaryTest : public ResultFixture {
 protected:
};

TEST_F(JobSummaryTest, QualityTableMarkdown) {
  std::vector<TestResult> results = {
      Result(Define("sdxl/clip_quality_cpu.json", TestKind::kQuality), Outcome::kPassed),
      Result(Define("llama/q.json", TestKind::kQuality), Outcome::kFailed),
      Result(Define("s.json", TestKind::kQuality), Outcome::kSkipped),
  };
  EXPECT_EQ(RenderJobSummaryMarkdown("cpu", BuildSummaryTables(results)),
            "# Job Summary For Markers: cpu\n"
            "\n"
            "## Quality Test Summary\n"
            "\n"
            "| Name                       | Status   |\n"
            "|----------------------------|----------|\n"
            "| sdxl/clip_quality_cpu.json | PASSED   |\n"
            "| llama/q.json               | FAILED   |\n"
            "| s.json                     | SKIPPED  |\n"
            "\n");
}

TEST_F(JobSummaryTest, LineBreaksAndBarsInIdsStayInTheirCell) {
  std::vector<TestResult> results = {
      Result(Define("a\nb.json", TestKind::kQuality), Outcome::kPassed),
      Result(Define("ops/x::cpu|\r\nsync", TestKind::kQuality), Outcome::kFailed),
  };
  EXPECT_EQ(RenderJobSummaryMarkdown("cpu\nor gpu", BuildSummaryTables(results)),
            "# Job Summary For Markers: cpu\\nor gpu\n"
            "\n"
            "## Quality Test Summary\n"
            "\n"
            "| Name                 | Status   |\n"
            "|----------------------|----------|\n"
            "| a\\nb.json            | PASSED   |\n"
            "| ops/x::cpu\\|\\r\\nsync | FAILED   |\n"
            "\n");
}

TEST_F(JobSummaryTest, EmptyMarkerExpressionAndNoResults) {
  EXPECT_EQ(RenderJobSummaryMarkdown("", BuildSummaryTables({})),
            "# Job Summary For Markers: \n\n");
  EXPECT_EQ(RenderJobSummaryJson(BuildSummaryTables({})).dump(), "{}");
}

TEST_F(JobSummaryTest, ErrorIsReportedAsFailed) {
  std::vector<TestResult> results = {Result(Define("q.json", TestKind::kQuality), Outcome::kError)};
  auto tables = BuildSummaryTables(results);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].second.rows[0][1], "FAILED");
}

TEST_F(JobSummaryTest, BenchmarkWithNotAvailableCellsKeepsStringColumnsLeftAligned) {
  TestDefinition* a = Define("bench/a.json", TestKind::kBenchmark);
  a->golden_time_ms = 15.5;
  a->tolerance_factor = 1.1;
  TestResult ra = Result(a, Outcome::kPassed);
  ra.current_time_ms = 12.3456;
  ra.threshold_ms = 17.05;
  TestDefinition* b = Define("bench/b.json", TestKind::kBenchmark);
  b->tolerance_factor = 1.25;
  TestResult rb = Result(b, Outcome::kSkipped);

  auto tables = BuildSummaryTables({ra, rb});
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].first, "benchmark");
  EXPECT_EQ(RenderGithubTable(tables[0].second),
            "| Name         | Current Time (ms)   | Golden Time (ms)   |   Tolerance Factor "
            "| Threshold (ms)   | Status   |\n"
            "|--------------|---------------------|--------------------|--------------------"
            "|------------------|----------|\n"
            "| bench/a.json | 12.346              | 15.500             |               1.1  "
            "| 17.050           | PASSED   |\n"
            "| bench/b.json | N/A                 | N/A                |               1.25 "
            "| N/A              | SKIPPED  |");
}

TEST_F(JobSummaryTest, BenchmarkNumericColumnsAreReformattedLikeTabulate) {
  // Without an "N/A", tabulate parses the "%.3f" strings as numbers, prints
  // them with "g" and aligns decimal points; the JSON keeps the strings.
  TestDefinition* a = Define("bench/a.json", TestKind::kBenchmark);
  a->golden_time_ms = 15.5;
  TestResult ra = Result(a, Outcome::kPassed);
  ra.current_time_ms = 12.3456;
  ra.threshold_ms = 17.05;
  TestDefinition* b = Define("bench/long_name.json", TestKind::kBenchmark);
  b->golden_time_ms = 100;
  b->tolerance_factor = 2.0;
  TestResult rb = Result(b, Outcome::kFailed);
  rb.current_time_ms = 1234.5678;  // threshold comes from the definition

  auto tables = BuildSummaryTables({ra, rb});
  EXPECT_EQ(
      RenderGithubTable(tables[0].second),
      "| Name                 |   Current Time (ms) |   Golden Time (ms) |   Tolerance Factor "
      "|   Threshold (ms) | Status   |\n"
      "|----------------------|---------------------|--------------------|--------------------"
      "|------------------|----------|\n"
      "| bench/a.json         |              12.346 |               15.5 |                1.1 "
      "|            17.05 | PASSED   |\n"
      "| bench/long_name.json |            1234.57  |              100   |                2   "
      "|           200    | FAILED   |");
  EXPECT_EQ(tables[0].second.rows[1][1], "1234.568");
  EXPECT_EQ(tables[0].second.rows[1][4], "200.000");
}

TEST_F(JobSummaryTest, CompstatMixesIntegersAndNotAvailable) {
  TestDefinition* x = Define("c/x.json", TestKind::kCompstat);
  x->golden_dispatch_count = 12;
  TestResult rx = Result(x, Outcome::kPassed);
  rx.dispatch_count = 11;
  rx.binary_size = 123456;
  TestDefinition* y = Define("c/y.json", TestKind::kCompstat);
  y->golden_binary_size = 1000;
  TestResult ry = Result(y, Outcome::kFailed);

  auto tables = BuildSummaryTables({rx, ry});
  EXPECT_EQ(RenderGithubTable(tables[0].second),
            "| Name     | Golden Dispatch Count   | Current Dispatch Count   "
            "| Golden Binary Size (bytes)   | Current Binary Size (bytes)   | Status   |\n"
            "|----------|-------------------------|--------------------------"
            "|------------------------------|-------------------------------|----------|\n"
            "| c/x.json | 12                      | 11                       "
            "| N/A                          | 123456                        | PASSED   |\n"
            "| c/y.json | N/A                     | N/A                      "
            "| 1000                         | N/A                           | FAILED   |");
}

TEST_F(JobSummaryTest, GithubTableNumberFormattingEdgeCases) {
  EXPECT_EQ(RenderGithubTable({{"X", "F"}, {{"a", 1e16}, {"b", 0.5}, {"c", 1.0}}}),
            "| X   |     F |\n"
            "|-----|-------|\n"
            "| a   | 1e+16 |\n"
            "| b   | 0.5   |\n"
            "| c   | 1     |");
  // A string column prints floats as Python's str() does.
  EXPECT_EQ(RenderGithubTable({{"X", "F"}, {{"a", 1e16}, {"b", 0.5}, {"c", "N/A"}}}),
            "| X   | F     |\n"
            "|-----|-------|\n"
            "| a   | 1e+16 |\n"
            "| b   | 0.5   |\n"
            "| c   | N/A   |");
  EXPECT_EQ(RenderGithubTable({{"X", "F"}, {{"a", "inf"}, {"b", "2.5"}, {"c", "nan"}}}),
            "| X   |     F |\n"
            "|-----|-------|\n"
            "| a   | inf   |\n"
            "| b   |   2.5 |\n"
            "| c   | nan   |");
  // Width counts code points, not bytes; string cells are stripped.
  EXPECT_EQ(RenderGithubTable({{"\xc3\x9c", "Y"}, {{"\xc3\xa9", " x "}}}),
            "| \xc3\x9c   | Y   |\n"
            "|-----|-----|\n"
            "| \xc3\xa9   | x   |");
}

TEST_F(JobSummaryTest, KindsInOrderOfFirstAppearance) {
  const TestDefinition* c = Define("c.json", TestKind::kCompstat);
  const TestDefinition* q = Define("q.json", TestKind::kQuality);
  const TestDefinition* b = Define("b.json", TestKind::kBenchmark);
  auto tables = BuildSummaryTables({Result(c, Outcome::kPassed), Result(q, Outcome::kPassed),
                                    Result(c, Outcome::kFailed), Result(b, Outcome::kSkipped)});
  ASSERT_EQ(tables.size(), 3u);
  EXPECT_EQ(tables[0].first, "compstat");
  EXPECT_EQ(tables[0].second.rows.size(), 2u);
  EXPECT_EQ(tables[1].first, "quality");
  EXPECT_EQ(tables[2].first, "benchmark");

  std::string markdown = RenderJobSummaryMarkdown("a or b", tables);
  size_t compstat = markdown.find("## Compstat Test Summary\n\n| Name");
  size_t quality = markdown.find("## Quality Test Summary\n\n| Name");
  size_t benchmark = markdown.find("## Benchmark Test Summary\n\n| Name");
  ASSERT_NE(compstat, std::string::npos);
  ASSERT_NE(quality, std::string::npos);
  ASSERT_NE(benchmark, std::string::npos);
  EXPECT_LT(compstat, quality);
  EXPECT_LT(quality, benchmark);
  EXPECT_EQ(markdown.substr(markdown.size() - 3), "|\n\n");

  // JSON keeps the same order, as Python's dict does.
  nlohmann::ordered_json json = RenderJobSummaryJson(tables);
  std::vector<std::string> keys;
  for (const auto& item : json.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"compstat", "quality", "benchmark"}));
}

TEST_F(JobSummaryTest, JsonStructureAndValueTypes) {
  TestDefinition* b = Define("bench/b.json", TestKind::kBenchmark);
  b->golden_time_ms = 2;
  TestResult rb = Result(b, Outcome::kPassed);
  rb.current_time_ms = 1.5;
  rb.threshold_ms = 2.2;
  TestDefinition* c = Define("c.json", TestKind::kCompstat);
  c->golden_dispatch_count = 3;
  TestResult rc = Result(c, Outcome::kPassed);
  rc.dispatch_count = 3;

  nlohmann::ordered_json json = RenderJobSummaryJson(BuildSummaryTables({rb, rc}));
  EXPECT_EQ(json["benchmark"]["headers"],
            nlohmann::ordered_json({"Name", "Current Time (ms)", "Golden Time (ms)",
                                    "Tolerance Factor", "Threshold (ms)", "Status"}));
  const auto& row = json["benchmark"]["rows"][0];
  EXPECT_EQ(row, nlohmann::ordered_json::parse(
                     R"(["bench/b.json", "1.500", "2.000", "1.1", "2.200", "PASSED"])"));
  EXPECT_TRUE(row[3].is_string());  // the reference's f"{self.tolerance_factor}"

  EXPECT_EQ(json["compstat"]["headers"].size(), 6u);
  const auto& compstat_row = json["compstat"]["rows"][0];
  EXPECT_EQ(compstat_row,
            nlohmann::ordered_json::parse(R"(["c.json", 3, 3, "N/A", "N/A", "PASSED"])"));
  EXPECT_TRUE(compstat_row[1].is_number_integer());
}

// The expected texts below are what the reference's get_test_summary rows
// give with json.dumps(indent=2) and tabulate 0.10.0 (github format).
TEST_F(JobSummaryTest, ToleranceFactorIsPythonsStrOfTheJsonNumber) {
  TestDefinition* a = Define("b/a.json", TestKind::kBenchmark);  // the default 1.1
  TestDefinition* b = Define("b/b.json", TestKind::kBenchmark);
  b->golden_time_ms = 10;
  b->tolerance_factor = 2;
  b->tolerance_factor_is_integer = true;  // "tolerance_factor": 2
  TestDefinition* c = Define("b/c.json", TestKind::kBenchmark);
  c->golden_time_ms = 10;
  c->tolerance_factor = 2;  // "tolerance_factor": 2.0
  auto tables = BuildNotRunSummaryTables({a, b, c});
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(RenderJobSummaryJson(tables)["benchmark"]["rows"].dump(),
            R"([["b/a.json","N/A","N/A","1.1","N/A","N/A"],)"
            R"(["b/b.json","N/A","10.000","2","20.000","N/A"],)"
            R"(["b/c.json","N/A","10.000","2.0","20.000","N/A"]])");
  EXPECT_EQ(RenderGithubTable(tables[0].second),
            "| Name     | Current Time (ms)   | Golden Time (ms)   |   Tolerance Factor "
            "| Threshold (ms)   | Status   |\n"
            "|----------|---------------------|--------------------|--------------------"
            "|------------------|----------|\n"
            "| b/a.json | N/A                 | N/A                |                1.1 "
            "| N/A              | N/A      |\n"
            "| b/b.json | N/A                 | 10.000             |                2   "
            "| 20.000           | N/A      |\n"
            "| b/c.json | N/A                 | 10.000             |                2   "
            "| 20.000           | N/A      |");
}

TEST_F(JobSummaryTest, FloatGoldensStayFloats) {
  TestDefinition* x = Define("c/x.json", TestKind::kCompstat);
  x->golden_dispatch_count = 100;
  x->golden_dispatch_count_is_float = true;  // "golden_dispatch_count": 100.0
  x->golden_binary_size = 50000000;
  x->golden_binary_size_is_float = true;  // "golden_binary_size": 5e7
  TestResult rx = Result(x, Outcome::kPassed);
  rx.dispatch_count = 11;
  rx.binary_size = 123456;
  TestDefinition* y = Define("c/y.json", TestKind::kCompstat);
  y->golden_dispatch_count = 7;
  y->golden_binary_size = 1000;
  auto tables = BuildSummaryTables({rx});
  tables[0].second.rows.push_back(BuildNotRunSummaryTables({y})[0].second.rows[0]);
  EXPECT_EQ(RenderJobSummaryJson(tables)["compstat"]["rows"].dump(2),
            "[\n  [\n    \"c/x.json\",\n    100.0,\n    11,\n    50000000.0,\n    123456,\n"
            "    \"PASSED\"\n  ],\n  [\n    \"c/y.json\",\n    7,\n    \"N/A\",\n    1000,\n"
            "    \"N/A\",\n    \"N/A\"\n  ]\n]");
  // tabulate formats a column of numbers itself ("g"): 100.0 is "100" there.
  EXPECT_EQ(RenderGithubTable(tables[0].second),
            "| Name     |   Golden Dispatch Count | Current Dispatch Count   "
            "|   Golden Binary Size (bytes) | Current Binary Size (bytes)   | Status   |\n"
            "|----------|-------------------------|--------------------------"
            "|------------------------------|-------------------------------|----------|\n"
            "| c/x.json |                     100 | 11                       "
            "|                        5e+07 | 123456                        | PASSED   |\n"
            "| c/y.json |                       7 | N/A                      "
            "|                     1000     | N/A                           | N/A      |");
}

TEST_F(JobSummaryTest, WritesBothFiles) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("job_summary_test." + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::vector<TestResult> results = {
      Result(Define("q.json", TestKind::kQuality), Outcome::kPassed)};
  ASSERT_TRUE(WriteJobSummary(dir / "nested", "cpu and not hip", results));

  iree_suite::Result<std::string> markdown = ReadSmallFile(dir / "nested" / "job_summary.md");
  iree_suite::Result<std::string> json = ReadSmallFile(dir / "nested" / "job_summary.json");
  ASSERT_TRUE(markdown) << markdown.error();
  ASSERT_TRUE(json) << json.error();
  EXPECT_EQ(*markdown, RenderJobSummaryMarkdown("cpu and not hip", BuildSummaryTables(results)));
  EXPECT_EQ(*json,
            "{\n"
            "  \"quality\": {\n"
            "    \"headers\": [\n"
            "      \"Name\",\n"
            "      \"Status\"\n"
            "    ],\n"
            "    \"rows\": [\n"
            "      [\n"
            "        \"q.json\",\n"
            "        \"PASSED\"\n"
            "      ]\n"
            "    ]\n"
            "  }\n"
            "}");  // json.dump ends without a newline
  // Nothing but the two reports: no temp files left behind.
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir / "nested")) {
    ++entries;
  }
  EXPECT_EQ(entries, 2);
  std::filesystem::remove_all(dir);
}

TEST_F(JobSummaryTest, WriteFailureIsReported) {
  std::filesystem::path file = std::filesystem::temp_directory_path() /
                               ("job_summary_test_file." + std::to_string(getpid()));
  ASSERT_TRUE(WriteFileAtomically(file, "x"));
  // A regular file where the directory should be.
  Status written = WriteJobSummary(file, "", {});
  ASSERT_FALSE(written);
  EXPECT_NE(written.error(), "");
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace iree_suite
