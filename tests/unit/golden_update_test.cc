#include "checks/golden_update.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <limits>

#include "base/atomic_file.h"
#include "result_fixture.h"
#include "test_helpers.h"

namespace iree_suite {
namespace {

// The proposal for a benchmark measured as `samples` (retried: `attempts`).
GoldenValue TimeGoldenOf(std::vector<double> samples, double time_factor = 1.1,
                         std::vector<double> attempts = {}) {
  RecordedResult recorded = RecordedBenchmark("b.json", Outcome::kPassed, std::move(samples));
  recorded.result.benchmark_attempts_ms = std::move(attempts);
  return ProposeGoldenTimeMs(recorded.result, time_factor);
}

TEST(ProposeGoldenTimeMsTest, QuietSamplesGetTheirMinimumTimesTheFactor) {
  GoldenValue quiet = TimeGoldenOf({10.3, 10.1, 10.2});
  EXPECT_DOUBLE_EQ(quiet.value, 11.11);
  EXPECT_EQ(FormatGoldenNumber(quiet.value), "11.11");
  EXPECT_EQ(quiet.reason, "min of 3 samples x 1.1, spread 2%");
  EXPECT_DOUBLE_EQ(TimeGoldenOf({12.34567}, 1.0).value, 12.346);
  EXPECT_EQ(TimeGoldenOf({12.34567}, 1.0).reason, "min of 1 sample x 1");
  EXPECT_EQ(FormatGoldenNumber(TimeGoldenOf({10}, 1.0).value), "10");
  // One attempt is the samples' own minimum: not counted again.
  EXPECT_EQ(TimeGoldenOf({10.3, 10.1}, 1.1, {10.1}).reason, "min of 2 samples x 1.1, spread 2%");
}

// The issue's case: minimum x 1.1 = 0.03 from samples 58% apart, which the
// next run (measuring 0.0427 as its minimum) would fail even with tolerance.
TEST(ProposeGoldenTimeMsTest, ANoisyBenchmarkNeverGetsAGoldenBelowItsSlowestSample) {
  const std::vector<double> samples = {0.027, 0.0301, 0.04266};
  GoldenValue noisy = TimeGoldenOf(samples);
  EXPECT_DOUBLE_EQ(noisy.value, 0.043);
  EXPECT_EQ(noisy.reason, "max of 3 samples, spread 58%; min x 1.1 would be 0.03");
  for (double factor : {1.0, 1.1, 1.3}) {
    EXPECT_GE(TimeGoldenOf(samples, factor).value, 0.04266) << factor;
  }
  // A factor that already covers the spread wins over the floor.
  EXPECT_DOUBLE_EQ(TimeGoldenOf(samples, 2.0).value, 0.054);
}

TEST(ProposeGoldenTimeMsTest, RetriedAttemptsCountTowardsTheSpread) {
  // The best attempt was quiet, but another measured 14 ms.
  GoldenValue retried = TimeGoldenOf({10, 10.2}, 1.1, {14, 10});
  EXPECT_DOUBLE_EQ(retried.value, 14);
  EXPECT_EQ(retried.reason, "max of 2 samples and 2 attempts, spread 40%; min x 1.1 would be 11");
}

TEST(ProposeGoldenTimeMsTest, TheFloorRoundsUpAndStaysOnTheGrid) {
  EXPECT_DOUBLE_EQ(TimeGoldenOf({1, 2.0001}).value, 2.001);  // not 2, under the sample
  EXPECT_DOUBLE_EQ(TimeGoldenOf({1, 2}).value, 2);           // already 3 decimals
  EXPECT_DOUBLE_EQ(TimeGoldenOf({0.01, 0.043}).value, 0.043);
}

TEST(ProposeGoldenCompstatTest, SizesGetTheDefaultHeadroomRoundedUpToThreeDigits) {
  const GoldenPolicy defaults;
  // The issue's case: 14288 measured became golden 14288, with no room at all.
  GoldenValue size = ProposeGoldenBinarySize(14288, defaults);
  EXPECT_GT(size.value, 14288 * 1.05);
  EXPECT_DOUBLE_EQ(size.value, 15100);  // 14288 + 715 = 15003, rounded up
  EXPECT_EQ(size.reason, "14288 + 5% headroom, rounded up to 3 digits");
  EXPECT_DOUBLE_EQ(ProposeGoldenBinarySize(999, defaults).value, 1050);
  EXPECT_DOUBLE_EQ(ProposeGoldenBinarySize(100, defaults).value, 105);
  EXPECT_DOUBLE_EQ(ProposeGoldenBinarySize(1, defaults).value, 2);
  GoldenPolicy wider;
  wider.size_headroom = 0.10;
  EXPECT_DOUBLE_EQ(ProposeGoldenBinarySize(14288, wider).value, 15800);  // 15717
}

TEST(ProposeGoldenCompstatTest, SizeRoundAndNoHeadroomGiveExactValues) {
  GoldenPolicy exact;
  exact.size_headroom = 0;
  exact.size_round = 1;
  EXPECT_DOUBLE_EQ(ProposeGoldenBinarySize(14288, exact).value, 14288);
  EXPECT_EQ(ProposeGoldenBinarySize(14288, exact).reason, "14288 + 0% headroom");
  exact.size_round = 1024;
  EXPECT_DOUBLE_EQ(ProposeGoldenBinarySize(4097, exact).value, 5120);
  EXPECT_DOUBLE_EQ(ProposeGoldenBinarySize(4096, exact).value, 4096);
  EXPECT_DOUBLE_EQ(ProposeGoldenDispatchCount(12, exact).value, 12);
}

TEST(ProposeGoldenCompstatTest, CountsGetTheHeadroomAndAtLeastOneMore) {
  const GoldenPolicy defaults;
  EXPECT_DOUBLE_EQ(ProposeGoldenDispatchCount(2, defaults).value, 3);
  EXPECT_EQ(ProposeGoldenDispatchCount(2, defaults).reason, "2 + 5% headroom, rounded up");
  EXPECT_DOUBLE_EQ(ProposeGoldenDispatchCount(20, defaults).value, 21);  // 20 x 0.05 is 1.0000...2
  EXPECT_DOUBLE_EQ(ProposeGoldenDispatchCount(0, defaults).value, 0);
  GoldenPolicy slack;
  slack.dispatch_slack = 2;
  EXPECT_DOUBLE_EQ(ProposeGoldenDispatchCount(10, slack).value, 13);
  EXPECT_EQ(ProposeGoldenDispatchCount(10, slack).reason,
            "10 + 5% headroom, rounded up, + 2 slack");
}

// A size from a damaged results file or a huge option saturates instead of overflowing into a
// negative golden.
TEST(ProposeGoldenCompstatTest, HugeValuesSaturate) {
  constexpr int64_t kLargest = std::numeric_limits<int64_t>::max();
  GoldenPolicy huge;
  huge.size_headroom = 1e20;
  EXPECT_EQ(ProposeGoldenBinarySize(14288, huge).integer, kLargest);
  EXPECT_EQ(ProposeGoldenDispatchCount(2, huge).integer, kLargest);
  const GoldenPolicy defaults;
  EXPECT_EQ(ProposeGoldenBinarySize(kLargest - 10, defaults).integer, kLargest);
  GoldenPolicy round;
  round.size_round = 1000;
  const GoldenValue unrounded = ProposeGoldenBinarySize(kLargest - 10, round);
  EXPECT_EQ(unrounded.integer, kLargest);  // no multiple of 1000 fits: left as it is
  EXPECT_EQ(unrounded.reason, "9223372036854775797 + 5% headroom, too large to round up");
  GoldenPolicy slack;
  slack.dispatch_slack = kLargest;
  EXPECT_EQ(ProposeGoldenDispatchCount(10, slack).integer, kLargest);
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
  Result<std::optional<TextSpan>> span = FindTopLevelNumber(text, "golden_time_ms");
  ASSERT_TRUE(span && *span);
  EXPECT_EQ(text.substr((*span)->offset, (*span)->length), "12.50");
  EXPECT_EQ(*FindTopLevelNumber(text, "a"), std::nullopt);     // nested only
  EXPECT_EQ(*FindTopLevelNumber(text, "type"), std::nullopt);  // not a number
  EXPECT_EQ(*FindTopLevelNumber(R"({"note": "golden_time_ms: 3"})", "golden_time_ms"),
            std::nullopt);
}

TEST(FindTopLevelNumberTest, ReportsMalformedText) {
  std::string error = testing_helpers::ErrorOf(FindTopLevelNumber(R"({"a": 1 "b": 2})", "b"));
  EXPECT_NE(error.find("expected ',' or '}'"), std::string::npos) << error;
  EXPECT_FALSE(testing_helpers::ErrorOf(FindTopLevelNumber("[1]", "a")).empty());
}

TEST(RewriteTopLevelNumbersTest, ChangesOnlyTheNumberBytes) {
  Result<std::string> rewritten = RewriteTopLevelNumbers(kOddJson, {{"golden_time_ms", "11.11"}});
  ASSERT_TRUE(rewritten) << rewritten.error();
  std::string expected = kOddJson;
  expected.replace(expected.find("12.50"), 5, "11.11");
  EXPECT_EQ(*rewritten, expected);
}

TEST(RewriteTopLevelNumbersTest, SeveralFieldsAndLengthChanges) {
  std::string text = "{\"golden_dispatch_count\":9,\r\n\t\"golden_binary_size\" : 100 }";
  Result<std::string> rewritten = RewriteTopLevelNumbers(
      text, {{"golden_dispatch_count", "10"}, {"golden_binary_size", "4096"}});
  ASSERT_TRUE(rewritten) << rewritten.error();
  EXPECT_EQ(*rewritten, "{\"golden_dispatch_count\":10,\r\n\t\"golden_binary_size\" : 4096 }");
  EXPECT_EQ(testing_helpers::ErrorOf(RewriteTopLevelNumbers(text, {{"golden_time_ms", "1"}})),
            "no top-level number \"golden_time_ms\"");
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
    ASSERT_TRUE(WriteFileAtomically(dir_ / id, contents));
  }
  std::string Read(const std::string& id) {
    Result<std::string> text = ReadSmallFile(dir_ / id);
    EXPECT_TRUE(text) << text.error();
    return text ? *text : "";
  }

