// pytest-like console output: header, per-test progress, failures with the
// command to rerun, the result table and the closing summary line.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "exec/subprocess.h"
#include "results/run_context.h"
#include "results/test_result.h"
#include "runner/suite_runner.h"
#include "suite/test_definition.h"

namespace iree_suite {

class ConsoleReporter : public TestObserver {
 public:
  ConsoleReporter(FILE* out, int verbosity, bool log_commands);

  void Header(const std::vector<ToolInfo>& tools);
  void Collected(size_t selected, size_t deselected, const std::vector<Diagnostic>& errors);
  void CollectOnly(const std::vector<const TestDefinition*>& tests);
  void CollectionErrors(const std::vector<Diagnostic>& errors);
  void Warnings(const std::vector<Diagnostic>& warnings);

  // With log_commands, prints the tool command about to start. Safe to call
  // from any thread (unlike the rest of the reporter).
  void CommandStarted(const ProcessSpec& spec);

  void OnTestStarted(const TestDefinition& test) override;
  void OnTestFinished(const TestResult& result) override;

  // Failures in detail, the job-summary tables, the short summary and the
  // closing "N failed, N passed ... in Xs" line.
  void Finish(const std::vector<TestResult>& results, const std::string& marker_expression,
              size_t deselected, size_t collection_errors, double seconds,
              std::optional<int> durations);

  void Line(const std::string& text);

 private:
  void Rule(const std::string& title, char fill);
  // On a terminal, one rewritten line: finished/running/queued and a running test.
  void DrawStatus();

  FILE* out_;
  int verbosity_;
  bool log_commands_;
  size_t total_ = 0;
  size_t finished_ = 0;
  std::vector<std::string> running_;
  bool status_line_;  // a terminal, not a CI log
  bool status_shown_ = false;
};

// A failure's block under FAILURES: the reason, the tail of the tool's output,
// the commands to reproduce it and the log paths.
std::string FailureDetails(const TestResult& result);

// "1 failed, 5 passed, 2 deselected, 1 error" (pytest's order and wording).
std::string SummaryCounts(const std::vector<TestResult>& results, size_t deselected,
                          size_t collection_errors);

}  // namespace iree_suite
