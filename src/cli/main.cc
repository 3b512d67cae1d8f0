// iree-suite: definitions -> plan -> artifacts -> checks -> reports.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>

#include "base/strings.h"
#include "cli/cache_command.h"
#include "cli/compare_command.h"
#include "cli/history_command.h"
#include "cli/merge_reports_command.h"
#include "cli/options.h"
#include "cli/positional_paths.h"
#include "cli/repro_command.h"
#include "cli/update_goldens_command.h"
#include "cli/update_xfails_command.h"
#include "exec/iree_tools.h"
#include "exec/subprocess.h"
#include "history/run_history.h"
#include "history/run_record.h"
#include "report/console.h"
#include "report/event_stream.h"
#include "report/history_trend.h"
#include "report/html_report.h"
#include "report/job_summary.h"
#include "report/junit_xml.h"
#include "report/last_failed.h"
#include "report/trace_writer.h"
#include "results/results_json.h"
#include "runner/sharding.h"
#include "runner/suite_runner.h"
#include "suite/marker_expression.h"
#include "suite/op_suite_loader.h"
#include "suite/suite_loader.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

std::optional<MarkerExpression> ParseExpression(const std::string& flag, const std::string& text) {
  Result<MarkerExpression> expression = MarkerExpression::Parse(text);
  if (!expression) {
    fmt::print(stderr, "iree-suite: error: Wrong expression passed to '{}': {}: {}\n", flag, text,
               expression.error());
    return std::nullopt;
  }
  return std::move(*expression);
}

// --test-ids-file: the tests named there, in that order. An id that names no
// collected test is an error (the caller asked for something that is not
// there); a blank line is skipped.
std::optional<std::vector<const TestDefinition*>> SelectByIds(const fs::path& file,
                                                              const LoadedSuite& suite) {
  std::ifstream in(file);
  if (!in) {
    fmt::print(stderr, "iree-suite: error: --test-ids-file: cannot read {}\n", file.string());
    return std::nullopt;
  }
  std::map<std::string, const TestDefinition*> by_id;
  for (const TestDefinition& test : suite.tests) by_id[test.id] = &test;
  std::vector<const TestDefinition*> selected;
  std::set<std::string> seen;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || !seen.insert(line).second) continue;
    auto found = by_id.find(line);
    if (found == by_id.end()) {
      fmt::print(stderr, "iree-suite: error: {}:{}: no collected test has the id \"{}\"\n",
                 file.string(), number, line);
      return std::nullopt;
    }
    selected.push_back(found->second);
  }
  return selected;
}

fs::path SelfExecutable() {
  std::error_code ec;
  return fs::read_symlink("/proc/self/exe", ec);
}

// --compile-mode and the compile workers' program, library and limits.
void SetCompileMode(const CliOptions& options, CompilerInfo* compiler) {
  compiler->mode = options.compile_mode == "process"   ? CompileMode::kProcess
                   : options.compile_mode == "library" ? CompileMode::kLibrary
                                                       : CompileMode::kAuto;
  compiler->verbose = options.verbosity > 0;
  compiler->workers.verbose = compiler->verbose;
  compiler->workers.program = SelfExecutable().parent_path() / "iree-suite-compile-worker";
  compiler->workers.library = options.compiler_library.value_or(
      FindCompilerLibrary(compiler->executable).value_or(fs::path()));
  compiler->workers.max_compiles = options.compile_worker_max_compiles;
  compiler->workers.max_rss_mib = options.compile_worker_max_rss_mib;
}

