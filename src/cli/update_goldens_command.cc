#include "cli/update_goldens_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>

#include "base/strings.h"
#include "checks/config_golden_update.h"
#include "checks/golden_update.h"
#include "cli/history_command.h"
#include "cli/options.h"
#include "results/results_json.h"

namespace iree_suite {

int ReportAndApplyGoldenPlan(const GoldenUpdatePlan& plan, bool write) {
  fmt::print("{}", RenderGoldenPlan(plan));
  for (const std::string& problem : plan.errors) {
    fmt::print(stderr, "iree-suite update-goldens: error: {}\n", problem);
  }
  if (!write) {
    if (!plan.edits.empty()) {
      fmt::print("\ndry run: {} files would change; pass --write to apply\n", plan.edits.size());
    }
  } else {
    if (Status written = ApplyGoldenPlan(plan); !written) {
      fmt::print(stderr, "iree-suite update-goldens: error: {}\n", written.error());
      return kExitInternalError;
    }
    fmt::print("\nwrote {} files\n", plan.edits.size());
  }
  // A test JSON that is missing or unreadable is a problem of the data given,
  // not of iree-suite: a usage error, as a bad results file is.
  return plan.errors.empty() ? kExitOk : kExitUsageError;
}

int RunUpdateGoldensCommand(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--from-history") {
      return RunUpdateGoldensFromHistory(argc, argv);
    }
  }
  namespace fs = std::filesystem;
  CLI::App app{
      "Sets the goldens of benchmark and compstat test JSONs from a results.json: "
      "golden_time_ms = min x FACTOR (3 decimals) but never below the slowest sample, "
      "golden_dispatch_count = count + HEADROOM (rounded up) + SLACK, golden_binary_size = "
      "size + HEADROOM rounded up to 3 significant digits or a multiple of N. Only fields a test "
      "already has are rewritten, and only their number's text. Prints the changes and why; "
      "--write applies them.",
      "iree-suite update-goldens"};
  fs::path results_path;
  fs::path test_dir;
  GoldenPolicy policy;
  bool only_tighten = false;
  bool only_loosen = false;
  bool write = false;
  app.add_option("RESULTS", results_path, "results.json of a run")->required();
  std::vector<fs::path> config_files;
  auto* tests_option =
      app.add_option("--test-file-directory", test_dir, "Where the run's test JSONs are");
  app.add_option("--config-files", config_files,
                 "torch_ops configs: their golden_times_ms are updated instead of test JSONs")
      ->excludes(tests_option);
  app.add_option("--time-factor", policy.time_factor,
                 "golden_time_ms = min_ms x this, never below the slowest sample")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  auto* tighten = app.add_flag("--only-tighten", only_tighten, "Only lower goldens");
  app.add_flag("--only-loosen", only_loosen, "Only raise goldens")->excludes(tighten);
  app.add_option_function<std::string>(
         "--size-headroom",
         [&policy](const std::string& text) { policy.size_headroom = *ParseShare(text); },
         "Added to the measured golden_binary_size and golden_dispatch_count: a fraction (0.05) "
         "or a percentage (5%)")
      ->default_str(fmt::format("{:g}%", kDefaultSizeHeadroom * 100))
      ->check([](const std::string& text) {
        const std::string problem = ShareProblem(text);
        if (!problem.empty() || *ParseShare(text) <= 10) return problem;
        return std::string("a headroom of at most 1000%");
      });
  app.add_option("--size-round", policy.size_round,
                 "Round golden_binary_size up to a multiple of this (0: to 3 significant digits)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--dispatch-slack", policy.dispatch_slack, "Added to the measured dispatch count")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--write", write, "Write the changes (default: only print them)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsageError;
  }
  if (only_tighten) policy.direction = GoldenPolicy::Direction::kOnlyTighten;
  if (only_loosen) policy.direction = GoldenPolicy::Direction::kOnlyLoosen;

  Result<ResultsFile> results = ReadResultsJson(results_path);
  if (!results) {
    fmt::print(stderr, "iree-suite update-goldens: error: {}\n", results.error());
    return kExitUsageError;
  }
  if (config_files.empty() && test_dir.empty()) {
    fmt::print(stderr,
               "iree-suite update-goldens: error: --test-file-directory or "
               "--config-files is required\n");
    return kExitUsageError;
  }
  GoldenUpdatePlan plan = config_files.empty()
                              ? PlanGoldenUpdates(*results, test_dir, policy)
                              : PlanConfigGoldenUpdates(*results, config_files, policy);
  return ReportAndApplyGoldenPlan(plan, write);
}

}  // namespace iree_suite
