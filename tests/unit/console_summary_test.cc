// The short summary as pytest's -r characters select it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "report/console.h"

namespace iree_suite {
namespace {

class ShortSummaryTest : public ::testing::Test {
 protected:
  ShortSummaryTest() {
    const std::vector<std::pair<const char*, Outcome>> cases = {
        {"p.json", Outcome::kPassed},  {"f.json", Outcome::kFailed},
        {"e.json", Outcome::kError},   {"s.json", Outcome::kSkipped},
        {"x.json", Outcome::kXFailed}, {"X.json", Outcome::kXPassed}};
    definitions_.resize(cases.size());
    for (size_t i = 0; i < cases.size(); ++i) {
      definitions_[i].id = cases[i].first;
      TestResult result;
      result.test = &definitions_[i];
      result.outcome = cases[i].second;
      result.reason = cases[i].second == Outcome::kPassed ? "" : "why\nmore";
      results_.push_back(result);
    }
  }
  std::vector<std::string> Lines(const std::string& report_chars) {
    std::vector<std::string> texts;
    for (const ShortSummaryLine& line : ShortSummaryLines(results_, report_chars)) {
      texts.push_back(line.text);
    }
    return texts;
  }
  std::vector<TestDefinition> definitions_;
  std::vector<TestResult> results_;
};

TEST_F(ShortSummaryTest, DefaultListsFailuresThenErrorsInCharacterOrder) {
  EXPECT_EQ(Lines("fE"), (std::vector<std::string>{"FAILED f.json - why", "XPASS X.json - why",
                                                   "ERROR e.json - why"}));
}

TEST_F(ShortSummaryTest, CapitalAListsEverythingPassedFirst) {
  EXPECT_EQ(Lines("A"), (std::vector<std::string>{"PASSED p.json", "SKIPPED s.json - why",
                                                  "XFAIL x.json - why", "ERROR e.json - why",
                                                  "FAILED f.json - why", "XPASS X.json - why"}));
}

TEST_F(ShortSummaryTest, PassedOnlyNoneAndOldAliases) {
  EXPECT_EQ(Lines("p"), (std::vector<std::string>{"PASSED p.json"}));
  EXPECT_TRUE(Lines("fEN").empty());
  // IREE CI's -rpFe: F is the old alias of f; e is no character.
  EXPECT_EQ(Lines("pFe"), (std::vector<std::string>{"PASSED p.json", "FAILED f.json - why",
                                                    "XPASS X.json - why"}));
  // Without f, strict xpasses are still listed under X.
  EXPECT_EQ(Lines("X"), (std::vector<std::string>{"XPASS X.json - why"}));
}

TEST_F(ShortSummaryTest, EachLineCarriesItsResultsOutcome) {
  std::vector<Outcome> outcomes;
  for (const ShortSummaryLine& line : ShortSummaryLines(results_, "A")) {
    outcomes.push_back(line.outcome);
  }
  EXPECT_EQ(outcomes, (std::vector<Outcome>{Outcome::kPassed, Outcome::kSkipped, Outcome::kXFailed,
                                            Outcome::kError, Outcome::kFailed, Outcome::kXPassed}));
}

}  // namespace
}  // namespace iree_suite
