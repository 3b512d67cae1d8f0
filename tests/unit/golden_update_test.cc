#include "checks/golden_update.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "base/atomic_file.h"
#include "result_fixture.h"

namespace iree_suite {
namespace {

TEST(GoldenValuesTest, TimeSizeAndDispatchRules) {
  EXPECT_DOUBLE_EQ(NewGoldenTimeMs(10.1, 1.1), 11.11);
  EXPECT_DOUBLE_EQ(NewGoldenTimeMs(12.34567, 1.0), 12.346);
  EXPECT_EQ(FormatGoldenNumber(NewGoldenTimeMs(10.1, 1.1)), "11.11");
  EXPECT_EQ(FormatGoldenNumber(NewGoldenTimeMs(10, 1.0)), "10");
  EXPECT_EQ(NewGoldenDispatchCount(12, 0), 12);
  EXPECT_EQ(NewGoldenDispatchCount(12, 2), 14);
  EXPECT_EQ(NewGoldenBinarySize(4097, 1), 4097);
  EXPECT_EQ(NewGoldenBinarySize(4097, 1024), 5120);
  EXPECT_EQ(NewGoldenBinarySize(4096, 1024), 4096);
}

// Odd but valid formatting, and the key appearing where it must not be touched.
constexpr char kOddJson[] =
    "{\n"
    "  \"type\" : \"benchmark\",\n"
    "  \"note\": \"was \\\"golden_time_ms\\\": 5 before\",\n"
    "  \"nested\"  :{\"golden_time_ms\": 7, \"list\": [\"golden_time_ms\", {\"a\": \"}\"}]},\n"
    "  \"golden_time_ms\"   :   12.50 ,\"tolerance_factor\":1.1}\n";

TEST(RenderGoldenPlanTest, WarnsBeforeTighteningMoreThanTwice) {
  GoldenUpdatePlan plan;
  plan.changes.push_back({"b.json", "b.json", "golden_time_ms", "1000.0", "0.03", false});
  plan.changes.push_back({"c.json", "c.json", "golden_binary_size", "30000", "14288", false});
  plan.changes.push_back({"d.json", "d.json", "golden_binary_size", "30000", "16000", false});
  plan.changes.push_back({"e.json", "e.json", "golden_time_ms", "10", "1", true});  // kept
  const std::string text = RenderGoldenPlan(plan);
  EXPECT_NE(text.find("warning: b.json: golden_time_ms 1000.0 -> 0.03 tightens it 33333.3x"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("warning: c.json: golden_binary_size 30000 -> 14288 tightens it 2.1x"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("warning: d.json"), std::string::npos) << text;
  EXPECT_EQ(text.find("warning: e.json"), std::string::npos) << text;
}

TEST(FindTopLevelNumberTest, FindsOnlyTheTopLevelMember) {
  std::string text = kOddJson;
  std::optional<TextSpan> span = FindTopLevelNumber(text, "golden_time_ms");
  ASSERT_TRUE(span);
  EXPECT_EQ(text.substr(span->offset, span->length), "12.50");
  EXPECT_FALSE(FindTopLevelNumber(text, "a"));     // nested only
  EXPECT_FALSE(FindTopLevelNumber(text, "type"));  // not a number
  EXPECT_FALSE(FindTopLevelNumber(R"({"note": "golden_time_ms: 3"})", "golden_time_ms"));
}

TEST(FindTopLevelNumberTest, ReportsMalformedText) {
  std::string error;
  EXPECT_FALSE(FindTopLevelNumber(R"({"a": 1 "b": 2})", "b", &error));
  EXPECT_NE(error.find("expected ',' or '}'"), std::string::npos) << error;
  error.clear();
  EXPECT_FALSE(FindTopLevelNumber("[1]", "a", &error));
  EXPECT_FALSE(error.empty());
}

TEST(RewriteTopLevelNumbersTest, ChangesOnlyTheNumberBytes) {
  std::string error;
  std::optional<std::string> rewritten =
      RewriteTopLevelNumbers(kOddJson, {{"golden_time_ms", "11.11"}}, &error);
  ASSERT_TRUE(rewritten) << error;
  std::string expected = kOddJson;
  expected.replace(expected.find("12.50"), 5, "11.11");
  EXPECT_EQ(*rewritten, expected);
}

TEST(RewriteTopLevelNumbersTest, SeveralFieldsAndLengthChanges) {
  std::string text = "{\"golden_dispatch_count\":9,\r\n\t\"golden_binary_size\" : 100 }";
  std::string error;
  std::optional<std::string> rewritten = RewriteTopLevelNumbers(
      text, {{"golden_dispatch_count", "10"}, {"golden_binary_size", "4096"}}, &error);
  ASSERT_TRUE(rewritten) << error;
  EXPECT_EQ(*rewritten, "{\"golden_dispatch_count\":10,\r\n\t\"golden_binary_size\" : 4096 }");
  EXPECT_FALSE(RewriteTopLevelNumbers(text, {{"golden_time_ms", "1"}}, &error));
  EXPECT_EQ(error, "no top-level number \"golden_time_ms\"");
}

class PlanGoldenUpdatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("golden_update_test." + std::to_string(getpid()) + "." +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void File(const std::string& id, const std::string& contents) {
    ASSERT_EQ(WriteFileAtomically(dir_ / id, contents), "");
  }
  std::string Read(const std::string& id) {
    Result<std::string> text = ReadSmallFile(dir_ / id);
    EXPECT_TRUE(text) << text.error();
    return text ? *text : "";
  }

  ResultsFile Results() {
    // golden 12.5; new 10.1 * 1.1 = 11.11: tighter
    RecordedResult fast = RecordedBenchmark("a/fast.json", Outcome::kPassed, {10.3, 10.1, 10.2});
    // golden 5; new 8 * 1.1 = 8.8: looser
    RecordedResult slow = RecordedBenchmark("a/slow.json", Outcome::kFailed, {8, 9});
    // 10 -> 11 dispatches (slack 1), 5000 -> 6144 bytes (round 1024)
    RecordedResult stat = Recorded("b/stat.json", TestKind::kCompstat, Outcome::kPassed);
    stat.result.dispatch_count = 10;
    stat.result.binary_size = 6000;
    // no golden in its JSON
    RecordedResult fresh = RecordedBenchmark("b/fresh.json", Outcome::kPassed, {20});
    RecordedResult skipped = RecordedBenchmark("b/skipped.json", Outcome::kSkipped, {});
    return FileOf({fast, slow, stat, fresh, skipped});
  }

  void WriteSuite() {
    File("a/fast.json", kOddJson);
    File("a/slow.json", "{\"type\": \"benchmark\", \"golden_time_ms\": 5}\n");
    File("b/stat.json",
         "{\n  \"type\": \"compstat\",\n  \"golden_dispatch_count\": 10,\n"
         "  \"golden_binary_size\": 5000\n}\n");
    File("b/fresh.json", "{\"type\": \"benchmark\"}");
    File("b/skipped.json", "{\"type\": \"benchmark\", \"golden_time_ms\": 1}");
  }

  GoldenPolicy Policy(GoldenPolicy::Direction direction) {
    GoldenPolicy policy;
    policy.direction = direction;
    policy.dispatch_slack = 1;
    policy.size_round = 1024;
    return policy;
  }

  std::filesystem::path dir_;
};

TEST_F(PlanGoldenUpdatesTest, BothDirectionsRewriteEveryExistingGolden) {
  WriteSuite();
  GoldenUpdatePlan plan =
      PlanGoldenUpdates(Results(), dir_, Policy(GoldenPolicy::Direction::kBoth));
  EXPECT_TRUE(plan.errors.empty());
  EXPECT_EQ(RenderGoldenPlan(plan),
            "a/fast.json | golden_time_ms | 12.50 -> 11.11\n"
            "a/slow.json | golden_time_ms | 5 -> 8.8\n"
            "b/stat.json | golden_dispatch_count | 10 -> 11\n"
            "b/stat.json | golden_binary_size | 5000 -> 6144\n"
            "\ntests without a golden (add the field to start tracking):\n"
            "b/fresh.json | \"golden_time_ms\": 22\n");
  ASSERT_EQ(plan.edits.size(), 3u);
  // Dry run: nothing written yet.
  EXPECT_EQ(Read("a/fast.json"), kOddJson);

  ASSERT_EQ(ApplyGoldenPlan(plan), "");
  std::string fast = kOddJson;
  fast.replace(fast.find("12.50"), 5, "11.11");
  EXPECT_EQ(Read("a/fast.json"), fast);
  EXPECT_EQ(Read("a/slow.json"), "{\"type\": \"benchmark\", \"golden_time_ms\": 8.8}\n");
  EXPECT_EQ(Read("b/stat.json"),
            "{\n  \"type\": \"compstat\",\n  \"golden_dispatch_count\": 11,\n"
            "  \"golden_binary_size\": 6144\n}\n");
  EXPECT_EQ(Read("b/fresh.json"), "{\"type\": \"benchmark\"}");
  EXPECT_EQ(Read("b/skipped.json"), "{\"type\": \"benchmark\", \"golden_time_ms\": 1}");
}

TEST_F(PlanGoldenUpdatesTest, OnlyTightenKeepsLooserValues) {
  WriteSuite();
  GoldenUpdatePlan plan =
      PlanGoldenUpdates(Results(), dir_, Policy(GoldenPolicy::Direction::kOnlyTighten));
  ASSERT_EQ(plan.changes.size(), 4u);
  EXPECT_FALSE(plan.changes[0].held_back);  // 12.50 -> 11.11
  EXPECT_TRUE(plan.changes[1].held_back);   // 5 -> 8.8
  EXPECT_TRUE(plan.changes[2].held_back);   // 10 -> 11
  EXPECT_TRUE(plan.changes[3].held_back);   // 5000 -> 6144
  ASSERT_EQ(plan.edits.size(), 1u);
  EXPECT_EQ(plan.edits[0].path, dir_ / "a/fast.json");
  EXPECT_NE(RenderGoldenPlan(plan).find("a/slow.json | golden_time_ms | 5 -> 8.8 (kept by policy)"),
            std::string::npos);
}

TEST_F(PlanGoldenUpdatesTest, OnlyLoosenKeepsTighterValues) {
  WriteSuite();
  GoldenUpdatePlan plan =
      PlanGoldenUpdates(Results(), dir_, Policy(GoldenPolicy::Direction::kOnlyLoosen));
  ASSERT_EQ(plan.edits.size(), 2u);
  EXPECT_EQ(plan.edits[0].path, dir_ / "a/slow.json");
  EXPECT_EQ(plan.edits[1].path, dir_ / "b/stat.json");
  EXPECT_TRUE(plan.changes[0].held_back);
}

TEST_F(PlanGoldenUpdatesTest, UnchangedValuesAreNotListed) {
  File("b/stat.json", "{\"type\": \"compstat\", \"golden_dispatch_count\": 10.0}");
  RecordedResult stat = Recorded("b/stat.json", TestKind::kCompstat, Outcome::kPassed);
  stat.result.dispatch_count = 10;
  ResultsFile results = FileOf({stat});
  GoldenUpdatePlan plan = PlanGoldenUpdates(results, dir_, GoldenPolicy{});
  EXPECT_TRUE(plan.changes.empty());
  EXPECT_TRUE(plan.edits.empty());
  EXPECT_EQ(RenderGoldenPlan(plan), "no golden changes\n");
}

TEST_F(PlanGoldenUpdatesTest, MissingOrMalformedTestFilesAreErrors) {
  File("a/slow.json", "{\"golden_time_ms\": 5,,}");
  GoldenUpdatePlan plan =
      PlanGoldenUpdates(Results(), dir_, Policy(GoldenPolicy::Direction::kBoth));
  // fast, stat, fresh are missing; slow is malformed.
  EXPECT_EQ(plan.errors.size(), 4u);
  EXPECT_TRUE(plan.edits.empty());
}

}  // namespace
}  // namespace iree_suite
