#include "report/console.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "checks/golden_update.h"
#include "report/job_summary.h"
#include "results/results_json.h"

namespace iree_suite {
namespace {

constexpr size_t kWidth = 80;
// A benchmark measuring under this fraction of its golden has a golden too
// loose to catch a regression: the console suggests a tighter one.
constexpr double kHeadroomRatio = 0.5;

const char* Verb(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed:
      return "PASSED";
    case Outcome::kFailed:
      return "FAILED";
    case Outcome::kError:
      return "ERROR";
    case Outcome::kSkipped:
      return "SKIPPED";
    case Outcome::kXFailed:
      return "XFAIL";
    case Outcome::kXPassed:
      return "XPASS";
  }
  return "?";
}

const char* Mark(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed:
      return ".";
    case Outcome::kFailed:
      return "F";
    case Outcome::kError:
      return "E";
    case Outcome::kSkipped:
      return "s";
    case Outcome::kXFailed:
      return "x";
    case Outcome::kXPassed:
      return "X";
  }
  return "?";
}

std::string Plural(size_t count, const char* word, const char* plural) {
  return fmt::format("{} {}", count, count == 1 ? word : plural);
}

std::string Measurements(const TestResult& result) {
  if (result.current_time_ms) {
    std::string text = result.threshold_ms
                           ? fmt::format(" {:.3f} ms (threshold {:.3f} ms)",
                                         *result.current_time_ms, *result.threshold_ms)
                           : fmt::format(" {:.3f} ms (no golden)", *result.current_time_ms);
    // Noise made visible: the median and coefficient of variation of the repetitions.
    if (result.benchmark_samples_ms.size() > 1) {
      BenchmarkStats stats = ComputeStats(result.benchmark_samples_ms);
      text += fmt::format(" median {:.3f} ms, cv {:.1f}% over {} repetitions", stats.median,
                          100 * stats.cv, stats.count);
    }
    // Goldens under update-goldens' default policy: offered when there is
    // none, or when the measurement uses less than half of the golden.
    const std::optional<double>& golden = result.test->golden_time_ms;
    if (!golden || *result.current_time_ms < kHeadroomRatio * *golden) {
      text += fmt::format("; suggested golden_time_ms {:.3f}",
                          ProposeGoldenTimeMs(result, kDefaultGoldenTimeFactor).value);
    }
    if (result.benchmark_attempts_ms.size() > 1) {
      std::string attempts;
      for (double ms : result.benchmark_attempts_ms) {
        attempts += fmt::format("{}{:.3f}", attempts.empty() ? "" : ", ", ms);
      }
      text += fmt::format("; retried: attempts {} ms", attempts);
    }
    return text;
  }
  if (result.binary_size) {
    return fmt::format(" {} dispatches, {} bytes",
                       result.dispatch_count ? std::to_string(*result.dispatch_count) : "N/A",
                       *result.binary_size);
  }
  return "";
}

}  // namespace

std::string SummaryCounts(const std::vector<TestResult>& results, size_t deselected,
                          size_t collection_errors) {
  size_t counts[6] = {0, 0, 0, 0, 0, 0};
  for (const TestResult& result : results) ++counts[static_cast<int>(result.outcome)];
  std::vector<std::string> parts;
  if (counts[static_cast<int>(Outcome::kFailed)]) {
    parts.push_back(fmt::format("{} failed", counts[static_cast<int>(Outcome::kFailed)]));
  }
  if (counts[static_cast<int>(Outcome::kPassed)]) {
    parts.push_back(fmt::format("{} passed", counts[static_cast<int>(Outcome::kPassed)]));
  }
  if (counts[static_cast<int>(Outcome::kSkipped)]) {
    parts.push_back(fmt::format("{} skipped", counts[static_cast<int>(Outcome::kSkipped)]));
  }
  if (deselected) parts.push_back(fmt::format("{} deselected", deselected));
  if (counts[static_cast<int>(Outcome::kXFailed)]) {
    parts.push_back(fmt::format("{} xfailed", counts[static_cast<int>(Outcome::kXFailed)]));
  }
  if (counts[static_cast<int>(Outcome::kXPassed)]) {
    parts.push_back(fmt::format("{} xpassed", counts[static_cast<int>(Outcome::kXPassed)]));
  }
  size_t errors = counts[static_cast<int>(Outcome::kError)] + collection_errors;
  if (errors) parts.push_back(Plural(errors, "error", "errors"));
  if (parts.empty()) return "no tests ran";
  std::string joined;
  for (const std::string& part : parts) joined += (joined.empty() ? "" : ", ") + part;
  return joined;
}

ConsoleReporter::ConsoleReporter(FILE* out, int verbosity, bool log_commands)
    : ConsoleReporter(out, isatty(fileno(out)) != 0, verbosity, log_commands) {}