// Finds the tools the selected tests need; prints one line per missing tool
// unless `quiet` (where their absence is no error).
std::optional<ToolSet> LocateTools(const CliOptions& options,
                                   const std::vector<const TestDefinition*>& tests,
                                   std::vector<ToolInfo>* described, bool quiet = false) {
  ToolSearch search;
  search.tools_dir = options.iree_tools_dir;
  if (const char* path = std::getenv("PATH")) search.path_env = path;
  search.fallback_dirs = DefaultFallbackDirs(SelfExecutable());
  bool need_run = false;
  bool need_benchmark = false;
  for (const TestDefinition* test : tests) {
    need_run |= test->kind == TestKind::kQuality;
    need_benchmark |= test->kind == TestKind::kBenchmark;
  }
  ToolSet tools;
  bool ok = true;
  auto find = [&](const char* name, fs::path* where, fs::path* executable) {
    Result<fs::path> path = FindTool(name, search);
    if (!path) {
      if (!quiet) fmt::print(stderr, "iree-suite: error: {}\n", path.error());
      ok = false;
      return;
    }
    *where = *path;
    *executable = ResolveConsoleScript(*path).value_or(*path);
    described->push_back(
        {name, *path, ToolVersion(*executable), *executable == *path ? fs::path() : *executable});
  };
  find("iree-compile", &tools.compiler.iree_compile, &tools.compiler.executable);
  // Optional, for MLIR bytecode behind "random"/"splat" weights: the one
  // beside iree-compile first, so that both come from the same release.
  std::error_code ec;
  const fs::path sibling = tools.compiler.iree_compile.parent_path() / "iree-opt";
  if (!tools.compiler.iree_compile.empty() && fs::is_regular_file(sibling, ec)) {
    tools.iree_opt = sibling;
  } else if (Result<fs::path> iree_opt = FindTool("iree-opt", search)) {
    tools.iree_opt = *iree_opt;
  }
  if (!tools.iree_opt.empty()) {
    tools.iree_opt = ResolveConsoleScript(tools.iree_opt).value_or(tools.iree_opt);
  }
  if (need_run) find("iree-run-module", &tools.run_module, &tools.run_module_executable);
  if (need_benchmark) {
    find("iree-benchmark-module", &tools.benchmark_module, &tools.benchmark_module_executable);
  }
  if (!ok) return std::nullopt;
  tools.compiler.version =
      CompilerIdentity(tools.compiler.iree_compile, described->front().version);
  SetCompileMode(options, &tools.compiler);
  return tools;
}

// Both clocks of a run: the elapsed time and the wall-clock start.
struct RunClock {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::chrono::system_clock::time_point wall_start = std::chrono::system_clock::now();
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
};

bool CheckDirectories(const CliOptions& options) {
  for (const auto& [flag, dir] : {std::pair{"--test-file-directory", options.test_file_directory},
                                  {"--module-directory", options.module_directory},
                                  {"--external-file-directory", options.external_file_directory}}) {
    if (options.operator_suite() && dir.empty()) continue;  // an operator suite needs only its root
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      fmt::print(stderr, "iree-suite: error: {}: {} is not a directory\n", flag, dir.string());
      return false;
    }
  }
  return true;
}

struct Expressions {
  MarkerExpression markers;
  MarkerExpression keywords;
};

std::optional<Expressions> ParseExpressions(const CliOptions& options) {
  std::optional<MarkerExpression> markers = ParseExpression("-m", options.marker_expression);
  std::optional<MarkerExpression> keywords = ParseExpression("-k", options.keyword_expression);
  if (!markers || !keywords) return std::nullopt;
  if (keywords->has_call_arguments()) {
    fmt::print(stderr,
               "iree-suite: error: Wrong expression passed to '-k': {}: Keyword "
               "expressions do not support call parameters.\n",
               options.keyword_expression);
    return std::nullopt;
  }
  return Expressions{std::move(*markers), std::move(*keywords)};
}

// --events: opened before anything else happens, so that every exit from then
// on is announced on it (Finish).
class Session {
 public:
  bool OpenEvents(const CliOptions& options) {
    if (!options.events) return true;
    events_ = std::make_unique<EventStream>(*options.events);
    if (!events_->ok()) {
      fmt::print(stderr, "iree-suite: error: --events: cannot open {}\n", events_->error());
      return false;
    }
    events_->Start();
    return true;
  }
  EventStream* events() const { return events_.get(); }
  int Finish(int code) const {
    if (events_) events_->Finish(code);
    return code;
  }

