#include "results/test_result.h"

#include <fmt/format.h>

namespace iree_suite {

const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed:
      return "passed";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kError:
      return "error";
    case Outcome::kSkipped:
      return "skipped";
    case Outcome::kXFailed:
      return "xfailed";
    case Outcome::kXPassed:
      return "xpassed";
  }
  return "?";
}

std::optional<Outcome> ParseOutcome(std::string_view name) {
  for (Outcome outcome : kAllOutcomes) {
    if (name == OutcomeName(outcome)) return outcome;
  }
  return std::nullopt;
}

bool IsFailure(Outcome outcome) {
  return outcome == Outcome::kFailed || outcome == Outcome::kError || outcome == Outcome::kXPassed;
}

namespace {
// Quotes for a POSIX shell only where needed, so the line pastes as is.
std::string ShellQuote(const std::string& word) {
  if (!word.empty() &&
      word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                             "-_=+/.,:@%") == std::string::npos) {
    return word;
  }
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}
}  // namespace

const char* StepName(Step step) {
  switch (step) {
    case Step::kCompile:
      return "compile";
    case Step::kRun:
      return "run";
    case Step::kCheck:
      return "check";
    case Step::kNone:
      break;
  }
  return nullptr;
}

std::optional<Step> ParseStep(std::string_view name) {
  for (Step step : {Step::kCompile, Step::kRun, Step::kCheck}) {
    if (name == StepName(step)) return step;
  }
  return std::nullopt;
}

std::string Repro::ToShellLine() const {
  // No directory: the command runs where the user is.
  std::string line = cwd.empty() ? "" : "cd " + ShellQuote(cwd.string()) + " &&";
  for (const std::string& arg : argv) line += (line.empty() ? "" : " ") + ShellQuote(arg);
  return line;
}

}  // namespace iree_suite
