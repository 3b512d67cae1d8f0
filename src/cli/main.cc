// iree-suite: definitions -> plan -> artifacts -> checks -> reports.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <thread>

#include "cli/cache_command.h"
#include "cli/compare_command.h"
#include "cli/history_command.h"
#include "cli/merge_reports_command.h"
#include "cli/options.h"
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
  std::string error;
  std::optional<MarkerExpression> expression = MarkerExpression::Parse(text, &error);
  if (!expression) {
    fmt::print(stderr, "iree-suite: error: Wrong expression passed to '{}': {}: {}\n", flag, text,
               error);
  }
  return expression;
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

// Finds the tools the selected tests need; prints one line per missing tool.
std::optional<ToolSet> LocateTools(const CliOptions& options,
                                   const std::vector<const TestDefinition*>& tests,
                                   std::vector<ToolDescription>* described) {
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
    std::string error;
    std::optional<fs::path> path = FindTool(name, search, &error);
    if (!path) {
      fmt::print(stderr, "iree-suite: error: {}\n", error);
      ok = false;
      return;
    }
    *where = *path;
    *executable = ResolveConsoleScript(*path).value_or(*path);
    described->push_back({name, path->string(), ToolVersion(*executable),
                          *executable == *path ? "" : executable->string()});
  };
  find("iree-compile", &tools.compiler.iree_compile, &tools.compiler.executable);
  // Optional, for MLIR bytecode behind "random"/"splat" weights: the one
  // beside iree-compile first, so that both come from the same release.
  std::error_code ec;
  const fs::path sibling = tools.compiler.iree_compile.parent_path() / "iree-opt";
  std::string no_iree_opt;
  if (!tools.compiler.iree_compile.empty() && fs::is_regular_file(sibling, ec)) {
    tools.iree_opt = sibling;
  } else if (std::optional<fs::path> iree_opt = FindTool("iree-opt", search, &no_iree_opt)) {
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

int Main(int argc, char** argv) {
  auto start = std::chrono::steady_clock::now();
  const auto start_wall_clock = std::chrono::system_clock::now();
  CliOptions options;
  int exit_code = kExitOk;
  if (!ParseCommandLine(argc, argv, &options, &exit_code)) return exit_code;

  const bool op_suite = !options.config_files.empty();
  for (const auto& [flag, dir] : {std::pair{"--test-file-directory", options.test_file_directory},
                                  {"--module-directory", options.module_directory},
                                  {"--external-file-directory", options.external_file_directory}}) {
    if (op_suite && dir.empty()) continue;  // an operator suite needs only its root
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      fmt::print(stderr, "iree-suite: error: {}: {} is not a directory\n", flag, dir.string());
      return kExitUsageError;
    }
  }
  std::optional<MarkerExpression> markers = ParseExpression("-m", options.marker_expression);
  std::optional<MarkerExpression> keywords = ParseExpression("-k", options.keyword_expression);
  if (!markers || !keywords) return kExitUsageError;
  if (keywords->has_call_arguments()) {
    fmt::print(stderr,
               "iree-suite: error: Wrong expression passed to '-k': {}: Keyword "
               "expressions do not support call parameters.\n",
               options.keyword_expression);
    return kExitUsageError;
  }

  std::unique_ptr<EventStream> events;
  if (options.events) {
    events = std::make_unique<EventStream>(*options.events);
    if (!events->ok()) {
      fmt::print(stderr, "iree-suite: error: --events: cannot open {}\n", events->error());
      return kExitUsageError;
    }
    events->Start();
  }
  // Every exit from here on is announced on the event stream.
  auto finish = [&events](int code) {
    if (events) events->Finish(code);
    return code;
  };

  bool log_commands = options.log_cli_level == "DEBUG" || options.log_cli_level == "INFO" ||
                      options.log_cli_level == "debug" || options.log_cli_level == "info";
  ConsoleReporter console(stdout, options.verbosity, log_commands);
  if (log_commands) {
    SetProcessStartObserver([&console](const ProcessSpec& spec) { console.CommandStarted(spec); });
  }

  LoadedSuite suite =
      op_suite ? LoadOpSuite({fs::absolute(options.test_file_directory), options.config_files,
                              options.paths, options.ignore_xfails, options.skip_all_runs})
               : LoadSuite({fs::absolute(options.test_file_directory),
                            fs::absolute(options.module_directory), options.paths});
  if (events) {
    events->Diagnostics("collection_error", suite.errors);
    events->Diagnostics("warning", suite.warnings);
  }
  std::vector<const TestDefinition*> selected;
  for (const TestDefinition& test : suite.tests) {
    if (markers->MatchesMarkers(test.markers) && keywords->MatchesKeywords(test.id, test.markers)) {
      selected.push_back(&test);
    }
  }
  if (options.test_ids_file) {
    std::optional<std::vector<const TestDefinition*>> listed =
        SelectByIds(*options.test_ids_file, suite);
    if (!listed) return finish(kExitUsageError);
    selected = std::move(*listed);
  } else if (options.last_failed) {
    // pytest's --lf: only what failed last time, or everything when nothing did.
    std::set<std::string> failed = ReadLastFailed(fs::absolute(options.artifact_directory));
    std::vector<const TestDefinition*> rerun;
    for (const TestDefinition* test : selected) {
      if (failed.count(test->id)) rerun.push_back(test);
    }
    if (rerun.empty()) {
      console.Line("run-last-failure: no previously failed tests, running all selected tests");
    } else {
      console.Line(fmt::format("run-last-failure: rerun previous {} failure{}", rerun.size(),
                               rerun.size() == 1 ? "" : "s"));
      selected = std::move(rerun);
    }
  }
  std::string shard_error;
  std::optional<ShardSpec> shard = ResolveShard(
      options.shard_index, options.shard_count, [](const char* name) { return std::getenv(name); },
      &shard_error);
  if (!shard) {
    fmt::print(stderr, "iree-suite: error: {}\n", shard_error);
    return finish(kExitUsageError);
  }
  if (shard->count > 1 && !options.test_ids_file) {
    std::vector<std::string> ids;
    for (const TestDefinition* test : selected) ids.push_back(test->id);
    std::vector<const TestDefinition*> mine;
    for (size_t position : ShardPositions(ids, *shard)) mine.push_back(selected[position]);
    console.Line(fmt::format("shard {} of {} ({}): {} of {} selected tests", shard->index,
                             shard->count, shard->source, mine.size(), selected.size()));
    selected = std::move(mine);
  }
  const size_t deselected = suite.tests.size() - selected.size();
  if (events) events->Collected(selected);

  if (options.collect_only) {
    console.CollectOnly(selected);
    console.Warnings(suite.warnings);
    console.CollectionErrors(suite.errors);
    console.Line(fmt::format("{} selected, {} deselected, {} collection errors", selected.size(),
                             deselected, suite.errors.size()));
    if (!suite.errors.empty()) return finish(kExitInterrupted);
    return finish(selected.empty() ? kExitNoTestsCollected : kExitOk);
  }

  std::vector<ToolDescription> tools_described;
  std::optional<ToolSet> tools;
  if (!selected.empty()) {
    tools = LocateTools(options, selected, &tools_described);
    if (!tools) return finish(kExitUsageError);
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
    RunnerConfig config;
    // Operator suites compile from their root (each test runs in its own folder).
    config.external_file_directory = fs::absolute(
        op_suite && options.external_file_directory.empty() ? options.test_file_directory
                                                            : options.external_file_directory);
    config.artifact_directory = fs::absolute(options.artifact_directory);
    config.force_recompile = options.force_recompile;
    config.timeout_s = options.timeout_s;
    config.max_failures = options.max_failures;
    config.trace = trace.get();
    config.benchmark_retries = options.benchmark_retries;
    config.jobs =
        options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    config.fetch.offline = options.offline;
    config.fetch.url_mirrors = options.url_mirrors;
    config.fetch.max_attempts = options.fetch_retries + 1;
    config.fetch.quiet = options.verbosity < 0;
    config.fetch.low_speed_time_s = options.fetch_stall_timeout_s;
    config.fetch_jobs = options.fetch_jobs;
    config.fetch.cancelled = [] { return InterruptSignal() != 0; };
    SuiteRunner runner(suite.modules, *tools, config);
    std::vector<TestObserver*> observers = {&console};
    if (events) observers.push_back(events.get());
    ObserverFanout observer(std::move(observers));
    results = runner.Run(selected, &observer);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (std::string error =
          WriteJobSummary(options.job_summary_path, options.marker_expression, results);
      !error.empty()) {
    fmt::print(stderr, "iree-suite: error: cannot write the job summary: {}\n", error);
    exit_code = kExitInternalError;
  }
  const bool record_history = !options.no_history && !results.empty();
  const std::string history_location =
      HistoryLocation(options.history, fs::absolute(options.artifact_directory));
  std::string run_id = NewRunId();
  if (options.results_json || record_history) {
    std::vector<ToolInfo> tool_infos;
    for (const ToolDescription& tool : tools_described) {
      tool_infos.push_back({tool.name, tool.path, tool.version});
    }
    RunContext context = CollectRunContext(fs::absolute(options.test_file_directory),
                                           std::move(tool_infos), suite.modules, start_wall_clock);
    context.run_id = run_id;
    context.marker_expression = options.marker_expression;
    if (shard->count > 1) context.shard = std::array<size_t, 2>{shard->index, shard->count};
    context.ci = CollectCiVariables([](const char* name) { return std::getenv(name); });
    if (record_history) {
      const std::string warning = RecordRun(history_location, RenderResultsJson(results, context));
      if (!warning.empty()) fmt::print(stderr, "iree-suite: warning: {}\n", warning);
    }
    if (options.results_json) {
      if (std::string error = WriteResultsJson(*options.results_json, results, context);
          !error.empty()) {
        fmt::print(stderr, "iree-suite: error: cannot write {}: {}\n",
                   options.results_json->string(), error);
        exit_code = kExitInternalError;
      }
    }
  }
  if (!results.empty()) {
    if (std::string error = UpdateLastFailed(fs::absolute(options.artifact_directory), results);
        !error.empty()) {
      fmt::print(stderr, "iree-suite: warning: cannot record failed tests for --lf: {}\n", error);
    }
  }
  if (trace) {
    if (std::string error = trace->Write(*options.trace); !error.empty()) {
      fmt::print(stderr, "iree-suite: error: cannot write {}: {}\n", options.trace->string(),
                 error);
      exit_code = kExitInternalError;
    }
  }
  if (options.junit_xml) {
    if (std::string error = WriteJUnitXml(*options.junit_xml, results, seconds); !error.empty()) {
      fmt::print(stderr, "iree-suite: error: cannot write {}: {}\n", options.junit_xml->string(),
                 error);
      exit_code = kExitInternalError;
    }
  }
  if (options.html) {
    HtmlReportInfo info{options.marker_expression,
                        seconds,
                        IREE_SUITE_VERSION,
                        FormatIso8601Utc(start_wall_clock),
                        {}};
    if (record_history) {
      std::vector<std::string> ids;
      for (const TestResult& result : results) ids.push_back(result.test->id);
      info.trends = RunTrends(history_location, run_id, ids);
    }
    if (std::string error = WriteHtmlReport(*options.html, results, info); !error.empty()) {
      fmt::print(stderr, "iree-suite: error: cannot write {}: {}\n", options.html->string(), error);
      exit_code = kExitInternalError;
    }
  }
  console.Finish(results, options.marker_expression, deselected, suite.errors.size(), seconds,
                 options.durations);
  if (exit_code != kExitOk) return finish(exit_code);
  if (InterruptSignal() != 0) {
    fmt::print(stderr, "iree-suite: interrupted by signal {}; reports cover the tests that ran\n",
               InterruptSignal());
    return finish(kExitInterrupted);
  }
  if (!suite.errors.empty()) return finish(kExitInterrupted);
  for (const TestResult& result : results) {
    if (IsFailure(result.outcome)) {
      return finish(kExitTestsFailed);
    }
  }
  return finish(selected.empty() ? kExitNoTestsCollected : kExitOk);
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
    return iree_suite::Main(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "iree-suite: internal error: {}\n", e.what());
    return iree_suite::kExitInternalError;
  }
}