  ResultsFile Results() {
    // golden 12.5; new 10.1 * 1.1 = 11.11: tighter
    RecordedResult fast = RecordedBenchmark("a/fast.json", Outcome::kPassed, {10.3, 10.1, 10.2});
    // golden 5; new 9, the slowest sample, since 8 * 1.1 = 8.8 is below it: looser
    RecordedResult slow = RecordedBenchmark("a/slow.json", Outcome::kFailed, {8, 9});
    // 10 -> 12 dispatches (5% headroom, slack 1), 5000 -> 7168 bytes (6300, round 1024)
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
            "a/fast.json | golden_time_ms | 12.50 -> 11.11 (min of 3 samples x 1.1, spread 2%)\n"
            "a/slow.json | golden_time_ms | 5 -> 9 (max of 2 samples, spread 12%; min x 1.1 "
            "would be 8.8)\n"
            "b/stat.json | golden_dispatch_count | 10 -> 12 (10 + 5% headroom, rounded up, + 1 "
            "slack)\n"
            "b/stat.json | golden_binary_size | 5000 -> 7168 (6000 + 5% headroom, rounded up to "
            "a multiple of 1024)\n"
            "\ntests without a golden (add the field to start tracking):\n"
            "b/fresh.json | \"golden_time_ms\": 22 (min of 1 sample x 1.1)\n");
  ASSERT_EQ(plan.edits.size(), 3u);
  // Dry run: nothing written yet.
  EXPECT_EQ(Read("a/fast.json"), kOddJson);