 private:
  std::unique_ptr<EventStream> events_;
};

LoadedSuite Collect(const CliOptions& options, const std::vector<PositionalPath>& paths,
                    EventStream* events) {
  const std::vector<fs::path> roots = CollectionRoots(paths);
  LoadedSuite suite =
      options.operator_suite()
          ? LoadOpSuite({fs::absolute(options.test_file_directory), options.config_files, roots,
                         options.ignore_xfails, options.skip_all_runs})
          : LoadSuite({fs::absolute(options.test_file_directory),
                       fs::absolute(options.module_directory), roots});
  if (events) {
    events->Diagnostics("collection_error", suite.errors);
    events->Diagnostics("warning", suite.warnings);
  }
  return suite;
}

std::vector<const TestDefinition*> MatchExpressions(const std::vector<const TestDefinition*>& tests,
                                                    const Expressions& expressions) {
  std::vector<const TestDefinition*> selected;
  for (const TestDefinition* test : tests) {
    if (expressions.markers.MatchesMarkers(test->markers) &&
        expressions.keywords.MatchesKeywords(test->id, test->markers)) {
      selected.push_back(test);
    }
  }
  return selected;
}

// A -m name that no collected test carries selects by a typo: a warning, or
// with --strict-markers pytest's usage error. Returns false on that error.
bool CheckMarkerNames(const CliOptions& options, const Expressions& expressions,
                      LoadedSuite* suite) {
  std::set<std::string> markers;
  for (const TestDefinition& test : suite->tests)
    markers.insert(test.markers.begin(), test.markers.end());
  const std::vector<std::string> known(markers.begin(), markers.end());
  std::vector<std::string> unknown;
  for (const std::string& name : expressions.markers.identifiers()) {
    if (markers.count(name)) continue;
    unknown.push_back(name);
    std::string message = fmt::format("\"{}\" is no collected test's marker", name);
    if (std::optional<std::string> closest = ClosestMatch(name, known)) {
      message += fmt::format(" (did you mean \"{}\"?)", *closest);
    }
    suite->warnings.push_back({"-m", "", message});
  }
  if (!options.strict_markers || unknown.empty()) return true;
  std::sort(unknown.begin(), unknown.end());
  fmt::print(stderr,
             "iree-suite: error: Unknown marker(s) in '-m' expression: {}. (--strict-markers)\n",
             fmt::join(unknown, ", "));
  return false;
}

// pytest's --lf: only what failed last time, or everything when nothing did.
void KeepLastFailed(const CliOptions& options, ConsoleReporter& console,
                    std::vector<const TestDefinition*>* selected) {
  std::set<std::string> failed = ReadLastFailed(options.runner.artifact_directory);
  std::vector<const TestDefinition*> rerun;
  for (const TestDefinition* test : *selected) {
    if (failed.count(test->id)) rerun.push_back(test);
  }
  if (rerun.empty()) {
    console.Line("run-last-failure: no previously failed tests, running all selected tests");
    return;
  }
  console.Line(fmt::format("run-last-failure: rerun previous {} failure{}", rerun.size(),
                           rerun.size() == 1 ? "" : "s"));
  *selected = std::move(rerun);
}

// The selected tests and the shard they belong to (count 1 when not sharded).
struct Selection {
  std::vector<const TestDefinition*> tests;
  ShardSpec shard;
};

bool KeepShard(const CliOptions& options, ConsoleReporter& console, Selection* selection) {
  Result<ShardSpec> shard = ResolveShard(options.shard_index, options.shard_count,
                                         [](const char* name) { return std::getenv(name); });
  if (!shard) {
    fmt::print(stderr, "iree-suite: error: {}\n", shard.error());
    return false;
  }
  selection->shard = *shard;
  if (shard->count <= 1 || options.test_ids_file) return true;
  std::vector<const TestDefinition*>& selected = selection->tests;
  std::vector<std::string> ids;
  for (const TestDefinition* test : selected) ids.push_back(test->id);
  std::vector<const TestDefinition*> mine;
  for (size_t position : ShardPositions(ids, *shard)) mine.push_back(selected[position]);
  console.Line(fmt::format("shard {} of {} ({}): {} of {} selected tests", shard->index,
                           shard->count, shard->source, mine.size(), selected.size()));
  selected = std::move(mine);
  return true;
}

