#include "suite/xfail_update.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace iree_suite {
namespace {

TEST(ReplaceTopLevelArrayTest, KeepsMultiLineLayoutAndOtherBytes) {
  const std::string text =
      "{\n  // keep me\n  \"a\": [\"x\"],\n  \"list\": [\n      \"p\",\n      \"q\"\n   ],\n"
      "  \"b\": 1\n}\n";
  std::string error;
  std::optional<std::string> out = ReplaceTopLevelArray(text, "list", {"p", "r", "s"}, &error);
  ASSERT_TRUE(out) << error;
  EXPECT_EQ(*out,
            "{\n  // keep me\n  \"a\": [\"x\"],\n  \"list\": [\n      \"p\",\n      \"r\",\n"
            "      \"s\"\n   ],\n  \"b\": 1\n}\n");
  out = ReplaceTopLevelArray(text, "list", {}, &error);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "{\n  // keep me\n  \"a\": [\"x\"],\n  \"list\": [],\n  \"b\": 1\n}\n");
}

TEST(ReplaceTopLevelArrayTest, EmptyOneLineAndMissingArrays) {
  std::string error;
  std::optional<std::string> out =
      ReplaceTopLevelArray("{\n    \"l\": [],\n    \"b\": 1\n}", "l", {"x"}, &error);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "{\n    \"l\": [\n        \"x\"\n    ],\n    \"b\": 1\n}");
  out = ReplaceTopLevelArray("{\"l\": [\"a\"], \"b\": 1}", "l", {"a", "b"}, &error);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "{\"l\": [\"a\", \"b\"], \"b\": 1}");
  out = ReplaceTopLevelArray("{\n  \"b\": 1 // one\n}\n", "l", {"a"}, &error);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "{\n  \"b\": 1,\n  \"l\": [\n    \"a\"\n  ] // one\n}\n");
  EXPECT_FALSE(ReplaceTopLevelArray("{\"l\": [\"a\" // c\n]}", "l", {}, &error));
}

TEST(ReplaceTopLevelArrayTest, RefusesADuplicatedKey) {
  std::string error;
  EXPECT_FALSE(ReplaceTopLevelArray(R"({"l": ["a"], "b": 1, "l": ["c"]})", "l", {"x"}, &error));
  EXPECT_EQ(error, "l: appears 2 times (the last one is read); keep one");
}

TEST(FailedStepTest, InferredFromReason) {
  ResultEntry entry;
  entry.outcome = "failed";
  entry.reason = "iree-compile failed (exit status 1) for module \"m\"";
  EXPECT_EQ(FailedStepOf(entry), FailedStep::kCompile);
  entry.outcome = "xfailed";
  entry.reason = "expected failure: " + entry.reason;
  EXPECT_EQ(FailedStepOf(entry), FailedStep::kCompile);
  entry.reason = "expected failure: [FAILED] result[0] ...";
  EXPECT_EQ(FailedStepOf(entry), FailedStep::kRun);
  entry.outcome = "passed";
  EXPECT_EQ(FailedStepOf(entry), FailedStep::kNone);
}

TEST(FailedStepTest, RecordedStepWinsOverTheReason) {
  ResultEntry entry;
  entry.outcome = "failed";
  entry.reason = "cannot resolve model.mlir: no such file";  // names no tool
  entry.failed_step = "compile";
  EXPECT_EQ(FailedStepOf(entry), FailedStep::kCompile);
  // An expected compile failure that compiled, then failed to run.
  entry.outcome = "xpassed";
  entry.reason = "compiled although listed in expected_compile_failures of c.json, then ...";
  entry.failed_step = "run";
  EXPECT_EQ(FailedStepOf(entry), FailedStep::kRun);
  entry.failed_step = "";
  EXPECT_EQ(FailedStepOf(entry), FailedStep::kNone);
}

}  // namespace
}  // namespace iree_suite
