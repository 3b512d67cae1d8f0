#include "cli/options.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <string_view>
#include <utility>

#include "exec/iree_tools.h"

namespace iree_suite {

bool ParseCommandLine(int argc, char** argv, CliOptions* options, int* exit_code) {
  CLI::App app{
      "iree-suite: runs IREE model test suites (quality, benchmark, compstat) from JSON test "
      "definitions, as the pytest-iree plugin does.\n"
      "Exit codes (pytest's): 0 all passed, 1 tests failed, 2 interrupted or collection errors, "
      "3 internal error, 4 usage error, 5 no tests collected.\n"
      "Subcommands: `iree-suite cache info|verify|prune --help`, "
      "`iree-suite merge-reports --help`, `iree-suite compare --help`, "
      "`iree-suite update-goldens --help`, `iree-suite update-xfails --help`, "
      "`iree-suite engine-info`.",
      "iree-suite"};
  app.set_version_flag("--version", std::string("iree-suite ") + IREE_SUITE_VERSION);
  app.get_formatter()->column_width(40);

  const char* suite = "Suite (as pytest-iree)";
  app.add_option("--test-file-directory", options->test_file_directory,
                 "Directory searched recursively for test JSON files (with --config-files: the "
                 "operator suite's root)")
      ->required()
      ->group(suite);
  app.add_option("--module-directory", options->module_directory,
                 "Directory that module names are relative to (<dir>/<module>.json); required "
                 "unless --config-files is given")
      ->group(suite);
  app.add_option("--external-file-directory", options->external_file_directory,
                 "Directory that MLIR, weight and data paths are relative to; the working "
                 "directory of every IREE tool; required unless --config-files is given")
      ->group(suite);
  app.add_option("--artifact-directory", options->artifact_directory,
                 "Where compiled modules, downloads and logs are kept")
      ->capture_default_str()
      ->group(suite);
  app.add_option("--job-summary-path", options->job_summary_path,
                 "Directory for job_summary.md and job_summary.json")
      ->capture_default_str()
      ->group(suite);
  app.add_flag("--force-recompile", options->force_recompile,
               "Compile every module anew, ignoring and refreshing the module cache")
      ->group(suite);
  app.add_flag("--cache-modules", options->cache_modules,
               "Accepted for compatibility; modules are always cached by content (MLIR bytes, "
               "flags, compiler identity)")
      ->group(suite);
  app.add_option("--iree-tools-dir", options->iree_tools_dir,
                 std::string("Directory holding iree-compile, iree-run-module, "
                             "iree-benchmark-module (default: $") +
                     kToolsDirEnv + ", else PATH, else the project's .venv/bin)")
      ->group(suite);
  app.add_option("--compile-mode", options->compile_mode,
                 "How modules compile: 'library' in persistent workers that load "
                 "libIREECompiler.so, 'process' one iree-compile each, 'auto' the library "
                 "unless it cannot take a module (then iree-compile; -v says why)")
      ->check(CLI::IsMember({"auto", "library", "process"}))
      ->capture_default_str()
      ->group(suite);
  app.add_option("--compiler-library", options->compiler_library,
                 "The libIREECompiler.so compile workers load (default: the one that belongs "
                 "to iree-compile)")
      ->group(suite);
  app.add_option("--compile-worker-max-compiles", options->compile_worker_max_compiles,
                 "Restart a compile worker after this many compiles")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group(suite);
  app.add_option("--compile-worker-max-rss", options->compile_worker_max_rss_mib,
                 "Restart a compile worker that holds more than this many MiB after a compile")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group(suite);

  const char* op_suite = "Operator suites (compile-and-run, see README)";
  app.add_option("--config-files", options->config_files,
                 std::string("Config files (JSON, comments allowed): collect the test folders "
                             "under --test-file-directory once per config (also $") +
                     kConfigFilesEnv + ", ';'-separated)")
      ->expected(1, -1)
      ->group(op_suite);
  app.add_flag("--ignore-xfails", options->ignore_xfails,
               "Ignore expected_compile_failures/expected_run_failures: every test must pass")
      ->group(op_suite);
  app.add_flag("--skip-all-runs", options->skip_all_runs,
               "Compile every test, run none (as if all were in skip_run_tests)")
      ->group(op_suite);

  const char* fetching = "Downloads";
  app.add_flag("--offline", options->offline,
               "Never contact a server: use downloads already in the artifact directory")
      ->group(fetching);
  app.add_option_function<std::vector<std::string>>(
         "--url-mirror",
         [options](const std::vector<std::string>& values) {
           for (const std::string& value : values) {
             size_t equals = value.find('=');
             options->url_mirrors.emplace_back(value.substr(0, equals), value.substr(equals + 1));
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
      ->group(fetching);
  app.add_option("--fetch-retries", options->fetch_retries,
                 "Retries of a failed download (connection errors, HTTP 5xx/408/429), with "
                 "exponential backoff from 0.5 s up to 8 s between them")
      ->capture_default_str()
      ->check(CLI::Range(0, 100))
      ->group(fetching);
  app.add_option("--fetch-jobs", options->fetch_jobs,
                 "Downloads in flight at once, fetched ahead of the tests that need them "
                 "(apart from -j)")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{64}))
      ->group(fetching);
  app.add_option("--fetch-stall-timeout", options->fetch_stall_timeout_s,
                 "Seconds without a byte after which a download attempt is abandoned and retried")
      ->capture_default_str()
      ->check(CLI::Range(1L, 86400L))
      ->group(fetching);

  const char* selection = "Selection and output (as pytest)";
  app.add_option("paths", options->paths,
                 "Test JSON files or directories: collect only these (default: all)")
      ->group(selection);
  app.add_option("-m", options->marker_expression,
                 "Select tests by marker expression, e.g. \"cpu and not benchmark\"; markers "
                 "are the test's \"markers\" plus its type")
      ->group(selection);
  app.add_option("-k", options->keyword_expression,
                 "Select tests whose id contains a substring (case-insensitive), with and/or/not")
      ->group(selection);
  app.add_flag("--collect-only,--co", options->collect_only,
               "List the selected test ids with their markers; run nothing")
      ->group(selection);
  app.add_flag(
         "-v,--verbose", [options](int64_t count) { options->verbosity += int(count); },
         "One line per test (repeatable)")
      ->group(selection);
  app.add_flag(
         "-q,--quiet", [options](int64_t count) { options->verbosity -= int(count); },
         "Less output (repeatable)")
      ->group(selection);
  app.add_flag_callback(
         "-x,--exitfirst", [options] { options->max_failures = 1; },
         "Stop after the first failed test")
      ->group(selection);
  app.add_option("--maxfail", options->max_failures, "Stop after N failed tests")->group(selection);
  app.add_option("-j,--jobs", options->jobs,
                 "Tests in flight at once (default: one per core); a benchmark always runs "
                 "alone, and tests on one GPU device take turns")
      ->check(CLI::Range(size_t{1}, size_t{1024}))
      ->group(selection);
  app.add_option("--shard-index", options->shard_index,
                 "Run shard I (0-based) of --shard-count; also from CI variables, see README")
      ->group(selection);
  app.add_option("--shard-count", options->shard_count,
                 "Split the selected tests into N deterministic, disjoint shards")
      ->group(selection);
  app.add_option("--benchmark-retries", options->benchmark_retries,
                 "Measure a benchmark over its threshold again, up to N times; it passes if any "
                 "measurement is within the threshold, and the report shows every attempt")
      ->capture_default_str()
      ->group(selection);
  app.add_flag("--lf,--last-failed", options->last_failed,
               "Rerun only the tests that failed in the previous run with this artifact "
               "directory (all of them when none failed)")
      ->group(selection);
  app.add_option("--results-json", options->results_json,
                 "Write every verdict and measurement (all benchmark repetitions with min, "
                 "median, mean, stddev, CV) and the run's context, for compare/update-goldens")
      ->group(selection);
  auto* no_history = app.add_flag("--no-history", options->no_history,
                                  "Do not record this run in the benchmark history")
                         ->group(selection);
  app.add_option("--history", options->history,
                 "Record the run in this history: an SQLite file or a postgresql:// URI "
                 "(default: <artifact-directory>/history.sqlite)")
      ->excludes(no_history)
      ->group(selection);
  app.add_option("--trace", options->trace,
                 "Write a Chrome/Perfetto trace-event JSON of every job (open it in "
                 "ui.perfetto.dev or chrome://tracing)")
      ->group(selection);
  app.add_option("--junitxml,--junit-xml", options->junit_xml, "Write a JUnit XML report")
      ->group(selection);
  app.add_option("--html", options->html,
                 "Write a self-contained HTML report with charts (no network needed to view it)")
      ->type_name("FILE")
      ->group(selection);
  app.add_option("--durations", options->durations, "Show the N slowest tests (0: all)")
      ->group(selection);
  app.add_option("--timeout", options->timeout_s,
                 "Per-test time limit in seconds; the tool's process group is killed")
      ->group(selection);
  app.add_option("--log-cli-level", options->log_cli_level,
                 "DEBUG or INFO also print every tool command as it starts")
      ->group(selection);

  const char* machine = "Machine interface (front ends such as the pytest plugin)";
  app.add_option("--events", options->events,
                 "Stream JSON lines (collection, each test's start and result, the end) to FILE "
                 "as they happen; FILE may be a pipe, e.g. /dev/fd/3. `iree-suite engine-info` "
                 "prints the protocol version")
      ->type_name("FILE")
      ->group(machine);
  app.add_option("--test-ids-file", options->test_ids_file,
                 "Run exactly the test ids listed in FILE (one per line), in that order; -m "
                 "still titles the job summary, but -m, -k, --lf and sharding do not select")
      ->type_name("FILE")
      ->group(machine);

  // pytest flags that have no meaning here: accepted so CI scripts run unchanged.
  const char* ignored = "Accepted and ignored (pytest compatibility)";
  std::string ignored_value;
  std::vector<std::string> ignored_values;
  app.add_option("-r", ignored_value, "Extra summary characters (-rpFe)")->group(ignored);
  app.add_option("-o,--override-ini", ignored_values, "ini overrides, e.g. -o log_cli=True")
      ->group(ignored);
  app.add_option("--capture", ignored_value, "Output capturing mode")->group(ignored);
  bool ignored_flag = false;
  app.add_flag("-s", ignored_flag, "Same as --capture=no")->group(ignored);
  app.add_option("-p", ignored_values, "Plugins to load")->group(ignored);
  app.add_option("--color", ignored_value, "Color mode (NO_COLOR is honoured)")->group(ignored);
  app.add_option("--tb", ignored_value, "Traceback style")->group(ignored);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    *exit_code = app.exit(e);
    return false;
  } catch (const CLI::CallForVersion& e) {
    *exit_code = app.exit(e);
    return false;
  } catch (const CLI::ParseError& e) {
    std::cerr << "iree-suite: error: " << e.what() << "\n(run iree-suite --help for usage)\n";
    *exit_code = kExitUsageError;
    return false;
  }
  if (!options->iree_tools_dir) {
    if (const char* env = std::getenv(kToolsDirEnv); env != nullptr && *env != '\0') {
      options->iree_tools_dir = env;
    }
  }
  if (options->config_files.empty()) {
    if (const char* env = std::getenv(kConfigFilesEnv); env != nullptr) {
      std::string_view list = env;
      while (!list.empty()) {
        size_t semicolon = list.find(';');
        std::string_view item = list.substr(0, semicolon);
        if (!item.empty()) options->config_files.emplace_back(std::string(item));
        if (semicolon == std::string_view::npos) break;
        list.remove_prefix(semicolon + 1);
      }
    }
  }
  // Required only for JSON suites, so CLI11 cannot enforce them.
  if (options->config_files.empty()) {
    for (const auto& [flag, value] :
         {std::pair{"--module-directory", &options->module_directory},
          std::pair{"--external-file-directory", &options->external_file_directory}}) {
      if (value->empty()) {
        std::cerr << "iree-suite: error: " << flag
                  << " is required\n(run iree-suite --help for usage)\n";
        *exit_code = kExitUsageError;
        return false;
      }
    }
  }
  return true;
}

}  // namespace iree_suite