// The tests positional FILE::NAME ids name (all when none is given); an id
// that names nothing is pytest's usage error "not found".
std::optional<std::vector<const TestDefinition*>> Named(const LoadedSuite& suite,
                                                        const std::vector<PositionalPath>& paths) {
  std::vector<const TestDefinition*> tests;
  for (const TestDefinition& test : suite.tests) tests.push_back(&test);
  for (const std::string& argument : KeepSelectedByPaths(paths, &tests)) {
    fmt::print(stderr, "iree-suite: error: not found: {} (no test of that name)\n", argument);
    return std::nullopt;
  }
  return tests;
}

// -m and -k, then --test-ids-file or --lf, then the shard.
std::optional<Selection> Select(const CliOptions& options,
                                const std::vector<const TestDefinition*>& collected,
                                const LoadedSuite& suite, const Expressions& expressions,
                                ConsoleReporter& console) {
  Selection selection{MatchExpressions(collected, expressions), {}};
  if (options.test_ids_file) {
    std::optional<std::vector<const TestDefinition*>> listed =
        SelectByIds(*options.test_ids_file, suite);
    if (!listed) return std::nullopt;
    selection.tests = std::move(*listed);
  } else if (options.last_failed) {
    KeepLastFailed(options, console, &selection.tests);
  }
  if (!KeepShard(options, console, &selection)) return std::nullopt;
  return selection;
}

// --collect-only, and with -v or --show-commands each test's commands (which
// need the tools: without them, --show-commands is a usage error).
int ListCollected(const CliOptions& options, const LoadedSuite& suite,
                  const std::vector<const TestDefinition*>& selected, size_t deselected,
                  ConsoleReporter& console) {
  std::optional<ToolSet> tools;
  if (options.lists_commands() && !selected.empty()) {
    std::vector<ToolInfo> described;
    // --collect-only -v lists the ids alone then, and succeeds.
    tools = LocateTools(options, selected, &described, /*quiet=*/!options.show_commands);
    if (!tools && options.show_commands) return kExitUsageError;
  }
  if (tools) {
    SuiteRunner runner = CommandRunner(options, suite.modules, *tools, nullptr);
    console.CollectOnly(selected,
                        [&](const TestDefinition& test) { return runner.Commands(test); });
  } else {
    console.CollectOnly(selected);
  }
  console.Warnings(suite.warnings);
  console.CollectionErrors(suite.errors);
  console.Line(fmt::format("{} selected, {} deselected, {} collection errors", selected.size(),
                           deselected, suite.errors.size()));
  if (!suite.errors.empty()) return kExitInterrupted;
  return selected.empty() ? kExitNoTestsCollected : kExitOk;
}

std::vector<TestResult> RunSelected(const CliOptions& options, const LoadedSuite& suite,
                                    const std::vector<const TestDefinition*>& selected,
                                    const ToolSet& tools, TraceSink* trace,
                                    ConsoleReporter* console,
                                    std::vector<TestObserver*> observers) {
  RunnerConfig config = options.runner;
  // The console hears of every job too: its status line names what runs.
  TraceTee trace_and_console(trace, console);
  config.trace = &trace_and_console;
  config.events = console;
  config.fetch.cancelled = [] { return InterruptSignal() != 0; };
  SuiteRunner runner(suite.modules, tools, std::move(config));
  ObserverFanout observer(std::move(observers));
  return runner.Run(selected, &observer);
}

// One file a run writes after its tests: how to write it and what to say when
// that fails.
struct ReportFile {
  std::string failure;  // "error: cannot write FILE", "warning: ..."
  bool fatal = true;    // a failure makes the run exit with an internal error
  std::function<Status()> write;
};

// --history/--no-history: whether and where this run is recorded, under which id.
struct HistoryRecord {
  bool enabled = false;
  std::string location;
  std::string run_id;
};

