#include "results/test_result.h"

#include <gtest/gtest.h>

namespace iree_suite {
namespace {

TEST(TestResultTest, PlainWordsAreNotQuoted) {
  Repro repro{"/ext/files",
              {"/usr/bin/iree-run-module", "--module=/a/m.vmfb", "--input=1x2xf32=1,2",
               "--parameters=model=/w/x.irpa", "--expected_f16_threshold=0.05f", "@/p/in.npy"}};
  EXPECT_EQ(repro.ToShellLine(),
            "cd /ext/files && /usr/bin/iree-run-module --module=/a/m.vmfb --input=1x2xf32=1,2 "
            "--parameters=model=/w/x.irpa --expected_f16_threshold=0.05f @/p/in.npy");
}

TEST(TestResultTest, SpacesAndSpecialCharactersAreQuoted) {
  Repro repro{"/my dir", {"tool", "a b", "$HOME", "x;y", "*.json", "a\"b", "tab\there"}};
  EXPECT_EQ(repro.ToShellLine(),
            "cd '/my dir' && tool 'a b' '$HOME' 'x;y' '*.json' 'a\"b' 'tab\there'");
}

TEST(TestResultTest, SingleQuotesAreEscaped) {
  Repro repro{"/d", {"echo", "it's", "'"}};
  EXPECT_EQ(repro.ToShellLine(), "cd /d && echo 'it'\\''s' ''\\'''");
}

TEST(TestResultTest, EmptyWordIsQuoted) {
  Repro repro{"/d", {"tool", ""}};
  EXPECT_EQ(repro.ToShellLine(), "cd /d && tool ''");
}

TEST(TestResultTest, NoDirectoryMeansNoCd) {
  Repro repro{"", {"/opt/iree-compile", "--version"}};
  EXPECT_EQ(repro.ToShellLine(), "/opt/iree-compile --version");
}

TEST(TestResultTest, OutcomeNames) {
  EXPECT_STREQ(OutcomeName(Outcome::kPassed), "passed");
  EXPECT_STREQ(OutcomeName(Outcome::kFailed), "failed");
  EXPECT_STREQ(OutcomeName(Outcome::kError), "error");
  EXPECT_STREQ(OutcomeName(Outcome::kSkipped), "skipped");
  EXPECT_STREQ(OutcomeName(Outcome::kXFailed), "xfailed");
  EXPECT_STREQ(OutcomeName(Outcome::kXPassed), "xpassed");
}

TEST(TestResultTest, EveryOutcomeParsesBackFromItsName) {
  EXPECT_EQ(std::size(kAllOutcomes), 6u);
  for (Outcome outcome : kAllOutcomes) EXPECT_EQ(ParseOutcome(OutcomeName(outcome)), outcome);
  EXPECT_FALSE(ParseOutcome("Passed"));
  EXPECT_FALSE(ParseOutcome(""));
}

TEST(TestResultTest, FailuresAreFailedErrorAndXPassed) {
  EXPECT_FALSE(IsFailure(Outcome::kPassed));
  EXPECT_TRUE(IsFailure(Outcome::kFailed));
  EXPECT_TRUE(IsFailure(Outcome::kError));
  EXPECT_FALSE(IsFailure(Outcome::kSkipped));
  EXPECT_FALSE(IsFailure(Outcome::kXFailed));
  EXPECT_TRUE(IsFailure(Outcome::kXPassed));
}

TEST(TestResultTest, StepsParseBackFromTheirNames) {
  EXPECT_STREQ(StepName(Step::kCompile), "compile");
  EXPECT_STREQ(StepName(Step::kRun), "run");
  EXPECT_EQ(StepName(Step::kNone), nullptr);
  EXPECT_EQ(ParseStep("compile"), Step::kCompile);
  EXPECT_EQ(ParseStep("run"), Step::kRun);
  EXPECT_FALSE(ParseStep("link"));
}

}  // namespace
}  // namespace iree_suite
