#include "report/merge_reports.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "result_fixture.h"
#include "test_helpers.h"

namespace iree_suite {
namespace {

using testing_helpers::TempDir;

RunContext ShardContext(size_t index, size_t count, std::string start_time) {
  RunContext context;
  context.host_name = "host" + std::to_string(index);
  context.start_time = std::move(start_time);
  context.marker_expression = "cpu";
  context.run_id = "run" + std::to_string(index);
  context.modules["m" + std::to_string(index)] = {"m.mlir", {"--flag"}};
  if (count > 0) context.shard = std::array<size_t, 2>{index, count};
  return context;
}

NamedResults Part(const std::string& name, std::vector<RecordedResult> entries,
                  RunContext context) {
  NamedResults part{name, FileOf(std::move(entries))};
  part.results.context = std::move(context);
  return part;
}

std::vector<std::string> Ids(const ResultsFile& file) {
  std::vector<std::string> ids;
  for (const TestResult& result : file.tests) ids.push_back(result.test->id);
  return ids;
}

TEST(MergeResultsTest, ShardsMergeInIdOrderWithTheWholeRunsContext) {
  std::vector<NamedResults> parts;
  RecordedResult failed = Recorded("b.json", TestKind::kQuality, Outcome::kFailed);
  failed.result.reason = "iree-run-module exited with 1";
  failed.result.failed_step = Step::kRun;
  failed.result.repros = {{"/suite", {"iree-run-module", "--module=m.vmfb"}}};
  failed.result.output_tail = "boom\n";
  parts.push_back(Part("s1.json",
                       {failed, RecordedBenchmark("d.json", Outcome::kPassed, {2.0, 1.5})},
                       ShardContext(1, 2, "2025-01-31T12:00:05Z")));
  parts.push_back(Part("s0.json",
                       {Recorded("a.json", TestKind::kQuality, Outcome::kPassed),
                        Recorded("c.json", TestKind::kCompstat, Outcome::kSkipped)},
                       ShardContext(0, 2, "2025-01-31T12:00:01Z")));
  std::vector<std::string> warnings;
  auto merged = MergeResults(std::move(parts), &warnings);
  ASSERT_TRUE(merged) << merged.error();
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(Ids(*merged), (std::vector<std::string>{"a.json", "b.json", "c.json", "d.json"}));
  // Every field of a result survives, definitions included.
  const TestResult* b = merged->Find("b.json");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->outcome, Outcome::kFailed);
  EXPECT_EQ(b->failed_step, Step::kRun);
  EXPECT_EQ(b->repros[0].ToShellLine(), "cd /suite && iree-run-module --module=m.vmfb");
  EXPECT_EQ(b->output_tail, "boom\n");
  EXPECT_EQ(merged->Find("d.json")->current_time_ms, 1.5);
  EXPECT_EQ(merged->Find("d.json")->test->kind, TestKind::kBenchmark);
  const RunContext& context = merged->context;
  EXPECT_EQ(context.host_name, "host1");                  // the first part's
  EXPECT_EQ(context.start_time, "2025-01-31T12:00:01Z");  // the earliest
  EXPECT_FALSE(context.shard);
  EXPECT_EQ(context.marker_expression, "cpu");
  EXPECT_EQ(context.modules.size(), 2u);
  EXPECT_FALSE(context.run_id.empty());
  EXPECT_NE(context.run_id, "run0");
  EXPECT_NE(context.run_id, "run1");
}

TEST(MergeResultsTest, FilesThatAreNotShardsKeepTheirOrder) {
  std::vector<NamedResults> parts;
  RunContext plain = ShardContext(0, 0, "2025-01-31T12:00:00Z");
  plain.run_id.clear();
  parts.push_back(
      Part("w1.json", {Recorded("z.json", TestKind::kQuality, Outcome::kPassed)}, plain));
  parts.push_back(
      Part("w0.json", {Recorded("a.json", TestKind::kQuality, Outcome::kPassed)}, plain));
  std::vector<std::string> warnings;
  auto merged = MergeResults(std::move(parts), &warnings);
  ASSERT_TRUE(merged) << merged.error();
  EXPECT_EQ(Ids(*merged), (std::vector<std::string>{"z.json", "a.json"}));
  EXPECT_EQ(merged->context.run_id, "");  // no part was recorded as a run
}

TEST(MergeResultsTest, ATestInTwoFilesIsAnError) {
  std::vector<NamedResults> parts;
  parts.push_back(Part("s0.json", {Recorded("a.json", TestKind::kQuality, Outcome::kPassed)},
                       ShardContext(0, 2, "")));
  parts.push_back(Part("s1.json", {Recorded("a.json", TestKind::kQuality, Outcome::kFailed)},
                       ShardContext(0, 2, "")));
  std::vector<std::string> warnings;
  std::string error;
  error = testing_helpers::ErrorOf(MergeResults(std::move(parts), &warnings));
  EXPECT_EQ(error, "s1.json: test \"a.json\" is also in s0.json: each test belongs to one shard");
}

TEST(MergeResultsTest, AMissingShardIsAWarning) {
  std::vector<NamedResults> parts;
  parts.push_back(Part("s0.json", {}, ShardContext(0, 3, "")));
  parts.push_back(Part("s2.json", {}, ShardContext(2, 3, "")));
  std::vector<std::string> warnings;
  Result<ResultsFile> merged = MergeResults(std::move(parts), &warnings);
  ASSERT_TRUE(merged) << merged.error();
  EXPECT_EQ(warnings, (std::vector<std::string>{
                          "shard 1 of 3 is missing: its tests are not in the merged reports"}));
}

TEST(MergeResultsTest, NothingToMergeIsAnEmptyRun) {
  std::vector<std::string> warnings;
  auto merged = MergeResults({}, &warnings);
  ASSERT_TRUE(merged) << merged.error();
  EXPECT_TRUE(merged->tests.empty());
}

TEST(MergeResultsTest, FilesRoundTripThroughTheResultsFormat) {
  TempDir dir;
  ResultsFile shard0 = FileOf({Recorded("a.json", TestKind::kQuality, Outcome::kXFailed)});
  ResultsFile shard1 = FileOf({RecordedBenchmark("b.json", Outcome::kPassed, {3.0})});
  shard0.context = ShardContext(0, 2, "2025-01-31T12:00:00Z");
  shard1.context = ShardContext(1, 2, "2025-01-31T12:00:00Z");
  ASSERT_TRUE(WriteResultsJson(dir / "s0.json", shard0.tests, shard0.context));
  ASSERT_TRUE(WriteResultsJson(dir / "s1.json", shard1.tests, shard1.context));
  std::vector<std::string> warnings;
  std::string error;
  auto merged = MergeResultsFiles({dir / "s1.json", dir / "s0.json"}, &warnings);
  ASSERT_TRUE(merged) << merged.error();
  ASSERT_EQ(Ids(*merged), (std::vector<std::string>{"a.json", "b.json"}));
  EXPECT_EQ(merged->tests[0].outcome, Outcome::kXFailed);
  EXPECT_EQ(merged->tests[1].benchmark_samples_ms, std::vector<double>{3.0});

  ASSERT_TRUE(WriteFileAtomically(dir / "bad.json", R"({"schema": "iree-suite-results"})"));
  error =
      testing_helpers::ErrorOf(MergeResultsFiles({dir / "s0.json", dir / "bad.json"}, &warnings));
  EXPECT_NE(error.find((dir / "bad.json").string()), std::string::npos) << error;
}

TEST(MergeResultsTest, TotalTimeIsTheSumOfTheTestsDurations) {
  RecordedResult a = Recorded("a.json", TestKind::kQuality, Outcome::kPassed);
  RecordedResult b = Recorded("b.json", TestKind::kQuality, Outcome::kPassed);
  a.result.duration_s = 1.25;
  b.result.duration_s = 2.5;
  EXPECT_DOUBLE_EQ(TotalTestSeconds(FileOf({a, b})), 3.75);
}

TEST(MergeTraceFilesTest, EachFileBecomesItsOwnProcess) {
  TempDir dir;
  const std::string trace =
      R"({"traceEvents": [{"name": "process_name", "ph": "M", "pid": 1, "tid": 0,
          "args": {"name": "iree-suite"}},
         {"name": "m", "cat": "compile", "ph": "X", "ts": 5, "dur": 7, "pid": 1, "tid": 0}]})";
  ASSERT_TRUE(WriteFileAtomically(dir / "t0.json", trace));
  ASSERT_TRUE(WriteFileAtomically(dir / "t1.json", trace));
  auto merged = MergeTraceFiles({dir / "t0.json", dir / "t1.json"});
  ASSERT_TRUE(merged) << merged.error();
  nlohmann::json events = nlohmann::json::parse(*merged)["traceEvents"];
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0]["args"]["name"], "iree-suite (" + (dir / "t0.json").string() + ")");
  EXPECT_EQ(events[1]["pid"], 1);
  EXPECT_EQ(events[1]["ts"], 5);  // a file keeps its own time origin
  EXPECT_EQ(events[2]["args"]["name"], "iree-suite (" + (dir / "t1.json").string() + ")");
  EXPECT_EQ(events[3]["pid"], 2);
  EXPECT_EQ(events[3]["dur"], 7);
}

