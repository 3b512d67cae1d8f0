#include "cli/history_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "base/atomic_file.h"
#include "base/result.h"
#include "cli/options.h"
#include "cli/update_goldens_command.h"
#include "history/change_analysis.h"
#include "history/golden_from_history.h"
#include "history/history_import.h"
#include "history/history_store.h"
#include "history/run_history.h"
#include "history/run_record.h"
#include "history/series_summary.h"
#include "report/history_trend.h"
#include "results/results_json.h"
#include "suite/marker_expression.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// Flags shared by the commands that read the history.
struct ReadFlags {
  std::string history;
  fs::path artifact_directory = "artifacts";
  std::string markers;
  std::string keywords;
  std::string since;
  std::string host;
  size_t last = 0;
  bool json = false;
};

void AddLocationFlags(CLI::App& app, ReadFlags* flags) {
  app.add_option("--history", flags->history,
                 "SQLite file or postgresql:// URI (default: <artifact-directory>/history.sqlite)");
  app.add_option("--artifact-directory", flags->artifact_directory,
                 "Where the default history.sqlite is")
      ->capture_default_str();
}

void AddReadFlags(CLI::App& app, ReadFlags* flags) {
  AddLocationFlags(app, flags);
  app.add_option("-m", flags->markers, "Only tests whose markers match this expression");
  app.add_option("-k", flags->keywords, "Only tests whose id matches this expression");
  app.add_option("--since", flags->since,
                 "Only runs at or after this date (YYYY-MM-DD, an ISO time, or Nd for N days ago)");
  app.add_option("--host", flags->host, "Only runs on this host");
  app.add_option("--last", flags->last, "Only each test's newest N runs");
  app.add_flag("--json", flags->json, "JSON for scripts instead of a table");
}

// The exit code when parsing ends the command (--help, a usage error).
std::optional<int> Parse(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsageError;
  }
  return std::nullopt;
}

// "2025-01-31", "2025-01-31T12:00:00Z" or "90d" -> an ISO prefix to compare with.
Result<std::string> ParseSince(const std::string& text) {
  static const std::regex kDays("([0-9]+)d");
  static const std::regex kDate("[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:.]+Z?)?");
  std::smatch match;
  if (std::regex_match(text, match, kDays)) {
    const auto days = std::chrono::hours(24 * std::stoll(match[1].str()));
    return FormatIso8601Utc(std::chrono::system_clock::now() - days);
  }
  if (text.empty() || std::regex_match(text, kDate)) return text;
  return Error{
      fmt::format("--since/--window: expected YYYY-MM-DD, an ISO 8601 time or Nd, got '{}'", text)};
}

// The location to open; an SQLite file must exist (reading never creates one).
Result<std::string> ReadableLocation(const ReadFlags& flags) {
  std::string location = HistoryLocation(flags.history, flags.artifact_directory);
  std::error_code ec;
  if (!IsPostgresUri(location) && !fs::exists(location, ec)) {
    return Error{
        fmt::format("{}: no history there (runs record one; or `history import`)", location)};
  }
  return location;
}

// Opens, loads and filters the history. Returns the exit code on failure.
std::optional<int> LoadSelected(const ReadFlags& flags, const char* command, HistoryData* data,
                                std::vector<const HistorySeries*>* selected) {
  auto fail = [command](const std::string& error, int exit_code) {
    fmt::print(stderr, "iree-suite history {}: error: {}\n", command, error);
    return exit_code;
  };
  Result<MarkerExpression> markers = MarkerExpression::Parse(flags.markers);
  if (!markers) return fail(markers.error(), kExitUsageError);
  Result<MarkerExpression> keywords = MarkerExpression::Parse(flags.keywords);
  if (!keywords) return fail(keywords.error(), kExitUsageError);
  Result<std::string> since = ParseSince(flags.since);
  if (!since) return fail(since.error(), kExitUsageError);
  Result<std::string> location = ReadableLocation(flags);
  if (!location) return fail(location.error(), kExitInternalError);
  Result<std::unique_ptr<HistoryStore>> store = HistoryStore::Open(*location);
  if (!store) return fail(store.error(), kExitInternalError);
  Result<HistoryData> loaded = (*store)->Load({*since, flags.host});
  if (!loaded) return fail(loaded.error(), kExitInternalError);
  *data = std::move(*loaded);
  for (HistorySeries& series : data->series) {
    if (!markers->MatchesMarkers(series.markers) ||
        !keywords->MatchesKeywords(series.test_id, series.markers)) {
      continue;
    }
    if (flags.last != 0 && series.points.size() > flags.last) {
      series.points.erase(series.points.begin(),
                          series.points.end() - static_cast<std::ptrdiff_t>(flags.last));
    }
    selected->push_back(&series);
  }
  return std::nullopt;
}

