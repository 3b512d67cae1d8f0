// The command line: the reference plugin's flags, pytest's familiar ones, and
// iree-suite's own.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runner/suite_runner.h"

namespace iree_suite {

// pytest's exit codes, which CI scripts already test for.
enum ExitCode : int {
  kExitOk = 0,
  kExitTestsFailed = 1,  // also: a cache command found problems
  kExitInterrupted = 2,  // also: collection errors happened
  kExitInternalError = 3,
  kExitUsageError = 4,
  kExitNoTestsCollected = 5,
};

struct CliOptions {
  std::filesystem::path test_file_directory;
  std::filesystem::path module_directory;
  std::filesystem::path external_file_directory;
  std::filesystem::path artifact_directory = "artifacts";  // absolute once parsed
  std::filesystem::path job_summary_path = "./";
  bool cache_modules = false;  // accepted for compatibility: caching is content-addressed
  std::string log_cli_level;
  std::string marker_expression;
  bool strict_markers = false;  // a -m name that is no collected test's marker is an error
  std::string keyword_expression;
  bool collect_only = false;
  bool show_commands = false;  // print each selected test's commands, run nothing
  // `iree-suite repro ID`: rerun one test's tools in a scratch directory
  // (set before parsing: it adds --output).
  bool repro = false;
  std::optional<std::filesystem::path> repro_output;  // else <artifacts>/repro/<test>/
  std::string color = "auto";       // --color: yes | no | auto (a terminal, see UseColor)
  std::string report_chars = "fE";  // -r: pytest's short-summary characters
  int verbosity = 0;                // -v adds one, -q takes one away
  bool last_failed = false;
  std::optional<size_t> shard_index;
  std::optional<size_t> shard_count;
  std::optional<std::filesystem::path> junit_xml;
  std::optional<std::filesystem::path> trace;
  std::optional<std::filesystem::path> html;
  std::optional<std::filesystem::path> results_json;
  std::string
      history;  // SQLite path or postgresql:// URI; "" = <artifact-directory>/history.sqlite
  bool no_history = false;
  std::optional<int> durations;
  std::optional<std::filesystem::path> iree_tools_dir;
  std::string compile_mode = "auto";                      // auto | library | process
  std::optional<std::filesystem::path> compiler_library;  // else the one beside iree-compile
  size_t compile_worker_max_compiles = 100;
  size_t compile_worker_max_rss_mib = 4096;
  std::vector<std::filesystem::path> paths;  // positional: restrict collection
  // Operator suites: config files (or $IREE_TEST_CONFIG_FILES, ';'-separated)
  // switch collection to suite/op_suite_loader.h.
  std::vector<std::filesystem::path> config_files;
  bool ignore_xfails = false;
  bool skip_all_runs = false;
  // Machine interface (report/event_stream.h), used by the pytest plugin.
  std::optional<std::filesystem::path> events;
  std::optional<std::filesystem::path> test_ids_file;  // run exactly these ids, in this order
  // The runner's configuration, which the flags fill directly (--force-recompile,
  // --timeout, -x/--maxfail, -j, --benchmark-retries, --fetch-*, --offline,
  // --url-mirror) and ParseCommandLine completes (directories made absolute,
  // -j 0 resolved to the core count). Only the trace sink and the
  // cancellation hook are left to the caller.
  RunnerConfig runner;

  bool operator_suite() const { return !config_files.empty(); }
  // --log-cli-level INFO or DEBUG: every tool command is printed as it starts.
  bool log_commands() const;
  // --show-commands, or --collect-only -v: each listed test's commands.
  bool lists_commands() const { return show_commands || (collect_only && verbosity > 0); }
};

inline constexpr const char* kConfigFilesEnv = "IREE_TEST_CONFIG_FILES";

// An environment variable that stands in for an option the command line does
// not give (when set and non-empty).
struct OptionFromEnvironment {
  const char* variable;
  const char* option;
  void (*apply)(std::string_view value, CliOptions* options);
};

// Every environment variable the command line reads.
extern const std::vector<OptionFromEnvironment> kOptionsFromEnvironment;

// Parses argv. On --help/--version prints and returns kExitOk in *exit_code;
// on a usage error prints the message and returns kExitUsageError. Returns
// true when the run should proceed.
bool ParseCommandLine(int argc, char** argv, CliOptions* options, int* exit_code);

}  // namespace iree_suite
