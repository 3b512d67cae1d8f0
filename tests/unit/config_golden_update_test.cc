#include "checks/config_golden_update.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "base/atomic_file.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

class ConfigGoldenUpdateTest : public testing::Test {
 protected:
  ConfigGoldenUpdateTest() {
    std::string pattern = (fs::temp_directory_path() / "config_golden_test_XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
  }
  ~ConfigGoldenUpdateTest() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  // A benchmark with quiet repetitions (1% apart), so its golden is min x 1.1,
  // or with the given ones.
  static void AddBenchmark(ResultsFile* results, const std::string& id, double min_ms,
                           std::vector<double> samples = {}) {
    TestDefinition test;
    test.id = id;
    test.kind = TestKind::kBenchmark;
    TestResult result;
    result.test = &test;  // copied by Add
    result.outcome = Outcome::kPassed;
    result.benchmark_samples_ms =
        samples.empty() ? std::vector<double>{min_ms * 1.01, min_ms} : std::move(samples);
    result.current_time_ms = min_ms;
    results->Add(std::move(result));
  }
  fs::path dir_;
};

TEST_F(ConfigGoldenUpdateTest, RewritesOnlyTheNumbersOfItsConfig) {
  const std::string text = R"({
    "config_name": "simple",
    "iree_compile_flags": [], "iree_run_module_flags": [],
    "golden_times_ms": {
        "AB/128x128xf32_bench": 0.25,
        "AB/256x256xf32_bench": 0.30,
        "AB/512x512xf32_bench": 0.88
    },
    "tolerance_factor": 1.1
})";
  const fs::path config = dir_ / "config.json";
  ASSERT_TRUE(WriteFileAtomically(config, text));
  ResultsFile results;
  AddBenchmark(&results, "AB/128x128xf32_bench::simple", 0.2);
  AddBenchmark(&results, "AB/256x256xf32_bench::simple", 0.5);
  AddBenchmark(&results, "AB/512x512xf32_bench::other", 9.0);  // another config's
  AddBenchmark(&results, "AB/1024x1024xf32_bench::simple", 1.5);
  GoldenPolicy policy;
  policy.direction = GoldenPolicy::Direction::kOnlyLoosen;
  GoldenUpdatePlan plan = PlanConfigGoldenUpdates(results, {config}, policy);
  ASSERT_TRUE(plan.errors.empty()) << plan.errors.front();
  ASSERT_EQ(plan.changes.size(), 2u);
  EXPECT_EQ(plan.changes[0].field, "golden_times_ms.AB/128x128xf32_bench");
  EXPECT_EQ(plan.changes[0].new_text, "0.22");
  EXPECT_TRUE(plan.changes[0].held_back);  // tighter, and only loosening is allowed
  EXPECT_EQ(plan.changes[1].old_text, "0.30");
  EXPECT_EQ(plan.changes[1].new_text, "0.55");
  ASSERT_EQ(plan.missing.size(), 1u);
  EXPECT_EQ(plan.missing[0].test_id, "AB/1024x1024xf32_bench::simple");
  EXPECT_EQ(plan.missing[0].suggested_text, "1.65");
  ASSERT_EQ(plan.edits.size(), 1u);
  std::string expected = text;
  expected.replace(expected.find("0.30"), 4, "0.55");
  EXPECT_EQ(plan.edits[0].contents, expected);
}