int RunImport(int argc, char** argv) {
  CLI::App app{"Adds results.json files to the history; a run already there is skipped.",
               "iree-suite history import"};
  ReadFlags flags;
  std::vector<fs::path> files;
  AddLocationFlags(app, &flags);
  app.add_option("RESULTS", files, "results.json files")->required();
  if (std::optional<int> done = Parse(app, argc, argv)) return *done;
  const std::string location = HistoryLocation(flags.history, flags.artifact_directory);
  Result<std::unique_ptr<HistoryStore>> store = HistoryStore::Open(location);
  if (!store) {
    fmt::print(stderr, "iree-suite history import: error: {}\n", store.error());
    return kExitInternalError;
  }
  const ImportCounts counts =
      ImportResultsFiles(**store, files, std::max(1u, std::thread::hardware_concurrency()),
                         [](const std::string& problem) {
                           fmt::print(stderr, "iree-suite history import: error: {}\n", problem);
                         });
  fmt::print("imported {} run{}, {} already in the history, {} unreadable ({})\n", counts.added,
             counts.added == 1 ? "" : "s", counts.known, counts.bad, location);
  return counts.bad == 0 ? kExitOk : kExitInterrupted;
}

std::string Number(double value) { return fmt::format("{:.3f}", value); }

Json SummaryJson(const SeriesSummary& s) {
  Json golden_rate = s.golden_failure_rate ? Json(*s.golden_failure_rate) : Json(nullptr);
  return {{"id", s.test_id},
          {"type", s.type},
          {"runs", s.runs},
          {"n", s.n},
          {"mean_ms", s.n ? Json(s.mean) : Json(nullptr)},
          {"p50_ms", s.n ? Json(s.p50) : Json(nullptr)},
          {"p95_ms", s.n ? Json(s.p95) : Json(nullptr)},
          {"max_ms", s.n ? Json(s.max) : Json(nullptr)},
          {"cv", s.n ? Json(s.cv) : Json(nullptr)},
          {"golden_time_ms", s.golden_time_ms ? Json(*s.golden_time_ms) : Json(nullptr)},
          {"threshold_ms", s.threshold_ms ? Json(*s.threshold_ms) : Json(nullptr)},
          {"golden_failure_rate", golden_rate},
          {"failures", s.flakiness.failures},
          {"failed_then_passed", s.flakiness.then_passed},
          {"flakiness", s.flakiness.Rate()},
          {"values_ms", s.values}};
}

std::string SummaryLine(const SeriesSummary& s) {
  const std::string flaky = fmt::format("{}/{}", s.flakiness.then_passed, s.flakiness.failures);
  if (s.n == 0) {
    return fmt::format("{:<44} {:>5} {:>5} {:>60} {:>7}\n", s.test_id, s.runs, 0, "", flaky);
  }
  const std::string golden = s.golden_time_ms ? Number(*s.golden_time_ms) : "-";
  const std::string rate =
      s.golden_failure_rate ? fmt::format("{:.1f}%", *s.golden_failure_rate * 100) : "-";
  return fmt::format("{:<44} {:>5} {:>5} {:>9} {:>9} {:>9} {:>9} {:>5.1f}% {:>9} {:>6} {:>7}  {}\n",
                     s.test_id, s.runs, s.n, Number(s.mean), Number(s.p50), Number(s.p95),
                     Number(s.max), s.cv * 100, golden, rate, flaky, Sparkline(s.values, 30));
}

int RunShow(int argc, char** argv) {
  CLI::App app{
      "Per test: the trend of its benchmark minimum over the runs, n, mean, p50, p95, "
      "max, coefficient of variation, the failure rate the current golden would have "
      "had, and flakiness (failures followed by a pass on the same compiler).",
      "iree-suite history show"};
  ReadFlags flags;
  AddReadFlags(app, &flags);
  if (std::optional<int> done = Parse(app, argc, argv)) return *done;
  HistoryData data;
  std::vector<const HistorySeries*> selected;
  if (std::optional<int> failed = LoadSelected(flags, "show", &data, &selected)) return *failed;
  if (flags.json) {
    Json tests = Json::array();
    for (const HistorySeries* series : selected) {
      tests.push_back(SummaryJson(Summarize(*series, data.runs)));
    }
    fmt::print("{}\n", Json{{"runs", data.runs.size()}, {"tests", std::move(tests)}}.dump(2));
    return kExitOk;
  }
  fmt::print("{} runs, {} tests\n", data.runs.size(), selected.size());
  fmt::print("{:<44} {:>5} {:>5} {:>9} {:>9} {:>9} {:>9} {:>6} {:>9} {:>6} {:>7}  {}\n", "test",
             "runs", "n", "mean ms", "p50 ms", "p95 ms", "max ms", "cv", "golden", "fail", "flaky",
             "trend");
  std::string out;
  for (const HistorySeries* series : selected) out += SummaryLine(Summarize(*series, data.runs));
  fmt::print("{}", out);
  return kExitOk;
}

