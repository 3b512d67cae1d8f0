#include "cli/options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string_view>
#include <thread>
#include <utility>

#include "base/strings.h"
#include "exec/iree_tools.h"

namespace iree_suite {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDescription =
    "iree-suite: runs IREE model test suites (quality, benchmark, compstat) from JSON test "
    "definitions, as the pytest-iree plugin does.\n"
    "Exit codes (pytest's): 0 all passed, 1 tests failed, 2 interrupted or collection errors, "
    "3 internal error, 4 usage error, 5 no tests collected.\n"
    "Subcommands: `iree-suite cache info|verify|prune --help`, "
    "`iree-suite merge-reports --help`, `iree-suite compare --help`, "
    "`iree-suite update-goldens --help`, `iree-suite update-xfails --help`, "
    "`iree-suite repro --help`, `iree-suite engine-info`.";

constexpr const char* kReproDescription =
    "iree-suite repro: reruns one test's tools exactly as a run does (iree-compile per module, "
    "then iree-run-module or iree-benchmark-module), in a fresh scratch directory: the modules "
    "are compiled into it, never into the module cache, and the tool's logs and outputs go "
    "there. Give the test as selection does (FILE::NAME, a test file, -k/-m) with the usual "
    "suite flags. Prints each command before it runs and its exit status; exits with the "
    "status of the first tool that failed (128+N for signal N), 0 when all succeeded.";

// Group titles, in the order --help shows them.
constexpr const char* kSuiteGroup = "Suite (as pytest-iree)";
constexpr const char* kOperatorSuiteGroup = "Operator suites (compile-and-run, see README)";
constexpr const char* kDownloadGroup = "Downloads";
constexpr const char* kSelectionGroup = "Selection and output (as pytest)";
constexpr const char* kMachineGroup = "Machine interface (front ends such as the pytest plugin)";
constexpr const char* kIgnoredGroup = "Accepted and ignored (pytest compatibility)";

std::vector<fs::path> SplitPathList(std::string_view list, char separator) {
  std::vector<fs::path> paths;
  while (!list.empty()) {
    size_t end = list.find(separator);
    std::string_view item = list.substr(0, end);
    if (!item.empty()) paths.emplace_back(std::string(item));
    if (end == std::string_view::npos) break;
    list.remove_prefix(end + 1);
  }
  return paths;
}

void AddSuiteOptions(CLI::App& app, CliOptions* options) {
  app.add_option("--test-file-directory", options->test_file_directory,
                 "Directory searched recursively for test JSON files (with --config-files: the "
                 "operator suite's root)")
      ->required()
      ->group(kSuiteGroup);
  app.add_option("--module-directory", options->module_directory,
                 "Directory that module names are relative to (<dir>/<module>.json); required "
                 "unless --config-files is given")
      ->group(kSuiteGroup);
  app.add_option("--external-file-directory", options->external_file_directory,
                 "Directory that MLIR, weight and data paths are relative to; the working "
                 "directory of every IREE tool; required unless --config-files is given")
      ->group(kSuiteGroup);
  app.add_option("--artifact-directory", options->artifact_directory,
                 "Where compiled modules, downloads and logs are kept")
      ->capture_default_str()
      ->group(kSuiteGroup);
  app.add_option("--job-summary-path", options->job_summary_path,
                 "Directory for job_summary.md and job_summary.json")
      ->capture_default_str()
      ->group(kSuiteGroup);
  app.add_flag("--force-recompile", options->runner.force_recompile,
               "Compile every module anew, ignoring and refreshing the module cache")
      ->group(kSuiteGroup);
  app.add_flag("--cache-modules", options->cache_modules,
               "Accepted for compatibility; modules are always cached by content (MLIR bytes, "
               "flags, compiler identity)")
      ->group(kSuiteGroup);
  app.add_option("--iree-tools-dir", options->iree_tools_dir,
                 std::string("Directory holding iree-compile, iree-run-module, "
                             "iree-benchmark-module (default: $") +
                     kToolsDirEnv + ", else PATH, else the project's .venv/bin)")
      ->group(kSuiteGroup);
  app.add_option("--compile-mode", options->compile_mode,
                 "How modules compile: 'library' in persistent workers that load "
                 "libIREECompiler.so, 'process' one iree-compile each, 'auto' the library "
                 "unless it cannot take a module (then iree-compile; -v says why)")
      ->check(CLI::IsMember({"auto", "library", "process"}))
      ->capture_default_str()
      ->group(kSuiteGroup);
  app.add_option("--compiler-library", options->compiler_library,
                 "The libIREECompiler.so compile workers load (default: the one that belongs "
                 "to iree-compile)")
      ->group(kSuiteGroup);
  app.add_option("--compile-worker-max-compiles", options->compile_worker_max_compiles,
                 "Restart a compile worker after this many compiles")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group(kSuiteGroup);
  app.add_option("--compile-worker-max-rss", options->compile_worker_max_rss_mib,
                 "Restart a compile worker that holds more than this many MiB after a compile")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group(kSuiteGroup);
}

void AddOperatorSuiteOptions(CLI::App& app, CliOptions* options) {
  app.add_option("--config-files", options->config_files,
                 std::string("Config files (JSON, comments allowed): collect the test folders "
                             "under --test-file-directory once per config (also $") +
                     kConfigFilesEnv + ", ';'-separated)")
      ->expected(1, -1)
      ->group(kOperatorSuiteGroup);
  app.add_flag("--ignore-xfails", options->ignore_xfails,
               "Ignore expected_compile_failures/expected_run_failures: every test must pass")
      ->group(kOperatorSuiteGroup);
  app.add_flag("--skip-all-runs", options->skip_all_runs,
               "Compile every test, run none (as if all were in skip_run_tests)")
      ->group(kOperatorSuiteGroup);
}

void AddDownloadOptions(CLI::App& app, FetchOptions* fetch, size_t* fetch_jobs) {
  app.add_flag("--offline", fetch->offline,
               "Never contact a server: use downloads already in the artifact directory")
      ->group(kDownloadGroup);
  app.add_option_function<std::vector<std::string>>(
         "--url-mirror",
         [fetch](const std::vector<std::string>& values) {
           for (const std::string& value : values) {
             size_t equals = value.find('=');
             fetch->url_mirrors.emplace_back(value.substr(0, equals), value.substr(equals + 1));
           }
         },
         "Fetch URLs starting with PREFIX from REPLACEMENT (http(s):// or file://) instead; "
         "repeatable, the first match wins; the cache keeps the original URL")
      ->check([](const std::string& value) -> std::string {
        size_t equals = value.find('=');
        if (equals == 0 || equals == std::string::npos || equals + 1 == value.size()) {
          return "expected PREFIX=REPLACEMENT, got \"" + value + "\"";
        }
        return {};
      })
      ->type_name("PREFIX=REPLACEMENT")
      ->group(kDownloadGroup);
  // The flag counts retries; the fetcher counts attempts, the first included.
  app.add_option_function<int>(
         "--fetch-retries", [fetch](int retries) { fetch->max_attempts = retries + 1; },
         "Retries of a failed download (connection errors, HTTP 5xx/408/429), with "
         "exponential backoff from 0.5 s up to 8 s between them")
      ->default_str(std::to_string(fetch->max_attempts - 1))
      ->check(CLI::Range(0, 100))
      ->group(kDownloadGroup);
  app.add_option("--fetch-jobs", *fetch_jobs,
                 "Downloads in flight at once, fetched ahead of the tests that need them "
                 "(apart from -j)")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{64}))
      ->group(kDownloadGroup);
  app.add_option("--fetch-stall-timeout", fetch->low_speed_time_s,
                 "Seconds without a byte after which a download attempt is abandoned and retried")
      ->capture_default_str()
      ->check(CLI::Range(1L, 86400L))
      ->group(kDownloadGroup);
}