ConsoleReporter::ConsoleReporter(FILE* out, bool smart_terminal, int verbosity, bool log_commands)
    : printer_(out, smart_terminal),
      progress_(&printer_),
      verbosity_(verbosity),
      log_commands_(log_commands),
      // Logging commands makes a plain log: no status line to interleave with.
      status_line_(smart_terminal && verbosity >= 0 && !log_commands) {}

ConsoleReporter::~ConsoleReporter() { StopTicker(); }

void ConsoleReporter::OnCommandStarted(const ProcessSpec& spec) {
  if (log_commands_) Line(ShownCommandLine({{spec.cwd, spec.argv}, ""}));
}

void ConsoleReporter::OnCommandCached(const ProcessSpec& spec, const std::string& note) {
  if (log_commands_) Line(ShownCommandLine({{spec.cwd, spec.argv}, note}));
}

namespace {

// "# NOTE", each further line of a multi-line note (a tool's error) behind
// its own "  # ", so that the listing still pastes into a shell as it is.
std::string CommentedNote(const std::string& note) {
  std::string text = "# ";
  for (char c : note) {
    text += c;
    if (c == '\n') text += "  # ";
  }
  return text;
}

}  // namespace

std::string ShownCommandLine(const ShownCommand& shown) {
  if (shown.command.argv.empty()) return "  " + CommentedNote(shown.note);
  std::string line = "  $ " + shown.command.ToShellLine();
  // After a '#', so that the line pastes into a shell as it is.
  if (!shown.note.empty()) line += "  " + CommentedNote(shown.note);
  return line;
}

void ConsoleReporter::OnJobProgress(const std::string& what, uint64_t done, uint64_t total,
                                    double bytes_per_s) {
  if (verbosity_ >= 0) progress_.Update(what, done, total, bytes_per_s);
}

void ConsoleReporter::OnJobFinished(const std::string& line) {
  if (verbosity_ < 0) return;
  progress_.Finish(line);
  DrawStatus();  // the job's progress had the status line
}

void ConsoleReporter::OnNotice(const std::string& line) { printer_.PrintLineTo(stderr, line); }

uint64_t ConsoleReporter::Begin(std::string kind, std::string name, std::string, std::string, int) {
  uint64_t token = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    token = next_token_++;
    // A test waiting for its turn (a "wait" span) runs nothing: not named.
    if (kind == "wait") return token;
    jobs_[token] = {std::move(kind), std::move(name), std::chrono::steady_clock::now()};
  }
  DrawStatus();
  return token;
}

void ConsoleReporter::End(uint64_t token) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.erase(token);
  }
  DrawStatus();
}

void ConsoleReporter::Line(const std::string& text) { printer_.PrintLine(text); }

std::string ConsoleReporter::Status() const {
  if (!status_line_ || total_ == 0 || finished_ == total_) return "";
  std::string status = fmt::format("[{}/{} done, {} running, {} queued]", finished_, total_,
                                   running_.size(), total_ - finished_ - running_.size());
  // What actually runs (a tool, a download), not a test waiting for its turn:
  // the job running longest, and for how long.
  auto oldest = std::min_element(jobs_.begin(), jobs_.end(), [](const auto& a, const auto& b) {
    return a.second.start < b.second.start;
  });
  if (oldest != jobs_.end()) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::steady_clock::now() - oldest->second.start);
    status += fmt::format(" {} {} {}s", oldest->second.kind, oldest->second.name, seconds.count());
  }
  if (status.size() > kWidth) status = status.substr(0, kWidth - 3) + "...";
  return status;
}

std::string ConsoleReporter::StatusText() {
  std::lock_guard<std::mutex> lock(mutex_);
  return Status();
}

