// pytest-like console output: header, per-test progress, failures with the
// command to rerun, the result table and the closing summary line.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "artifacts/progress_printer.h"
#include "base/line_printer.h"
#include "base/trace_sink.h"
#include "exec/run_events.h"
#include "exec/subprocess.h"
#include "results/run_context.h"
#include "results/test_result.h"
#include "runner/suite_runner.h"
#include "suite/test_definition.h"

namespace iree_suite {

// The one owner of the terminal: every line of a run is printed through its
// LinePrinter, from the runner's events (tests, tool commands, job spans,
// download and archive progress). On a terminal its status line names the
// job that has been running longest and for how long, as ninja does.
class ConsoleReporter : public TestObserver, public RunEvents, public TraceSink {
 public:
  ConsoleReporter(FILE* out, int verbosity, bool log_commands);  // a terminal when `out` is one
  ConsoleReporter(FILE* out, bool smart_terminal, int verbosity, bool log_commands);
  ~ConsoleReporter() override;
  ConsoleReporter(const ConsoleReporter&) = delete;
  ConsoleReporter& operator=(const ConsoleReporter&) = delete;

  void Header(const std::vector<ToolInfo>& tools);
  void Collected(size_t selected, size_t deselected, const std::vector<Diagnostic>& errors);
  // Each test's id and markers; with `commands`, its commands under it.
  void CollectOnly(
      const std::vector<const TestDefinition*>& tests,
      const std::function<std::vector<ShownCommand>(const TestDefinition&)>& commands = {});
  void CollectionErrors(const std::vector<Diagnostic>& errors);
  void Warnings(const std::vector<Diagnostic>& warnings);

  // TestObserver, RunEvents and TraceSink: called from any thread.
  void OnTestStarted(const TestDefinition& test) override;
  void OnTestFinished(const TestResult& result) override;
  // With log_commands, prints the tool command about to start, and the one
  // a cached product stands for, with its note.
  void OnCommandStarted(const ProcessSpec& spec) override;
  void OnCommandCached(const ProcessSpec& spec, const std::string& note) override;
  void OnJobProgress(const std::string& what, uint64_t done, uint64_t total,
                     double bytes_per_s) override;
  void OnJobFinished(const std::string& line) override;
  void OnNotice(const std::string& line) override;  // on stderr, above the status line
  uint64_t Begin(std::string kind, std::string name, std::string test_id, std::string artifact,
                 int lane) override;
  void End(uint64_t token) override;

  // The status line as it is drawn now, "" when there is none.
  std::string StatusText();

  // Colours the verdicts as pytest does (see UseColor).
  void SetColor(bool on) { color_ = on; }

  // pytest's -r characters (default "fE": failures and errors) and the
  // -x/--maxfail limit (0: none), for Finish.
  void SetSummaryOptions(std::string report_chars, size_t max_failures);

  // Failures in detail, the job-summary tables, the short summary, pytest's
  // "stopping after N failures" with how many tests never ran, and the
  // closing "N failed, N passed ... in Xs" line.
  void Finish(const std::vector<TestResult>& results, const std::string& marker_expression,
              size_t deselected, size_t collection_errors, double seconds,
              std::optional<int> durations);

  void Line(const std::string& text);

 private:
  struct RunningJob {
    std::string kind, name;
    std::chrono::steady_clock::time_point start;
  };

  void Rule(const std::string& title, char fill, const char* colour = nullptr);
  // `text` in the outcome's colour when colouring: green passed, red failed,
  // error and (strict) xpassed, yellow skipped and xfailed.
  std::string Paint(Outcome outcome, const std::string& text) const;
  // "[done/total done, R running, Q queued] <kind> <name> <s>s"; mutex_ held.
  std::string Status() const;
  void DrawStatus();
  // Redraws the status line every second while tests run, so its time moves.
  void StartTicker();
  void StopTicker();

  LinePrinter printer_;
  ProgressPrinter progress_;
  int verbosity_;
  bool log_commands_;
  bool status_line_;  // a terminal, not a CI log
  bool color_ = false;
  std::string report_chars_ = "fE";
  size_t max_failures_ = 0;

  std::mutex mutex_;  // guards what follows
  size_t total_ = 0;
  size_t finished_ = 0;
  std::vector<std::string> running_;     // tests started, not finished
  std::map<uint64_t, RunningJob> jobs_;  // spans begun, not ended, by token
  uint64_t next_token_ = 1;
  std::thread ticker_;
  std::condition_variable stop_ticker_;
  bool ticker_stopping_ = false;
};

// pytest's rule for colour: --color yes/no decide; auto colours a terminal
// (TERM not "dumb") unless PY_COLORS=0 or NO_COLOR is set, and also a pipe
// when PY_COLORS=1 or FORCE_COLOR is set.
bool UseColor(const std::string& mode, std::FILE* out);

// The short summary's lines for pytest's -r characters, in their order:
// p passed, s skipped, x xfailed, X xpassed (when f does not list them), E
// errors, f failed and xpassed (strict, so failures); a = "sxXEf", A =
// "PpsxXEf", N none.
struct ShortSummaryLine {
  Outcome outcome;   // whose colour the line's first word gets
  std::string text;  // "FAILED id - first line of the reason"
};
std::vector<ShortSummaryLine> ShortSummaryLines(const std::vector<TestResult>& results,
                                                const std::string& report_chars);

// A failure's block under FAILURES: the reason, the tail of the tool's output,
// the commands to reproduce it and the log paths.
std::string FailureDetails(const TestResult& result);

// A command as the console lists it: "  $ cd <dir> && <argv>", then
// "  # <note>" when it has one; a note alone when there is no command.
std::string ShownCommandLine(const ShownCommand& shown);

// "1 failed, 5 passed, 2 deselected, 1 error" (pytest's order and wording).
std::string SummaryCounts(const std::vector<TestResult>& results, size_t deselected,
                          size_t collection_errors);

}  // namespace iree_suite