void AddSelectionOptions(CLI::App& app, CliOptions* options) {
  app.add_option("paths", options->paths,
                 "Test JSON files, test folders of an operator suite, or directories: collect "
                 "only these (default: all); pytest's FILE::NAME ids select one test")
      ->group(kSelectionGroup);
  app.add_option("-m", options->marker_expression,
                 "Select tests by marker expression, e.g. \"cpu and not benchmark\"; markers "
                 "are the test's \"markers\" plus its type. A name that is no collected "
                 "test's marker is warned about")
      ->group(kSelectionGroup);
  app.add_flag("--strict-markers", options->strict_markers,
               "A -m name that is no collected test's marker is a usage error")
      ->group(kSelectionGroup);
  app.add_option("-k", options->keyword_expression,
                 "Select tests whose id contains a substring (case-insensitive), with and/or/not")
      ->group(kSelectionGroup);
  app.add_flag("--collect-only,--co", options->collect_only,
               "List the selected test ids with their markers; run nothing (with -v: and "
               "the commands each would run, as --show-commands)")
      ->group(kSelectionGroup);
  app.add_flag("--show-commands", options->show_commands,
               "Run nothing; print under each selected test the exact commands it would run "
               "(iree-compile per module, then iree-run-module or iree-benchmark-module), "
               "shell-quoted as repro lines are")
      ->group(kSelectionGroup);
  app.add_flag(
         "-v,--verbose", [options](int64_t count) { options->verbosity += int(count); },
         "One line per test (repeatable)")
      ->group(kSelectionGroup);
  app.add_flag(
         "-q,--quiet", [options](int64_t count) { options->verbosity -= int(count); },
         "Less output (repeatable)")
      ->group(kSelectionGroup);
  RunnerConfig& runner = options->runner;
  app.add_flag_callback(
         "-x,--exitfirst", [&runner] { runner.max_failures = 1; },
         "Stop after the first failed test")
      ->group(kSelectionGroup);
  app.add_option("--maxfail", runner.max_failures, "Stop after N failed tests")
      ->group(kSelectionGroup);
  app.add_option("-j,--jobs", runner.jobs,
                 "Tests in flight at once (default: one per core); a benchmark always runs "
                 "alone, and tests on one GPU device take turns")
      ->check(CLI::Range(size_t{1}, size_t{1024}))
      ->group(kSelectionGroup);
  app.add_option("--shard-index", options->shard_index,
                 "Run shard I (0-based) of --shard-count; also from CI variables, see README")
      ->group(kSelectionGroup);
  app.add_option("--shard-count", options->shard_count,
                 "Split the selected tests into N deterministic, disjoint shards")
      ->group(kSelectionGroup);
  app.add_option("--benchmark-retries", runner.benchmark_retries,
                 "Measure a benchmark over its threshold again, up to N times; it passes if any "
                 "measurement is within the threshold, and the report shows every attempt")
      ->capture_default_str()
      ->group(kSelectionGroup);
  app.add_flag("--lf,--last-failed", options->last_failed,
               "Rerun only the tests that failed in the previous run with this artifact "
               "directory (all of them when none failed)")
      ->group(kSelectionGroup);
}