struct ReportInputs {
  const CliOptions& options;
  const std::vector<TestResult>& results;
  const std::vector<Diagnostic>& collection_errors;
  const HistoryRecord& history;
  const std::optional<RunContext>& context;  // when results.json or the history needs it
  const TraceWriter* trace;
  const RunClock& clock;
  double seconds;
};

std::optional<RunContext> MakeRunContext(const CliOptions& options, const LoadedSuite& suite,
                                         const std::vector<ToolInfo>& tools,
                                         const Selection& selection, const HistoryRecord& history,
                                         const RunClock& clock) {
  if (!options.results_json && !history.enabled) return std::nullopt;
  RunContext context = CollectRunContext(fs::absolute(options.test_file_directory), tools,
                                         suite.modules, clock.wall_start);
  context.run_id = history.run_id;
  context.marker_expression = options.marker_expression;
  if (selection.shard.count > 1) {
    context.shard = std::array<size_t, 2>{selection.shard.index, selection.shard.count};
  }
  context.ci = CollectCiVariables([](const char* name) { return std::getenv(name); });
  return context;
}

HtmlReportInfo HtmlInfo(const ReportInputs& in) {
  HtmlReportInfo info{in.options.marker_expression,
                      in.seconds,
                      IREE_SUITE_VERSION,
                      FormatIso8601Utc(in.clock.wall_start),
                      {}};
  if (in.history.enabled) {
    std::vector<std::string> ids;
    for (const TestResult& result : in.results) ids.push_back(result.test->id);
    info.trends = RunTrends(in.history.location, in.history.run_id, ids);
  }
  return info;
}

// One JUnit testcase per file that had collection errors (pytest reports a
// file once), named relative to the suite as test ids are.
std::vector<JUnitCollectionError> JUnitCollectionErrors(const ReportInputs& in) {
  const fs::path root = fs::absolute(in.options.test_file_directory).lexically_normal();
  std::vector<JUnitCollectionError> cases;
  std::map<std::string, size_t> by_file;
  for (const Diagnostic& error : in.collection_errors) {
    const fs::path relative = fs::path(error.file).lexically_normal().lexically_relative(root);
    const std::string name =
        relative.empty() || *relative.begin() == ".." ? error.file : relative.generic_string();
    auto [it, added] = by_file.emplace(name, cases.size());
    if (added) cases.push_back({name, ""});
    std::string& message = cases[it->second].message;
    message += (message.empty() ? "" : "\n") + error.ToString();
  }
  return cases;
}

std::vector<ReportFile> ReportFiles(const ReportInputs& in) {
  const CliOptions& options = in.options;
  auto cannot_write = [](const fs::path& path) { return "error: cannot write " + path.string(); };
  std::vector<ReportFile> files;
  files.push_back({"error: cannot write the job summary", true, [&in] {
                     return WriteJobSummary(in.options.job_summary_path,
                                            in.options.marker_expression, in.results);
                   }});
  if (in.history.enabled) {
    files.push_back({"warning", false, [&in] {
                       return RecordRun(in.history.location,
                                        RenderResultsJson(in.results, *in.context));
                     }});
  }
  if (options.results_json) {
    files.push_back({cannot_write(*options.results_json), true, [&in] {
                       return WriteResultsJson(*in.options.results_json, in.results, *in.context);
                     }});
  }
  if (!in.results.empty()) {
    files.push_back({"warning: cannot record failed tests for --lf", false, [&in] {
                       return UpdateLastFailed(in.options.runner.artifact_directory, in.results);
                     }});
  }
  if (in.trace) {
    files.push_back(
        {cannot_write(*options.trace), true, [&in] { return in.trace->Write(*in.options.trace); }});
  }
  if (options.junit_xml) {
    files.push_back({cannot_write(*options.junit_xml), true, [&in] {
                       return WriteJUnitXml(*in.options.junit_xml, in.results, in.seconds,
                                            JUnitCollectionErrors(in));
                     }});
  }
  if (options.html) {
    files.push_back({cannot_write(*options.html), true, [&in] {
                       return WriteHtmlReport(*in.options.html, in.results, HtmlInfo(in));
                     }});
  }
  return files;
}

