#include "report/merge_reports.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <deque>

#include "base/atomic_file.h"
#include "report/junit_xml.h"

namespace iree_suite {
namespace {

class MergeReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("merge_reports_test." + std::to_string(getpid()) + "." +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path File(const std::string& name, const std::string& contents) {
    std::filesystem::path path = dir_ / name;
    EXPECT_EQ(WriteFileAtomically(path, contents), "");
    return path;
  }

  TestDefinition* Define(const std::string& id, std::vector<std::string> markers) {
    TestDefinition& test = definitions_.emplace_back();
    test.id = id;
    test.markers = std::move(markers);
    return &test;
  }

  TestResult Result(const TestDefinition* test, Outcome outcome, std::string reason,
                    double duration_s) {
    TestResult result;
    result.test = test;
    result.outcome = outcome;
    result.reason = std::move(reason);
    result.duration_s = duration_s;
    return result;
  }

  std::filesystem::path dir_;
  std::deque<TestDefinition> definitions_;
};

constexpr char kCompstatHeaders[] =
    R"j(["Name", "Golden Dispatch Count", "Current Dispatch Count",
        "Golden Binary Size (bytes)", "Current Binary Size (bytes)", "Status"])j";

TEST_F(MergeReportsTest, MergeJobSummariesKeepsTypeAndRowOrder) {
  auto shard0 = File("shard0.json", R"({
    "quality": {"headers": ["Name", "Status"], "rows": [["a/q1.json", "PASSED"]]}
  })");
  // compstat first here, but quality appeared first overall.
  auto shard1 =
      File("shard1.json", std::string(R"({"compstat": {"headers": )") + kCompstatHeaders + R"(,
                 "rows": [["c1.json", 10, 9, "N/A", 2048, "PASSED"],
                          ["c2.json", 10, 12, 4096, 1024, "FAILED"]]},
    "quality": {"headers": ["Name", "Status"], "rows": [["b/q2.json", "FAILED"]]}
  })");
  std::string error;
  auto merged = MergeJobSummaries({shard0, shard1}, &error);
  ASSERT_TRUE(merged) << error;
  EXPECT_EQ(RenderJobSummaryJson(*merged).dump(),
            R"j({"quality":{"headers":["Name","Status"],"rows":[["a/q1.json","PASSED"],)j"
            R"j(["b/q2.json","FAILED"]]},"compstat":{"headers":["Name","Golden Dispatch Count",)j"
            R"j("Current Dispatch Count","Golden Binary Size (bytes)",)j"
            R"j("Current Binary Size (bytes)","Status"],"rows":[["c1.json",10,9,"N/A",2048,)j"
            R"j("PASSED"],["c2.json",10,12,4096,1024,"FAILED"]]}})j");
  EXPECT_EQ(RenderJobSummaryMarkdown("cpu", *merged),
            "# Job Summary For Markers: cpu\n"
            "\n"
            "## Quality Test Summary\n"
            "\n"
            "| Name      | Status   |\n"
            "|-----------|----------|\n"
            "| a/q1.json | PASSED   |\n"
            "| b/q2.json | FAILED   |\n"
            "\n"
            "## Compstat Test Summary\n"
            "\n"
            "| Name    |   Golden Dispatch Count |   Current Dispatch Count | Golden Binary Size "
            "(bytes)   "
            "|   Current Binary Size (bytes) | Status   |\n"
            "|---------|-------------------------|--------------------------|----------------------"
            "--------"
            "|-------------------------------|----------|\n"
            "| c1.json |                      10 |                        9 | N/A                  "
            "        "
            "|                          2048 | PASSED   |\n"
            "| c2.json |                      10 |                       12 | 4096                 "
            "        "
            "|                          1024 | FAILED   |\n"
            "\n");
}

TEST_F(MergeReportsTest, MergedSummaryEqualsTheUnshardedOne) {
  TestDefinition* q1 = Define("q1.json", {"quality"});
  TestDefinition* b1 = Define("b1.json", {"benchmark"});
  b1->kind = TestKind::kBenchmark;
  b1->golden_time_ms = 15.5;
  b1->tolerance_factor = 1.1;
  TestDefinition* q2 = Define("q2.json", {"quality"});
  std::vector<TestResult> shard0 = {Result(q1, Outcome::kPassed, "", 1)};
  std::vector<TestResult> shard1 = {Result(b1, Outcome::kPassed, "", 1),
                                    Result(q2, Outcome::kFailed, "bad", 1)};
  shard1[0].current_time_ms = 12.3456;
  shard1[0].threshold_ms = 17.05;
  ASSERT_EQ(WriteJobSummary(dir_ / "s0", "cpu", shard0), "");
  ASSERT_EQ(WriteJobSummary(dir_ / "s1", "cpu", shard1), "");

  std::string error;
  auto merged = MergeJobSummaries(
      {dir_ / "s0" / "job_summary.json", dir_ / "s1" / "job_summary.json"}, &error);
  ASSERT_TRUE(merged) << error;
  std::vector<TestResult> all = {shard0[0], shard1[0], shard1[1]};
  EXPECT_EQ(RenderJobSummaryMarkdown("cpu", *merged),
            RenderJobSummaryMarkdown("cpu", BuildSummaryTables(all)));
  EXPECT_EQ(RenderJobSummaryJson(*merged), RenderJobSummaryJson(BuildSummaryTables(all)));
}

