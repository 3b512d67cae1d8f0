#include "checks/test_result.h"

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
}

}  // namespace
}  // namespace iree_suite