void AddChangeFlags(CLI::App& app, ChangeAnalysisOptions* options) {
  app.add_option("--alpha", options->detector.alpha, "Significance level of each change point")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--permutations", options->detector.permutations,
                 "Permutations of the significance test")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--min-segment", options->detector.min_segment,
                 "Fewest runs on either side of a change")
      ->capture_default_str()
      ->check(CLI::Range(2, 1000000));
  app.add_option("--min-change", options->min_change, "Smallest relative step reported")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--seed", options->detector.seed, "Seed of the permutations")
      ->capture_default_str();
}

std::string RunLabel(const HistoryRunInfo& run) {
  std::string commit =
      run.compiler_commit.empty() ? run.compiler_version : run.compiler_commit.substr(0, 12);
  return fmt::format("{} ({}{})", run.start_time, commit.empty() ? "compiler unknown" : commit,
                     run.host.empty() ? "" : ", " + run.host);
}

Json ChangeJson(const SeriesChange& change) {
  auto run = [](const HistoryRunInfo& info) {
    return Json{{"run_id", info.id},
                {"start_time", info.start_time},
                {"host", info.host},
                {"compiler_version", info.compiler_version},
                {"compiler_commit", info.compiler_commit},
                {"github_sha", info.github_sha}};
  };
  return {{"last_before", run(*change.last_before)},
          {"first_after", run(*change.first_after)},
          {"mean_before_ms", change.mean_before},
          {"mean_after_ms", change.mean_after},
          {"relative_change", change.Relative()},
          {"direction", change.IsRegression() ? "regression" : "improvement"},
          {"p_value", change.p_value}};
}

std::string ChangesText(const std::vector<SeriesChanges>& all) {
  std::string out;
  for (const SeriesChanges& series : all) {
    out += fmt::format("{} ({} runs)\n", series.test_id, series.n);
    for (const SeriesChange& change : series.changes) {
      out += fmt::format(
          "  {:+.1f}% {} ms -> {} ms  {}  p={:.3f}\n    between {}\n        and {}\n",
          change.Relative() * 100, Number(change.mean_before), Number(change.mean_after),
          change.IsRegression() ? "REGRESSION" : "improvement", change.p_value,
          RunLabel(*change.last_before), RunLabel(*change.first_after));
    }
  }
  return out;
}

int RunChanges(int argc, char** argv) {
  CLI::App app{
      "Change points of every benchmark series (E-Divisive means with a permutation "
      "test), each with the runs and compiler commits it lies between, its size and "
      "direction.",
      "iree-suite history changes"};
  ReadFlags flags;
  ChangeAnalysisOptions options;
  bool fail_on_regression = false;
  AddReadFlags(app, &flags);
  AddChangeFlags(app, &options);
  app.add_flag("--fail-on-regression", fail_on_regression,
               "Exit 1 when a series' newest segment began with a significant regression");
  if (std::optional<int> done = Parse(app, argc, argv)) return *done;
  HistoryData data;
  std::vector<const HistorySeries*> selected;
  if (std::optional<int> failed = LoadSelected(flags, "changes", &data, &selected)) return *failed;
  std::vector<SeriesChanges> all = AnalyzeChanges(data, selected, options);
  std::vector<std::string> regressed;
  for (const SeriesChanges& series : all) {
    if (series.NewestIsRegression()) regressed.push_back(series.test_id);
  }
  if (flags.json) {
    Json tests = Json::array();
    for (const SeriesChanges& series : all) {
      Json changes = Json::array();
      for (const SeriesChange& change : series.changes) changes.push_back(ChangeJson(change));
      tests.push_back({{"id", series.test_id},
                       {"n", series.n},
                       {"newest_is_regression", series.NewestIsRegression()},
                       {"changes", std::move(changes)}});
    }
    fmt::print("{}\n", Json{{"runs", data.runs.size()}, {"tests", std::move(tests)}}.dump(2));
  } else {
    fmt::print("{} runs, {} series, {} with change points\n{}", data.runs.size(), selected.size(),
               all.size(), ChangesText(all));
    for (const std::string& id : regressed) {
      fmt::print("newest segment regressed: {}\n", id);
    }
  }
  return fail_on_regression && !regressed.empty() ? kExitTestsFailed : kExitOk;
}

