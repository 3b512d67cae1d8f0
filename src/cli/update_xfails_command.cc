#include "cli/update_xfails_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "checks/xfail_update.h"
#include "cli/options.h"
#include "results/results_json.h"

namespace iree_suite {

int RunUpdateXfailsCommand(int argc, char** argv) {
  namespace fs = std::filesystem;
  CLI::App app{
      "Updates expected_compile_failures and expected_run_failures of operator-suite configs "
      "from a run's results.json (--results-json): a test that failed to compile or run is "
      "added to its list, one that passed is removed. Only those two arrays' text changes. "
      "Prints the changes; --write applies them.",
      "iree-suite update-xfails"};
  fs::path results_path;
  std::vector<fs::path> configs;
  bool write = false;
  app.add_option("--results-json", results_path, "results.json of an operator-suite run")
      ->required();
  app.add_option("CONFIG", configs, "Config files of that run")->required();
  app.add_flag("--write", write, "Write the changes (default: only print them)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsageError;
  }

  Result<ResultsFile> results = ReadResultsJson(results_path);
  if (!results) {
    fmt::print(stderr, "iree-suite update-xfails: error: {}\n", results.error());
    return kExitUsageError;
  }
  XfailUpdatePlan plan = PlanXfailUpdates(*results, configs);
  fmt::print("{}", RenderXfailPlan(plan));
  for (const std::string& problem : plan.errors) {
    fmt::print(stderr, "iree-suite update-xfails: error: {}\n", problem);
  }
  if (plan.edits.empty()) {
    fmt::print("no changes\n");
  } else if (!write) {
    fmt::print("\ndry run: {} files would change; pass --write to apply\n", plan.edits.size());
  } else {
    if (Status written = ApplyXfailPlan(plan); !written) {
      fmt::print(stderr, "iree-suite update-xfails: error: {}\n", written.error());
      return kExitInternalError;
    }
    fmt::print("\nwrote {} files\n", plan.edits.size());
  }
  // A config that is missing, unreadable or malformed is a problem of the data
  // given, not of iree-suite: a usage error, as a bad results file is.
  return plan.errors.empty() ? kExitOk : kExitUsageError;
}

}  // namespace iree_suite