void AddOutputOptions(CLI::App& app, CliOptions* options) {
  app.add_option("--results-json", options->results_json,
                 "Write every verdict and measurement (all benchmark repetitions with min, "
                 "median, mean, stddev, CV) and the run's context, for compare/update-goldens")
      ->group(kSelectionGroup);
  auto* no_history = app.add_flag("--no-history", options->no_history,
                                  "Do not record this run in the benchmark history")
                         ->group(kSelectionGroup);
  app.add_option("--history", options->history,
                 "Record the run in this history: an SQLite file or a postgresql:// URI "
                 "(default: <artifact-directory>/history.sqlite)")
      ->excludes(no_history)
      ->group(kSelectionGroup);
  app.add_option("--trace", options->trace,
                 "Write a Chrome/Perfetto trace-event JSON of every job (open it in "
                 "ui.perfetto.dev or chrome://tracing)")
      ->group(kSelectionGroup);
  app.add_option("--junitxml,--junit-xml", options->junit_xml, "Write a JUnit XML report")
      ->group(kSelectionGroup);
  app.add_option("--html", options->html,
                 "Write a self-contained HTML report with charts (no network needed to view it)")
      ->type_name("FILE")
      ->group(kSelectionGroup);
  app.add_option("--durations", options->durations, "Show the N slowest tests (0: all)")
      ->group(kSelectionGroup);
  app.add_option("--timeout", options->runner.timeout_s,
                 "Time limit in seconds for each tool process of a test (waiting for a "
                 "turn does not count); the tool's process group is killed")
      ->group(kSelectionGroup);
  app.add_option("--log-cli-level", options->log_cli_level,
                 "DEBUG or INFO also print every tool command as it starts")
      ->group(kSelectionGroup);
  app.add_option("--color", options->color,
                 "Colour the verdicts: yes, no, or auto (on a terminal unless NO_COLOR is set; "
                 "PY_COLORS=1/0 and FORCE_COLOR as in pytest)")
      ->check(CLI::IsMember({"yes", "no", "auto"}))
      ->capture_default_str()
      ->group(kSelectionGroup);
  app.add_option("-r", options->report_chars,
                 "Short summary of: f failed, E error, s skipped, x xfailed, X xpassed, p "
                 "passed, a all but passed, A all, N none (pytest's characters)")
      ->capture_default_str()
      ->group(kSelectionGroup);
}