TEST(MergeTraceFilesTest, MalformedTracesNameTheFileAndField) {
  TempDir dir;
  for (const auto& [contents, expected] : std::vector<std::pair<std::string, std::string>>{
           {"[]", "traceEvents: expected an array of trace events"},
           {R"({"traceEvents": {}})", "traceEvents: expected an array of trace events"},
           {R"({"traceEvents": [1]})",
            "traceEvents[0]: expected an event object with a \"ph\" string"},
           {R"({"traceEvents": [{"ph": 1}]})",
            "traceEvents[0]: expected an event object with a \"ph\" string"},
           {"{", "invalid JSON"}}) {
    ASSERT_TRUE(WriteFileAtomically(dir / "t.json", contents));
    SCOPED_TRACE(contents);
    const std::string error = testing_helpers::ErrorOf(MergeTraceFiles({dir / "t.json"}));
    EXPECT_EQ(error.rfind((dir / "t.json").string() + ": ", 0), 0u) << error;
    EXPECT_NE(error.find(expected), std::string::npos) << error;
  }
  const std::string error = testing_helpers::ErrorOf(MergeTraceFiles({dir / "missing.json"}));
  EXPECT_NE(error.find("missing.json"), std::string::npos) << error;
}

}  // namespace
}  // namespace iree_suite