void ConsoleReporter::DrawStatus() {
  if (!status_line_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  printer_.SetStatus(Status());
}

void ConsoleReporter::StartTicker() {
  if (!status_line_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (ticker_.joinable() || ticker_stopping_) return;
  ticker_ = std::thread([this] {
    std::unique_lock<std::mutex> ticking(mutex_);
    while (!stop_ticker_.wait_for(ticking, std::chrono::seconds(1),
                                  [this] { return ticker_stopping_; })) {
      printer_.SetStatus(Status());
    }
  });
}

void ConsoleReporter::StopTicker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ticker_stopping_ = true;
  }
  stop_ticker_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

void ConsoleReporter::Rule(const std::string& title, char fill, const char* colour) {
  std::string middle = title.empty() ? "" : " " + title + " ";
  size_t side = middle.size() >= kWidth ? 0 : (kWidth - middle.size()) / 2;
  const std::string rule = std::string(side, fill) + middle + std::string(side, fill);
  Line(color_ && colour ? fmt::format("\033[{}m{}\033[0m", colour, rule) : rule);
}

std::string ConsoleReporter::Paint(Outcome outcome, const std::string& text) const {
  if (!color_) return text;
  const char* colour = outcome == Outcome::kPassed                                    ? "32"
                       : outcome == Outcome::kSkipped || outcome == Outcome::kXFailed ? "33"
                                                                                      : "31";
  return fmt::format("\033[{}m{}\033[0m", colour, text);
}

bool UseColor(const std::string& mode, std::FILE* out) {
  if (mode == "yes") return true;
  if (mode == "no") return false;
  auto set = [](const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0';
  };
  const char* py_colors = std::getenv("PY_COLORS");
  if (py_colors != nullptr && std::string_view(py_colors) == "1") return true;
  if (py_colors != nullptr && std::string_view(py_colors) == "0") return false;
  if (set("NO_COLOR")) return false;
  if (set("FORCE_COLOR")) return true;
  const char* term = std::getenv("TERM");
  return isatty(fileno(out)) != 0 && !(term != nullptr && std::string_view(term) == "dumb");
}

void ConsoleReporter::Header(const std::vector<ToolInfo>& tools) {
  if (verbosity_ < 0) return;
  Rule(fmt::format("iree-suite {} session starts", IREE_SUITE_VERSION), '=');
  for (const ToolInfo& tool : tools) {
    const std::string runs = tool.executable.empty() ? "" : " -> " + tool.executable.string();
    Line(fmt::format("{}: {}{} ({})", tool.name, tool.path.string(), runs, tool.version));
  }
}

void ConsoleReporter::Collected(size_t selected, size_t deselected,
                                const std::vector<Diagnostic>& errors) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    total_ = selected;
  }
  if (verbosity_ < -1) return;
  std::string line = fmt::format("collected {}", Plural(selected + deselected, "test", "tests"));
  if (deselected) line += fmt::format(" / {} deselected / {} selected", deselected, selected);
  if (!errors.empty()) line += fmt::format(" / {}", Plural(errors.size(), "error", "errors"));
  Line(line);
}

void ConsoleReporter::CollectionErrors(const std::vector<Diagnostic>& errors) {
  if (errors.empty()) return;
  Rule("ERRORS", '=');
  for (const Diagnostic& error : errors) Line("ERROR collecting " + error.ToString());
}

void ConsoleReporter::Warnings(const std::vector<Diagnostic>& warnings) {
  for (const Diagnostic& warning : warnings) Line("WARNING " + warning.ToString());
}

void ConsoleReporter::CollectOnly(
    const std::vector<const TestDefinition*>& tests,
    const std::function<std::vector<ShownCommand>(const TestDefinition&)>& commands) {
  for (const TestDefinition* test : tests) {
    std::string markers;
    for (const std::string& marker : test->markers)
      markers += (markers.empty() ? "" : ", ") + marker;
    Line(fmt::format("{}  [{}]", test->id, markers));
    if (!commands) continue;
    for (const ShownCommand& shown : commands(*test)) Line(ShownCommandLine(shown));
  }
}

void ConsoleReporter::OnTestStarted(const TestDefinition& test) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_.push_back(test.id);
  }
  StartTicker();
  if (log_commands_) {
    Line(fmt::format("starting {}", test.id));
  } else {
    DrawStatus();
  }
}

void ConsoleReporter::OnTestFinished(const TestResult& result) {
  size_t finished = 0;
  size_t total = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finished = ++finished_;
    total = total_;
    running_.erase(std::remove(running_.begin(), running_.end(), result.test->id), running_.end());
  }
  int percent = total == 0 ? 100 : static_cast<int>(100 * finished / total);
  if (verbosity_ >= 0) {
    Line(fmt::format("{} {} [{:3d}%] ({:.2f}s){}", result.test->id,
                     Paint(result.outcome, Verb(result.outcome)), percent, result.duration_s,
                     Measurements(result)));
  } else if (verbosity_ == -1) {
    printer_.PrintRaw(Paint(result.outcome, Mark(result.outcome)) +
                      (finished == total ? "\n" : ""));
  }
  DrawStatus();  // gone once every test finished
}

void ConsoleReporter::SetSummaryOptions(std::string report_chars, size_t max_failures) {
  report_chars_ = std::move(report_chars);
  max_failures_ = max_failures;
}