void AddMachineOptions(CLI::App& app, CliOptions* options) {
  app.add_option("--events", options->events,
                 "Stream JSON lines (collection, each test's start and result, the end) to FILE "
                 "as they happen; FILE may be a pipe, e.g. /dev/fd/3. `iree-suite engine-info` "
                 "prints the protocol version")
      ->type_name("FILE")
      ->group(kMachineGroup);
  app.add_option("--test-ids-file", options->test_ids_file,
                 "Run exactly the test ids listed in FILE (one per line), in that order; -m "
                 "still titles the job summary, but -m, -k, --lf and sharding do not select")
      ->type_name("FILE")
      ->group(kMachineGroup);
}

// pytest flags that have no meaning here: accepted so CI scripts run unchanged.
struct IgnoredValues {
  std::string value;
  std::vector<std::string> values;
  bool flag = false;
};

void AddIgnoredOptions(CLI::App& app, IgnoredValues* ignored) {
  // One value each time, as argparse takes it: `-o log_cli=True x.json` keeps the path.
  app.add_option("-o,--override-ini", ignored->values, "ini overrides, e.g. -o log_cli=True")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group(kIgnoredGroup);
  app.add_option("--capture", ignored->value, "Output capturing mode")->group(kIgnoredGroup);
  app.add_flag("-s", ignored->flag, "Same as --capture=no")->group(kIgnoredGroup);
  app.add_option("-p", ignored->values, "Plugins to load")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group(kIgnoredGroup);
  app.add_option("--tb", ignored->value, "Traceback style")->group(kIgnoredGroup);
}

bool UsageError(const std::string& message, int* exit_code) {
  std::cerr << "iree-suite: error: " << message << "\n(run iree-suite --help for usage)\n";
  *exit_code = kExitUsageError;
  return false;
}

// Every long flag's spelling, "--name".
std::vector<std::string> LongFlags(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
  }
  return names;
}

// pytest (argparse, without abbreviations) names an unknown flag; CLI11 would
// first complain about a required flag it misspells, or say only "argument
// was not expected". So unknown long flags are found before parsing.
bool CheckLongFlagsKnown(const CLI::App& app, int argc, char** argv, int* exit_code) {
  const std::vector<std::string> known = LongFlags(app);
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;  // what follows is positional
    if (arg.substr(0, 2) != "--") continue;
    const std::string name(arg.substr(0, arg.find('=')));
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string message = "unrecognized arguments: " + std::string(arg);
    if (std::optional<std::string> closest = ClosestMatch(name, known)) {
      message += " (did you mean " + *closest + "?)";
    }
    return UsageError(message, exit_code);
  }
  return true;
}

bool Parse(CLI::App& app, int argc, char** argv, int* exit_code) {
  if (!CheckLongFlagsKnown(app, argc, argv, exit_code)) return false;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    *exit_code = app.exit(e);
    return false;
  } catch (const CLI::CallForVersion& e) {
    *exit_code = app.exit(e);
    return false;
  } catch (const CLI::ParseError& e) {
    return UsageError(e.what(), exit_code);
  }
  return true;
}

// --config-files takes every value up to the next flag, as pytest's nargs="*"
// does, so `--config-files cpu.json ops/add` would read a test folder as a
// config. Configs are JSON files: anything else given there is a positional
// path (a folder, a FILE::NAME id, a test's model or flagfile).
void MovePathsOutOfConfigFiles(CliOptions* options) {
  std::vector<fs::path> configs;
  for (fs::path& value : options->config_files) {
    const bool config =
        value.extension() == ".json" && value.string().find("::") == std::string::npos;
    (config ? configs : options->paths).push_back(std::move(value));
  }
  options->config_files = std::move(configs);
}

void ApplyEnvironment(CliOptions* options) {
  for (const OptionFromEnvironment& entry : kOptionsFromEnvironment) {
    const char* value = std::getenv(entry.variable);
    if (value != nullptr && *value != '\0') entry.apply(value, options);
  }
}

// As the reference conftests: with neither --config-files nor
// $IREE_TEST_CONFIG_FILES, a suite root holding the config that its conftest
// defaults to (torch_ops or onnx_ops, both CPU) is run with that config.
void ApplyDefaultConfig(CliOptions* options) {
  if (!options->config_files.empty()) return;
  for (const char* relative :
       {"configs/torch_ops_cpu_llvm_sync.json", "configs/onnx_ops_cpu_llvm_sync.json"}) {
    const fs::path candidate = options->test_file_directory / relative;
    std::error_code error;
    if (fs::is_regular_file(candidate, error)) {
      options->config_files = {candidate};
      return;
    }
  }
}

