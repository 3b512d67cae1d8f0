#include "cli/compare_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "base/strings.h"
#include "checks/compare.h"
#include "cli/options.h"
#include "results/results_json.h"

namespace iree_suite {

int RunCompareCommand(int argc, char** argv) {
  namespace fs = std::filesystem;
  CLI::App app{
      "Compares two results.json files: benchmark min/median and compile statistics per test. "
      "A benchmark regressed when new/base min > 1 + THRESHOLD and, with at least 3 repetitions "
      "on both sides, the Mann-Whitney U test's two-sided p < ALPHA.",
      "iree-suite compare"};
  fs::path base_path;
  fs::path new_path;
  CompareOptions options;
  bool markdown = false;
  bool fail_on_regression = false;
  app.add_option("BASE", base_path, "results.json of the baseline run")->required();
  app.add_option("NEW", new_path, "results.json of the run to judge")->required();
  app.add_option_function<std::string>(
         "--threshold",
         [&options](const std::string& text) { options.threshold = *ParseShare(text); },
         "Relative change that counts: a fraction (0.05) or a percentage (5%)")
      ->default_str("5%")
      ->check(ShareProblem);
  app.add_option("--alpha", options.alpha, "Significance level of the U test")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_flag("--markdown", markdown, "GitHub Markdown instead of a plain-text table");
  app.add_flag("--fail-on-regression", fail_on_regression, "Exit 1 when any test regressed");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsageError;
  }
  Result<ResultsFile> base = ReadResultsJson(base_path);
  Result<ResultsFile> current = base ? ReadResultsJson(new_path) : Error{base.error()};
  if (!current) {
    fmt::print(stderr, "iree-suite compare: error: {}\n", current.error());
    return kExitUsageError;
  }
  ComparisonReport report = CompareResults(*base, *current, options);
  fmt::print("{}", markdown ? RenderComparisonMarkdown(report) : RenderComparisonText(report));
  return fail_on_regression && report.HasRegression() ? kExitTestsFailed : kExitOk;
}

}  // namespace iree_suite