TEST_F(MergeReportsTest, MergeJobSummariesOfNothingIsEmpty) {
  std::string error;
  auto merged = MergeJobSummaries({}, &error);
  ASSERT_TRUE(merged);
  EXPECT_TRUE(merged->empty());
}

TEST_F(MergeReportsTest, MergeJobSummariesRejectsHeaderMismatch) {
  auto shard0 = File("shard0.json", R"({"quality": {"headers": ["Name", "Status"], "rows": []}})");
  auto shard1 = File("shard1.json", R"({"quality": {"headers": ["Name", "Result"], "rows": []}})");
  std::string error;
  EXPECT_FALSE(MergeJobSummaries({shard0, shard1}, &error));
  EXPECT_EQ(error, shard1.string() +
                       R"(: quality: headers ["Name","Result"] differ from ["Name","Status"] in )" +
                       shard0.string());
}

TEST_F(MergeReportsTest, MergeJobSummariesRejectsMalformedFiles) {
  auto good = File("good.json", R"({"quality": {"headers": ["Name", "Status"], "rows": []}})");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"quality\": ", "invalid JSON at line 1, column 13"},
      {R"({"quality": {"headers": ["N"], "rows": [[1e400]]}})",
       "quality.rows[0][0]: number at line 1, column 42 does not fit a double: 1e400"},
      {"[]", "expected an object of tables by test type"},
      {R"({"quality": {"headers": ["Name"]}})", "quality: expected an object"},
      {R"({"quality": {"headers": ["Name"], "rows": [["a", "b"]]}})",
       "quality: rows[0]: expected an array of 1 cells"},
      {R"({"quality": {"headers": [1], "rows": []}})", "quality: headers: expected"},
      {R"({"quality": {"headers": ["N"], "rows": [[[1]]]}})", "cells must be strings or numbers"},
  };
  for (const auto& [contents, message] : cases) {
    auto bad = File("bad.json", contents);
    std::string error;
    EXPECT_FALSE(MergeJobSummaries({good, bad}, &error)) << contents;
    EXPECT_EQ(error.rfind(bad.string() + ": ", 0), 0u) << error;
    EXPECT_NE(error.find(message), std::string::npos) << error;
  }
  std::string error;
  EXPECT_FALSE(MergeJobSummaries({good, dir_ / "missing.json"}, &error));
  EXPECT_NE(error.find("missing.json"), std::string::npos) << error;
}

TEST_F(MergeReportsTest, MergeJUnitXmlSumsCountsAndKeepsTestcasesInOrder) {
  TestDefinition* a = Define("sdxl/a.json", {"cpu", "quality"});
  TestDefinition* b = Define("b.json", {});
  TestDefinition* c = Define("llama/c.json", {"benchmark"});
  TestDefinition* d = Define("d.json", {"quality"});
  std::vector<TestResult> shard0 = {Result(a, Outcome::kPassed, "", 0.25),
                                    Result(b, Outcome::kFailed, "x < y & \"z\"\nmore", 1.5)};
  shard0[1].output_tail = "tail <out>\n";
  shard0[1].repros = {Repro{"/tmp", {"iree-run-module", "--module=a b.vmfb"}}};
  std::vector<TestResult> shard1 = {Result(c, Outcome::kError, "crashed", 2.25),
                                    Result(d, Outcome::kSkipped, "not selected", 0)};
  // The second shard started earlier, in another time zone.
  std::string xml0 = RenderJUnitXml(shard0, 3.5, "2025-01-02T10:00:00.000000+01:00", "host-a");
  std::string xml1 = RenderJUnitXml(shard1, 4.25, "2025-01-02T08:30:00.500000+00:00", "host-b");
  auto file0 = File("shard0.xml", xml0);
  auto file1 = File("shard1.xml", xml1);

  std::string error;
  auto merged = MergeJUnitXml({file0, file1}, &error);
  ASSERT_TRUE(merged) << error;
  std::vector<TestResult> all = {shard0[0], shard0[1], shard1[0], shard1[1]};
  // Byte for byte what one unsharded run would have written.
  EXPECT_EQ(*merged, RenderJUnitXml(all, 7.75, "2025-01-02T08:30:00.500000+00:00", "host-a"));

  auto suite = ReadJUnitXml(*merged, &error);
  ASSERT_TRUE(suite) << error;
  EXPECT_EQ(suite->tests, 4);
  EXPECT_EQ(suite->failures, 1);
  EXPECT_EQ(suite->errors, 1);
  EXPECT_EQ(suite->skipped, 1);
  EXPECT_DOUBLE_EQ(suite->time_s, 7.75);
  EXPECT_EQ(suite->timestamp, "2025-01-02T08:30:00.500000+00:00");
  EXPECT_EQ(suite->hostname, "host-a");
  auto part0 = ReadJUnitXml(xml0, &error);
  auto part1 = ReadJUnitXml(xml1, &error);
  ASSERT_TRUE(part0 && part1) << error;
  std::vector<std::string> expected = part0->testcases;
  expected.insert(expected.end(), part1->testcases.begin(), part1->testcases.end());
  EXPECT_EQ(suite->testcases, expected);
  ASSERT_EQ(suite->testcases.size(), 4u);
  EXPECT_EQ(suite->testcases[0].rfind("<testcase classname=\"sdxl\" name=\"sdxl/a.json\"", 0), 0u);
  EXPECT_NE(suite->testcases[1].find("x &lt; y &amp; &quot;z&quot;"), std::string::npos);
  EXPECT_EQ(suite->testcases[3].substr(suite->testcases[3].size() - 11), "</testcase>");
}