TEST_F(ConfigGoldenUpdateTest, ConfigsWithCommentsAndTrailingCommasKeepEveryOtherByte) {
  // JSON5-style, as the loader reads configs; the comments hold key-like text.
  const std::string text = R"({
  // "golden_times_ms": {"AB/128x128xf32_bench": 7},
  "config_name": "simple", /* the CI's name */
  "iree_compile_flags": [], "iree_run_module_flags": [],
  "golden_times_ms": {
    /* "AB/128x128xf32_bench": 8, */
    "AB/128x128xf32_bench": 0.25, // measured on a quiet machine
    "AB/256x256xf32_bench": 0.30,
  },
})";
  const fs::path config = dir_ / "config.json";
  ASSERT_TRUE(WriteFileAtomically(config, text));
  ResultsFile results;
  AddBenchmark(&results, "AB/128x128xf32_bench::simple", 1.0);
  AddBenchmark(&results, "AB/256x256xf32_bench::simple", 2.0);
  GoldenUpdatePlan plan = PlanConfigGoldenUpdates(results, {config}, GoldenPolicy());
  ASSERT_TRUE(plan.errors.empty()) << plan.errors.front();
  ASSERT_EQ(plan.changes.size(), 2u);
  EXPECT_EQ(plan.changes[0].old_text, "0.25");
  EXPECT_EQ(plan.changes[1].old_text, "0.30");
  ASSERT_EQ(plan.edits.size(), 1u);
  std::string expected = text;
  expected.replace(expected.find("0.25"), 4, "1.1");
  expected.replace(expected.find("0.30"), 4, "2.2");
  EXPECT_EQ(plan.edits[0].contents, expected);
}

TEST_F(ConfigGoldenUpdateTest, ANoisyBenchmarkGetsItsSlowestSampleAndTheReason) {
  const fs::path config = dir_ / "config.json";
  ASSERT_TRUE(WriteFileAtomically(config, R"({"config_name": "c", "iree_compile_flags": [],
    "iree_run_module_flags": [], "golden_times_ms": {"A/x": 1.0}})"));
  ResultsFile results;
  AddBenchmark(&results, "A/x::c", 0.2, {0.2, 0.3165, 0.25});
  GoldenUpdatePlan plan = PlanConfigGoldenUpdates(results, {config}, GoldenPolicy());
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].new_text, "0.317");  // not 0.22, under 0.3165
  EXPECT_EQ(plan.changes[0].reason, "max of 3 samples, spread 58%; min x 1.1 would be 0.22");
  EXPECT_NE(RenderGoldenPlan(plan).find("golden_times_ms.A/x | 1.0 -> 0.317 (max of 3 samples"),
            std::string::npos)
      << RenderGoldenPlan(plan);
  ASSERT_EQ(plan.edits.size(), 1u);
  EXPECT_NE(plan.edits[0].contents.find(R"("golden_times_ms": {"A/x": 0.317}})"),
            std::string::npos);
}

TEST_F(ConfigGoldenUpdateTest, AGoldenGivenTwiceIsAnErrorNotAGuess) {
  const fs::path config = dir_ / "config.json";
  ASSERT_TRUE(WriteFileAtomically(config, R"({"config_name": "c", "iree_compile_flags": [],
    "iree_run_module_flags": [], "golden_times_ms": {"A/x": 1, "A/x": 2}})"));
  ResultsFile results;
  AddBenchmark(&results, "A/x::c", 5.0);
  GoldenUpdatePlan plan = PlanConfigGoldenUpdates(results, {config}, GoldenPolicy());
  ASSERT_EQ(plan.errors.size(), 1u);
  EXPECT_NE(plan.errors[0].find("golden_times_ms: A/x: appears more than once"), std::string::npos)
      << plan.errors[0];
  EXPECT_TRUE(plan.edits.empty());
}

TEST_F(ConfigGoldenUpdateTest, AConfigWithoutGoldensListsEveryBenchmarkAsMissing) {
  const fs::path config = dir_ / "config.json";
  ASSERT_TRUE(WriteFileAtomically(config, R"({"config_name": "c", "iree_compile_flags": [],
                                           "iree_run_module_flags": []})"));
  ResultsFile results;
  AddBenchmark(&results, "A/x::c", 1.0);
  GoldenUpdatePlan plan = PlanConfigGoldenUpdates(results, {config}, GoldenPolicy());
  EXPECT_TRUE(plan.errors.empty());
  EXPECT_TRUE(plan.edits.empty());
  ASSERT_EQ(plan.missing.size(), 1u);
  EXPECT_EQ(plan.missing[0].field, "golden_times_ms.A/x");
}

}  // namespace
}  // namespace iree_suite