  ASSERT_TRUE(ApplyGoldenPlan(plan));
  std::string fast = kOddJson;
  fast.replace(fast.find("12.50"), 5, "11.11");
  EXPECT_EQ(Read("a/fast.json"), fast);
  EXPECT_EQ(Read("a/slow.json"), "{\"type\": \"benchmark\", \"golden_time_ms\": 9}\n");
  EXPECT_EQ(Read("b/stat.json"),
            "{\n  \"type\": \"compstat\",\n  \"golden_dispatch_count\": 12,\n"
            "  \"golden_binary_size\": 7168\n}\n");
  EXPECT_EQ(Read("b/fresh.json"), "{\"type\": \"benchmark\"}");
  EXPECT_EQ(Read("b/skipped.json"), "{\"type\": \"benchmark\", \"golden_time_ms\": 1}");
}

TEST_F(PlanGoldenUpdatesTest, OnlyTightenKeepsLooserValues) {
  WriteSuite();
  GoldenUpdatePlan plan =
      PlanGoldenUpdates(Results(), dir_, Policy(GoldenPolicy::Direction::kOnlyTighten));
  ASSERT_EQ(plan.changes.size(), 4u);
  EXPECT_FALSE(plan.changes[0].held_back);  // 12.50 -> 11.11
  EXPECT_TRUE(plan.changes[1].held_back);   // 5 -> 9
  EXPECT_TRUE(plan.changes[2].held_back);   // 10 -> 12
  EXPECT_TRUE(plan.changes[3].held_back);   // 5000 -> 7168
  ASSERT_EQ(plan.edits.size(), 1u);
  EXPECT_EQ(plan.edits[0].path, dir_ / "a/fast.json");
  EXPECT_NE(RenderGoldenPlan(plan).find("a/slow.json | golden_time_ms | 5 -> 9 (max of 2 samples, "
                                        "spread 12%; min x 1.1 would be 8.8) (kept by policy)"),
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
  GoldenPolicy exact;
  exact.size_headroom = 0;
  GoldenUpdatePlan plan = PlanGoldenUpdates(results, dir_, exact);
  EXPECT_TRUE(plan.changes.empty());
  EXPECT_TRUE(plan.edits.empty());
  EXPECT_EQ(RenderGoldenPlan(plan), "no golden changes\n");
}

// The two proposals the issue found, under the default policy.
TEST_F(PlanGoldenUpdatesTest, DefaultsKeepHeadroomOverNoisyTimesAndExactSizes) {
  File("t.json", "{\"type\": \"benchmark\", \"golden_time_ms\": 1000.0}");
  File("s.json", "{\"type\": \"compstat\", \"golden_binary_size\": 30000}");
  RecordedResult noisy = RecordedBenchmark("t.json", Outcome::kPassed, {0.027, 0.0301, 0.04266});
  RecordedResult stat = Recorded("s.json", TestKind::kCompstat, Outcome::kPassed);
  stat.result.binary_size = 14288;
  GoldenUpdatePlan plan = PlanGoldenUpdates(FileOf({noisy, stat}), dir_, GoldenPolicy{});
  ASSERT_TRUE(plan.errors.empty()) << plan.errors.front();
  EXPECT_EQ(RenderGoldenPlan(plan),
            "t.json | golden_time_ms | 1000.0 -> 0.043 (max of 3 samples, spread 58%; min x 1.1 "
            "would be 0.03)\n"
            "s.json | golden_binary_size | 30000 -> 15100 (14288 + 5% headroom, rounded up to 3 "
            "digits)\n"
            "warning: t.json: golden_time_ms 1000.0 -> 0.043 tightens it 23255.8x; check the "
            "measurement (its spread, more repetitions) before --write\n");
  ASSERT_TRUE(ApplyGoldenPlan(plan));
  EXPECT_EQ(Read("t.json"), "{\"type\": \"benchmark\", \"golden_time_ms\": 0.043}");
  EXPECT_EQ(Read("s.json"), "{\"type\": \"compstat\", \"golden_binary_size\": 15100}");
}

// The largest size is written as itself, not as a double's 2^63 cast back (INT64_MIN).
TEST_F(PlanGoldenUpdatesTest, ASaturatedSizeIsWrittenExactly) {
  File("s.json", "{\"type\": \"compstat\", \"golden_binary_size\": 30000}");
  RecordedResult stat = Recorded("s.json", TestKind::kCompstat, Outcome::kPassed);
  stat.result.binary_size = std::numeric_limits<int64_t>::max() - 10;
  GoldenUpdatePlan plan = PlanGoldenUpdates(FileOf({stat}), dir_, GoldenPolicy{});
  ASSERT_TRUE(plan.errors.empty()) << plan.errors.front();
  ASSERT_TRUE(ApplyGoldenPlan(plan));
  EXPECT_EQ(Read("s.json"),
            "{\"type\": \"compstat\", \"golden_binary_size\": 9223372036854775807}");
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
