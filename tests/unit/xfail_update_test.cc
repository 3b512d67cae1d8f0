#include "checks/xfail_update.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "base/atomic_file.h"
#include "result_fixture.h"

namespace iree_suite {
namespace {

TEST(ReplaceTopLevelArrayTest, KeepsMultiLineLayoutAndOtherBytes) {
  const std::string text =
      "{\n  // keep me\n  \"a\": [\"x\"],\n  \"list\": [\n      \"p\",\n      \"q\"\n   ],\n"
      "  \"b\": 1\n}\n";
  Result<std::string> out = ReplaceTopLevelArray(text, "list", {"p", "r", "s"});
  ASSERT_TRUE(out) << out.error();
  EXPECT_EQ(*out,
            "{\n  // keep me\n  \"a\": [\"x\"],\n  \"list\": [\n      \"p\",\n      \"r\",\n"
            "      \"s\"\n   ],\n  \"b\": 1\n}\n");
  out = ReplaceTopLevelArray(text, "list", {});
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "{\n  // keep me\n  \"a\": [\"x\"],\n  \"list\": [],\n  \"b\": 1\n}\n");
}

TEST(ReplaceTopLevelArrayTest, EmptyOneLineAndMissingArrays) {
  Result<std::string> out = ReplaceTopLevelArray("{\n    \"l\": [],\n    \"b\": 1\n}", "l", {"x"});
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "{\n    \"l\": [\n        \"x\"\n    ],\n    \"b\": 1\n}");
  out = ReplaceTopLevelArray("{\"l\": [\"a\"], \"b\": 1}", "l", {"a", "b"});
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "{\"l\": [\"a\", \"b\"], \"b\": 1}");
  out = ReplaceTopLevelArray("{\n  \"b\": 1 // one\n}\n", "l", {"a"});
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "{\n  \"b\": 1,\n  \"l\": [\n    \"a\"\n  ] // one\n}\n");
  EXPECT_FALSE(ReplaceTopLevelArray("{\"l\": [\"a\" // c\n]}", "l", {}));
}

TEST(ReplaceTopLevelArrayTest, RefusesADuplicatedKey) {
  Result<std::string> out = ReplaceTopLevelArray(R"({"l": ["a"], "b": 1, "l": ["c"]})", "l", {"x"});
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error(), "l: appears 2 times (the last one is read); keep one");
}

// nlohmann ends a line comment at '\r' or NUL too; the editor must see the member after it
// (found by the xfail_editor fuzzer: it added a second copy, and the parser read the old one).
TEST(ReplaceTopLevelArrayTest, ALineCommentEndsAtACarriageReturnOrNul) {
  for (const std::string& end : {std::string("\r"), std::string(1, '\0')}) {
    const std::string text = "{\"b\": 1, // c" + end + "\"l\": [\"old\"]\n}";
    Result<std::string> out = ReplaceTopLevelArray(text, "l", {"new"});
    ASSERT_TRUE(out) << out.error();
    EXPECT_EQ(*out, "{\"b\": 1, // c" + end + "\"l\": [\"new\"]\n}");
  }
}

TEST(FailedStepTest, InferredFromReason) {
  TestResult result;
  result.outcome = Outcome::kFailed;
  result.reason = "iree-compile failed (exit status 1) for module \"m\"";
  EXPECT_EQ(FailedStepOf(result), Step::kCompile);
  result.outcome = Outcome::kXFailed;
  result.reason = "expected failure: " + result.reason;
  EXPECT_EQ(FailedStepOf(result), Step::kCompile);
  result.reason = "expected failure: [FAILED] result[0] ...";
  EXPECT_EQ(FailedStepOf(result), Step::kRun);
  result.outcome = Outcome::kPassed;
  EXPECT_EQ(FailedStepOf(result), Step::kNone);
}

TEST(FailedStepTest, RecordedStepWinsOverTheReason) {
  TestResult result;
  result.outcome = Outcome::kFailed;
  result.reason = "cannot resolve model.mlir: no such file";  // names no tool
  result.failed_step = Step::kCompile;
  EXPECT_EQ(FailedStepOf(result), Step::kCompile);
  // An expected compile failure that compiled, then failed to run.
  result.outcome = Outcome::kXPassed;
  result.reason = "compiled although listed in expected_compile_failures of c.json, then ...";
  result.failed_step = Step::kRun;
  EXPECT_EQ(FailedStepOf(result), Step::kRun);
  result.failed_step = Step::kNone;
  EXPECT_EQ(FailedStepOf(result), Step::kNone);
}

class PlanXfailUpdatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("xfail_update_test." + std::to_string(getpid()) + "." +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    config_ = dir_ / "cpu.json";
    ASSERT_TRUE(WriteFileAtomically(config_, R"({
  "config_name": "cpu",
  "iree_compile_flags": [],
  "iree_run_module_flags": [],
  // kept
  "expected_compile_failures": [
    "ops/fixed_compile",
    "ops/still_compile"
  ],
  "expected_run_failures": [
    "ops/fixed_run",
    "ops/now_compile"
  ]
}
)"));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static RecordedResult Op(const std::string& folder, Outcome outcome, Step step,
                           const std::string& reason = "") {
    RecordedResult recorded = Recorded(folder + "::cpu", TestKind::kQuality, outcome);
    recorded.result.failed_step = step;
    recorded.result.reason = reason;
    return recorded;
  }

  std::filesystem::path dir_;
  std::filesystem::path config_;
};

TEST_F(PlanXfailUpdatesTest, ListsFollowTheStepsThatFailed) {
  // Sorted by id: ops/fixed_compile, fixed_run, new_run, now_compile, still_compile.
  XfailUpdatePlan plan = PlanXfailUpdates(
      FileOf({
          Op("ops/fixed_compile", Outcome::kXPassed, Step::kNone),
          Op("ops/still_compile", Outcome::kXFailed, Step::kCompile),
          Op("ops/fixed_run", Outcome::kXPassed, Step::kNone),
          Op("ops/now_compile", Outcome::kFailed, Step::kCompile),
          Op("ops/new_run", Outcome::kFailed, Step::kRun),
          Op("ops/broken", Outcome::kError, Step::kNone),  // nothing known: untouched
          Recorded("ops/gpu_only::gpu", TestKind::kQuality, Outcome::kFailed),  // another config
      }),
      {config_});
  ASSERT_TRUE(plan.errors.empty()) << plan.errors.front();
  ASSERT_EQ(plan.edits.size(), 1u);
  const XfailEdit& edit = plan.edits[0];
  EXPECT_EQ(edit.file, config_);
  EXPECT_EQ(edit.new_text, R"({
  "config_name": "cpu",
  "iree_compile_flags": [],
  "iree_run_module_flags": [],
  // kept
  "expected_compile_failures": [
    "ops/now_compile",
    "ops/still_compile"
  ],
  "expected_run_failures": [
    "ops/new_run"
  ]
}
)");
  EXPECT_EQ(RenderXfailPlan(plan), config_.string() +
                                       "\n"
                                       "  expected_compile_failures: + ops/now_compile\n"
                                       "  expected_compile_failures: - ops/fixed_compile\n"
                                       "  expected_run_failures: + ops/new_run\n"
                                       "  expected_run_failures: - ops/fixed_run\n"
                                       "  expected_run_failures: - ops/now_compile\n");
  ASSERT_TRUE(ApplyXfailPlan(plan));
  Result<std::string> text = ReadSmallFile(config_);
  ASSERT_TRUE(text) << text.error();
  EXPECT_EQ(*text, edit.new_text);
}

TEST_F(PlanXfailUpdatesTest, CompileOnlyPassesLeaveTheRunListAlone) {
  XfailUpdatePlan plan = PlanXfailUpdates(
      FileOf({Op("ops/fixed_run", Outcome::kPassed, Step::kNone, kCompileOnlyReason),
              Op("ops/still_compile", Outcome::kSkipped, Step::kNone)}),
      {config_});
  EXPECT_TRUE(plan.errors.empty());
  EXPECT_TRUE(plan.edits.empty());
}

TEST_F(PlanXfailUpdatesTest, AnUnreadableConfigIsAnErrorForThatFileOnly) {
  XfailUpdatePlan plan = PlanXfailUpdates(FileOf({Op("ops/new_run", Outcome::kFailed, Step::kRun)}),
                                          {dir_ / "missing.json", config_});
  ASSERT_EQ(plan.errors.size(), 1u);
  EXPECT_NE(plan.errors[0].find("missing.json"), std::string::npos) << plan.errors[0];
  EXPECT_EQ(plan.edits.size(), 1u);
}

}  // namespace
}  // namespace iree_suite