// kExitOk, or kExitInternalError when a report could not be written.
int WriteReports(const ReportInputs& in) {
  int exit_code = kExitOk;
  for (const ReportFile& file : ReportFiles(in)) {
    if (Status written = file.write(); !written) {
      fmt::print(stderr, "iree-suite: {}: {}\n", file.failure, written.error());
      if (file.fatal) exit_code = kExitInternalError;
    }
  }
  return exit_code;
}

int ExitCodeOfRun(const LoadedSuite& suite, const std::vector<const TestDefinition*>& selected,
                  const std::vector<TestResult>& results) {
  if (InterruptSignal() != 0) {
    fmt::print(stderr, "iree-suite: interrupted by signal {}; reports cover the tests that ran\n",
               InterruptSignal());
    return kExitInterrupted;
  }
  if (!suite.errors.empty()) return kExitInterrupted;
  for (const TestResult& result : results) {
    if (IsFailure(result.outcome)) return kExitTestsFailed;
  }
  return selected.empty() ? kExitNoTestsCollected : kExitOk;
}

// The reference writes job_summary.* at the end of every session, also one
// that ran nothing: "N/A" rows for the tests it collected (README: Job summary).
void WriteNotRunSummary(const CliOptions& options,
                        const std::vector<const TestDefinition*>& tests) {
  const Status written = WriteJobSummaryTables(options.job_summary_path, options.marker_expression,
                                               BuildNotRunSummaryTables(tests));
  if (!written) {
    fmt::print(stderr, "iree-suite: error: cannot write the job summary: {}\n", written.error());
  }
}

// Collection and selection in pytest's order: positional paths, collection,
// FILE::NAME ids, -k and -m, then --test-ids-file or --lf and the shard.
// `collected` is what the ids leave; a usage error on the way still writes the
// job summary the reference writes then.
std::optional<Selection> CollectAndSelect(const CliOptions& options, const Session& session,
                                          ConsoleReporter& console, LoadedSuite* suite,
                                          std::vector<const TestDefinition*>* collected) {
  Result<std::vector<PositionalPath>> paths =
      ParsePositionalPaths(options.paths, options.operator_suite());
  if (!paths) {
    fmt::print(stderr, "iree-suite: error: {}\n", paths.error());
    WriteNotRunSummary(options, {});
    return std::nullopt;
  }
  *suite = Collect(options, *paths, session.events());
  std::optional<std::vector<const TestDefinition*>> named = Named(*suite, *paths);
  if (!named) {
    WriteNotRunSummary(options, {});
    return std::nullopt;
  }
  *collected = std::move(*named);
  std::optional<Expressions> expressions = ParseExpressions(options);
  if (!expressions || !CheckMarkerNames(options, *expressions, suite)) {
    WriteNotRunSummary(options, *collected);
    return std::nullopt;
  }
  return Select(options, *collected, *suite, *expressions, console);
}