std::vector<ShortSummaryLine> ShortSummaryLines(const std::vector<TestResult>& results,
                                                const std::string& report_chars) {
  std::string chars;  // pytest's getreportopt
  for (char c : report_chars) {
    if (c == 'a') {
      chars = "sxXEf";
    } else if (c == 'A') {
      chars = "PpsxXEf";
    } else if (c == 'N') {
      chars.clear();
    } else if (chars.find(c) == std::string::npos) {
      chars += c == 'F' || c == 'S' ? static_cast<char>(c - 'A' + 'a') : c;  // old aliases
    }
  }
  const bool failures_listed = chars.find('f') != std::string::npos;
  std::vector<ShortSummaryLine> lines;
  for (char c : chars) {
    for (const TestResult& result : results) {
      const Outcome outcome = result.outcome;
      const bool listed =
          (c == 'p' && outcome == Outcome::kPassed) || (c == 's' && outcome == Outcome::kSkipped) ||
          (c == 'x' && outcome == Outcome::kXFailed) ||
          (c == 'X' && outcome == Outcome::kXPassed && !failures_listed) ||
          (c == 'E' && outcome == Outcome::kError) ||
          (c == 'f' && (outcome == Outcome::kFailed || outcome == Outcome::kXPassed));
      if (!listed) continue;
      const std::string first = result.reason.substr(0, result.reason.find('\n'));
      lines.push_back({outcome, first.empty() ? fmt::format("{} {}", Verb(outcome), result.test->id)
                                              : fmt::format("{} {} - {}", Verb(outcome),
                                                            result.test->id, first)});
    }
  }
  return lines;
}

std::string FailureDetails(const TestResult& result) {
  std::string text = result.reason;
  if (!result.output_tail.empty()) {
    text += "\n--- tool output (last lines) ---\n" + result.output_tail;
  }
  if (!result.repros.empty()) {
    text += "\n--- reproduce ---";
    for (const Repro& repro : result.repros) text += "\n" + repro.ToShellLine();
  }
  if (!result.logs.empty()) {
    text += "\n--- logs ---";
    for (const auto& log : result.logs) text += "\n" + log.string();
  }
  return text;
}

void ConsoleReporter::Finish(const std::vector<TestResult>& results,
                             const std::string& marker_expression, size_t deselected,
                             size_t collection_errors, double seconds,
                             std::optional<int> durations) {
  StopTicker();
  printer_.SetStatus("");
  const size_t failures = static_cast<size_t>(std::count_if(
      results.begin(), results.end(), [](const TestResult& r) { return IsFailure(r.outcome); }));
  if (failures > 0) Rule("FAILURES", '=');
  for (const TestResult& result : results) {
    if (!IsFailure(result.outcome)) continue;
    Rule(result.test->id, '_');
    Line(FailureDetails(result));
  }
  if (verbosity_ >= 0 && !results.empty()) {
    Rule("results", '-');
    printer_.PrintRaw(RenderJobSummaryMarkdown(marker_expression, BuildSummaryTables(results)));
  }
  if (durations) {
    std::vector<const TestResult*> by_time;
    for (const TestResult& result : results) by_time.push_back(&result);
    std::stable_sort(by_time.begin(), by_time.end(), [](const TestResult* a, const TestResult* b) {
      return a->duration_s > b->duration_s;
    });
    if (*durations > 0 && by_time.size() > static_cast<size_t>(*durations)) {
      by_time.resize(static_cast<size_t>(*durations));
    }
    Rule(*durations > 0 ? fmt::format("slowest {} durations", *durations) : "slowest durations",
         '=');
    for (const TestResult* result : by_time) {
      Line(fmt::format("{:.2f}s {}", result->duration_s, result->test->id));
    }
  }
  const std::vector<ShortSummaryLine> short_summary = ShortSummaryLines(results, report_chars_);
  if (!short_summary.empty() || collection_errors) {
    Rule("short test summary info", '=');
    for (const ShortSummaryLine& line : short_summary) {
      // Each line starts with its verdict's word, which gets the verdict's colour.
      const std::string_view verb = Verb(line.outcome);
      Line(Paint(line.outcome, std::string(verb)) + line.text.substr(verb.size()));
    }
  }
  if (max_failures_ != 0 && failures >= max_failures_) {
    const size_t not_run = total_ > results.size() ? total_ - results.size() : 0;
    Rule(fmt::format("stopping after {} failures{}", failures,
                     not_run ? fmt::format(", {} not run", Plural(not_run, "test", "tests")) : ""),
         '!');
  }
  // pytest's main colour: red with any failure or error, green when something
  // passed, else yellow (only skips and xfails, or nothing ran).
  const bool passed = std::any_of(results.begin(), results.end(), [](const TestResult& r) {
    return r.outcome == Outcome::kPassed;
  });
  const char* colour = failures || collection_errors ? "31;1" : passed ? "32;1" : "33;1";
  Rule(fmt::format("{} in {:.2f}s", SummaryCounts(results, deselected, collection_errors), seconds),
       '=', colour);
}

}  // namespace iree_suite