// Required only for JSON suites, so CLI11 cannot enforce them.
bool CheckJsonSuiteDirectoriesGiven(const CliOptions& options, int* exit_code) {
  if (options.operator_suite()) return true;
  for (const auto& [flag, value] :
       {std::pair{"--module-directory", &options.module_directory},
        std::pair{"--external-file-directory", &options.external_file_directory}}) {
    if (value->empty()) return UsageError(std::string(flag) + " is required", exit_code);
  }
  return true;
}

// `./` and `dir/../x` as the plain absolute path, so that repro lines read
// `cd /suite && ...`, not `cd /suite/./ && ...`.
fs::path NormalDirectory(const fs::path& directory) {
  if (directory.empty()) return directory;
  fs::path normal = fs::absolute(directory).lexically_normal();
  if (!normal.has_filename() && normal.has_parent_path() && normal != normal.root_path()) {
    normal = normal.parent_path();
  }
  return normal;
}

// What the flags leave implicit: absolute directories, the core count for -j.
void CompleteRunnerConfig(CliOptions* options) {
  RunnerConfig& runner = options->runner;
  options->test_file_directory = NormalDirectory(options->test_file_directory);
  options->module_directory = NormalDirectory(options->module_directory);
  // Operator suites compile from their root (each test runs in its own folder).
  runner.external_file_directory =
      NormalDirectory(options->operator_suite() && options->external_file_directory.empty()
                          ? options->test_file_directory
                          : options->external_file_directory);
  runner.artifact_directory = NormalDirectory(options->artifact_directory);
  if (runner.jobs == 0) runner.jobs = std::max(1u, std::thread::hardware_concurrency());
  runner.fetch.quiet = options->verbosity < 0;
}

}  // namespace

const std::vector<OptionFromEnvironment> kOptionsFromEnvironment = {
    {kToolsDirEnv, "--iree-tools-dir",
     [](std::string_view value, CliOptions* options) {
       if (!options->iree_tools_dir) options->iree_tools_dir = fs::path(value);
     }},
    {kConfigFilesEnv, "--config-files",
     [](std::string_view value, CliOptions* options) {
       if (options->config_files.empty()) options->config_files = SplitPathList(value, ';');
     }},
};

bool CliOptions::log_commands() const {
  return log_cli_level == "DEBUG" || log_cli_level == "INFO" || log_cli_level == "debug" ||
         log_cli_level == "info";
}

bool ParseCommandLine(int argc, char** argv, CliOptions* options, int* exit_code) {
  CLI::App app{kDescription, "iree-suite"};
  app.set_version_flag("--version", std::string("iree-suite ") + IREE_SUITE_VERSION);
  app.get_formatter()->column_width(40);
  options->runner.jobs = 0;  // until CompleteRunnerConfig: -j not given means one per core
  AddSuiteOptions(app, options);
  AddOperatorSuiteOptions(app, options);
  AddDownloadOptions(app, &options->runner.fetch, &options->runner.fetch_jobs);
  AddSelectionOptions(app, options);
  AddOutputOptions(app, options);
  AddMachineOptions(app, options);
  if (options->repro) {
    app.description(kReproDescription);
    app.name("iree-suite repro");
    app.add_option("--output", options->repro_output,
                   "The scratch directory, absent or empty (default: "
                   "<artifact-directory>/repro/<test>/, emptied first)")
        ->type_name("DIR");
  }
  IgnoredValues ignored;
  AddIgnoredOptions(app, &ignored);
  if (!Parse(app, argc, argv, exit_code)) return false;
  // repro runs one test's tools: listing them instead would be silently dropped.
  for (const auto& [flag, given] : {std::pair{"--collect-only", options->collect_only},
                                    {"--show-commands", options->show_commands}}) {
    if (options->repro && given) {
      return UsageError(std::string("argument ") + flag + ": not allowed with repro", exit_code);
    }
  }
  MovePathsOutOfConfigFiles(options);
  ApplyEnvironment(options);
  ApplyDefaultConfig(options);
  if (!CheckJsonSuiteDirectoriesGiven(*options, exit_code)) return false;
  CompleteRunnerConfig(options);
  return true;
}

}  // namespace iree_suite