int RunReport(int argc, char** argv) {
  CLI::App app{
      "Writes one self-contained HTML page with every benchmark's trend: its minimum "
      "per run, golden and threshold lines, change points and failed runs.",
      "iree-suite history report"};
  ReadFlags flags;
  ChangeAnalysisOptions options;
  fs::path html;
  AddReadFlags(app, &flags);
  AddChangeFlags(app, &options);
  app.add_option("--html", html, "Where to write the page")->required();
  if (std::optional<int> done = Parse(app, argc, argv)) return *done;
  HistoryData data;
  std::vector<const HistorySeries*> selected;
  if (std::optional<int> failed = LoadSelected(flags, "report", &data, &selected)) return *failed;
  const std::string page =
      RenderHistoryReport(data, selected, AnalyzeChanges(data, selected, options));
  if (Status written = WriteFileAtomically(html, page); !written) {
    fmt::print(stderr, "iree-suite history report: error: cannot write {}: {}\n", html.string(),
               written.error());
    return kExitInternalError;
  }
  fmt::print("wrote {} ({} tests, {} runs)\n", html.string(), selected.size(), data.runs.size());
  return kExitOk;
}

}  // namespace

int RunHistoryCommand(int argc, char** argv) {
  const std::string usage =
      "usage: iree-suite history import|show|changes|report ... (--help for each)\n";
  if (argc < 2) {
    fmt::print(stderr, "{}", usage);
    return kExitUsageError;
  }
  const std::string command = argv[1];
  if (command == "import") return RunImport(argc - 1, argv + 1);
  if (command == "show") return RunShow(argc - 1, argv + 1);
  if (command == "changes") return RunChanges(argc - 1, argv + 1);
  if (command == "report") return RunReport(argc - 1, argv + 1);
  if (command == "--help" || command == "-h") {
    fmt::print("{}", usage);
    return kExitOk;
  }
  fmt::print(stderr, "iree-suite history: unknown command '{}'\n{}", command, usage);
  return kExitUsageError;
}

int RunUpdateGoldensFromHistory(int argc, char** argv) {
  CLI::App app{
      "Sets each benchmark's golden_time_ms from its history: the smallest golden whose "
      "failure rate over the runs since the last change point, with the test's "
      "tolerance factor, is at most --max-false-failure. Prints the evidence; --write "
      "applies it (only the number's text changes).",
      "iree-suite update-goldens --from-history"};
  ReadFlags flags;
  HistoryGoldenOptions options;
  fs::path test_dir;
  std::string max_false_failure = "0.5%";
  bool from_history = false;
  bool write = false;
  AddReadFlags(app, &flags);
  AddChangeFlags(app, &options.changes);
  app.add_flag("--from-history", from_history, "Use the history (required here)")->required();
  app.add_option("--test-file-directory", test_dir, "Where the test JSONs are")->required();
  auto* window = app.add_option("--window", flags.since, "Only runs of the last N days (90d)");
  app.add_flag("--since-last-change", options.since_last_change,
               "Only the runs after the newest change point (the default)")
      ->excludes(window);
  app.add_option("--max-false-failure", max_false_failure,
                 "Target failure rate of an unchanged compiler (0.5% or 0.005)")
      ->capture_default_str();
  app.add_option("--min-runs", options.min_values, "Fewest runs to propose a golden from")
      ->capture_default_str();
  app.add_flag("--write", write, "Write the changes (default: only print them)");
  if (std::optional<int> done = Parse(app, argc, argv)) return *done;
  // --window alone: the whole window, not only its newest segment.
  if (!window->empty()) options.since_last_change = false;
  try {
    const bool percent = !max_false_failure.empty() && max_false_failure.back() == '%';
    options.max_false_failure =
        std::stod(percent ? max_false_failure.substr(0, max_false_failure.size() - 1)
                          : max_false_failure) /
        (percent ? 100 : 1);
  } catch (const std::exception&) {
    options.max_false_failure = -1;
  }
  if (!(options.max_false_failure >= 0 && options.max_false_failure < 1)) {
    fmt::print(stderr,
               "iree-suite update-goldens: error: --max-false-failure: expected a rate such as "
               "0.5% or 0.005, got '{}'\n",
               max_false_failure);
    return kExitUsageError;
  }
  HistoryData data;
  std::vector<const HistorySeries*> selected;
  if (std::optional<int> failed = LoadSelected(flags, "update-goldens", &data, &selected)) {
    return *failed;
  }
  std::vector<HistoryGoldenProposal> proposals = ProposeGoldens(data, selected, options);
  fmt::print("{}", RenderGoldenProposals(proposals, options.max_false_failure));
  GoldenUpdatePlan plan = PlanHistoryGoldenUpdates(proposals, test_dir);
  fmt::print("\n");
  return ReportAndApplyGoldenPlan(plan, write);
}

}  // namespace iree_suite