// A run, or with `repro` one test's tools rerun (cli/repro_command.h).
int Main(int argc, char** argv, bool repro) {
  const RunClock clock;
  CliOptions options;
  options.repro = repro;
  int exit_code = kExitOk;
  if (!ParseCommandLine(argc, argv, &options, &exit_code)) return exit_code;
  if (!CheckDirectories(options)) return kExitUsageError;
  Session session;
  if (!session.OpenEvents(options)) return kExitUsageError;

  // -v, as --log-cli-level=INFO, prints every tool command as it starts.
  ConsoleReporter console(stdout, options.verbosity,
                          options.log_commands() || options.verbosity > 0);
  console.SetSummaryOptions(options.report_chars, options.runner.max_failures);
  console.SetColor(UseColor(options.color, stdout));
  LoadedSuite suite;
  std::vector<const TestDefinition*> collected;
  std::optional<Selection> selection =
      CollectAndSelect(options, session, console, &suite, &collected);
  if (!selection) return session.Finish(kExitUsageError);
  const std::vector<const TestDefinition*>& selected = selection->tests;
  const size_t deselected = collected.size() - selected.size();
  if (session.events()) session.events()->Collected(selected);
  if (options.repro) {
    std::vector<ToolInfo> described;
    std::optional<ToolSet> tools = LocateTools(options, selected, &described);
    if (!tools) return session.Finish(kExitUsageError);
    return session.Finish(RunRepro(options, suite.modules, selected, *tools, console));
  }
  if (options.collect_only || options.show_commands) {
    WriteNotRunSummary(options, selected);
    return session.Finish(ListCollected(options, suite, selected, deselected, console));
  }

  std::vector<ToolInfo> tools_described;
  std::optional<ToolSet> tools;
  if (!selected.empty()) {
    tools = LocateTools(options, selected, &tools_described);
    if (!tools) return session.Finish(kExitUsageError);
  }
  console.Header(tools_described);
  console.Collected(selected.size(), deselected, suite.errors);
  console.Warnings(suite.warnings);
  console.CollectionErrors(suite.errors);

  std::vector<TestResult> results;
  std::unique_ptr<TraceWriter> trace;
  if (options.trace) trace = std::make_unique<TraceWriter>();
  const InterruptHandlers interrupt_handlers;  // until Main returns
  if (tools) {
    std::vector<TestObserver*> observers = {&console};
    if (session.events()) observers.push_back(session.events());
    results =
        RunSelected(options, suite, selected, *tools, trace.get(), &console, std::move(observers));
  }
  const double seconds = clock.Seconds();
  const HistoryRecord history{!options.no_history && !results.empty(),
                              HistoryLocation(options.history, options.runner.artifact_directory),
                              NewRunId()};
  const std::optional<RunContext> context =
      MakeRunContext(options, suite, tools_described, *selection, history, clock);
  exit_code =
      WriteReports({options, results, suite.errors, history, context, trace.get(), clock, seconds});
  console.Finish(results, options.marker_expression, deselected, suite.errors.size(), seconds,
                 options.durations);
  if (exit_code != kExitOk) return session.Finish(exit_code);
  return session.Finish(ExitCodeOfRun(suite, selected, results));
}

}  // namespace
}  // namespace iree_suite

int main(int argc, char** argv) {
  try {
    // Maintenance subcommands; everything else is a run (pytest-style flags).
    if (argc > 1 && std::string_view(argv[1]) == "cache") {
      return iree_suite::RunCacheCommand(argc - 1, argv + 1);
    }
    if (argc > 1 && std::string_view(argv[1]) == "merge-reports") {
      return iree_suite::RunMergeReportsCommand(argc - 1, argv + 1);
    }
    if (argc > 1 && std::string_view(argv[1]) == "update-goldens") {
      return iree_suite::RunUpdateGoldensCommand(argc - 1, argv + 1);
    }
    if (argc > 1 && std::string_view(argv[1]) == "update-xfails") {
      return iree_suite::RunUpdateXfailsCommand(argc - 1, argv + 1);
    }
    if (argc > 1 && std::string_view(argv[1]) == "engine-info") {
      fmt::print("{}\n", iree_suite::EngineInfo().dump());
      return iree_suite::kExitOk;
    }
    if (argc > 1 && std::string_view(argv[1]) == "history") {
      return iree_suite::RunHistoryCommand(argc - 1, argv + 1);
    }
    if (argc > 1 && std::string_view(argv[1]) == "compare") {
      return iree_suite::RunCompareCommand(argc - 1, argv + 1);
    }
    if (argc > 1 && std::string_view(argv[1]) == "repro") {
      return iree_suite::Main(argc - 1, argv + 1, /*repro=*/true);
    }
    return iree_suite::Main(argc, argv, /*repro=*/false);
  } catch (const std::exception& e) {
    fmt::print(stderr, "iree-suite: internal error: {}\n", e.what());
    return iree_suite::kExitInternalError;
  }
}