TEST_F(MergeReportsTest, MergeJUnitXmlKeepsEarliestTimestampAcrossZones) {
  auto file0 = File("a.xml", RenderJUnitXml({}, 1, "2025-01-02T08:00:00.000001-02:00", "h0"));
  auto file1 = File("b.xml", RenderJUnitXml({}, 2, "2025-01-02T09:59:59.999999Z", "h1"));
  std::string error;
  auto merged = MergeJUnitXml({file0, file1}, &error);
  ASSERT_TRUE(merged) << error;
  auto suite = ReadJUnitXml(*merged, &error);
  ASSERT_TRUE(suite) << error;
  EXPECT_EQ(suite->timestamp, "2025-01-02T09:59:59.999999Z");
  EXPECT_EQ(suite->hostname, "h0");
  EXPECT_EQ(suite->tests, 0);
  EXPECT_DOUBLE_EQ(suite->time_s, 3);
}

TEST_F(MergeReportsTest, ReadJUnitXmlRejectsMalformedInput) {
  const std::string head = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  const std::string suite =
      "<testsuite name=\"iree-suite\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\" "
      "time=\"1.000\" timestamp=\"2025-01-02T10:00:00.000000+01:00\" hostname=\"h\">";
  const std::string testcase = "<testcase name=\"a\"></testcase>";
  std::string error;
  ASSERT_TRUE(
      ReadJUnitXml(head + "<testsuites>" + suite + testcase + "</testsuite></testsuites>", &error))
      << error;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "declaration"},
      {head + "<testsuites>" + suite + testcase, "missing </testsuite>"},
      {head + "<testsuites>" + suite + "<testcase></tc>", "</tc> closes <testcase>"},
      {head + "<testsuites>" + suite + "<testcase name=\"&bogus;\"/></testsuite></testsuites>",
       "unknown reference &bogus;"},
      {head + "<testsuites>" + suite + "<other/></testsuite></testsuites>",
       "only <testcase> elements"},
      {head + "<testsuites>" + suite + "</testsuite></testsuites>", "but 0 <testcase>"},
      {head + "<testsuites><testsuite name=\"x\"/></testsuites>", "lacks tests="},
      {head + "<testsuites>" + suite + testcase + "</testsuite></testsuites><x/>", "content after"},
      {head + "<testsuites>" + suite + testcase + "</testsuite>text</testsuites>",
       "exactly one <testsuite>"},
      {head + "<testsuites>" + suite + "<testcase>\xff</testcase></testsuite></testsuites>",
       "invalid UTF-8"},
  };
  for (const auto& [xml, message] : cases) {
    EXPECT_FALSE(ReadJUnitXml(xml, &error)) << xml;
    EXPECT_NE(error.find(message), std::string::npos) << error << "\n" << xml;
  }
  EXPECT_FALSE(ReadJUnitXml(head + "<testsuites>\n  <oops/>\n  <oops/>\n</testsuites>", &error));
  EXPECT_EQ(error.rfind("2:1: ", 0), 0u) << error;
}

TEST_F(MergeReportsTest, MergeJUnitXmlNamesTheMalformedFile) {
  auto good = File("good.xml", RenderJUnitXml({}, 1, "2025-01-02T10:00:00.000000+01:00", "h"));
  auto bad = File("bad.xml", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<testsuites>\n");
  std::string error;
  EXPECT_FALSE(MergeJUnitXml({good, bad}, &error));
  EXPECT_EQ(error.rfind(bad.string() + ":3:1: ", 0), 0u) << error;

  auto no_time = File("no_time.xml", RenderJUnitXml({}, 1, "yesterday", "h"));
  EXPECT_FALSE(MergeJUnitXml({good, no_time}, &error));
  EXPECT_EQ(error.rfind(no_time.string() + ": timestamp=\"yesterday\"", 0), 0u) << error;

  EXPECT_FALSE(MergeJUnitXml({good, dir_ / "missing.xml"}, &error));
  EXPECT_NE(error.find("missing.xml"), std::string::npos) << error;
  EXPECT_FALSE(MergeJUnitXml({}, &error));
  EXPECT_EQ(error, "no JUnit XML files to merge");
}

}  // namespace
}  // namespace iree_suite
