#include "cli/compare_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "checks/compare.h"
#include "cli/options.h"
#include "results/results_json.h"

namespace iree_suite {
namespace {

// "5%" or "0.05": a relative change, never negative.
std::optional<double> ParseThreshold(const std::string& text) {
  const bool percent = !text.empty() && text.back() == '%';
  const std::string number = percent ? text.substr(0, text.size() - 1) : text;
  char* end = nullptr;
  const double value = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(value) ||
      value < 0) {
    return std::nullopt;
  }
  return percent ? value / 100 : value;
}

}  // namespace

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
         [&options](const std::string& text) { options.threshold = *ParseThreshold(text); },
         "Relative change that counts: a fraction (0.05) or a percentage (5%)")
      ->default_str("5%")
      ->check([](const std::string& text) -> std::string {
        return ParseThreshold(text) ? ""
                                    : "expected a fraction such as 0.05 or a percentage "
                                      "such as 5%, not \"" +
                                          text + "\"";
      });
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
  std::string error;
  std::optional<ResultsFile> base = ReadResultsJson(base_path, &error);
  std::optional<ResultsFile> current = base ? ReadResultsJson(new_path, &error) : std::nullopt;
  if (!base || !current) {
    fmt::print(stderr, "iree-suite compare: error: {}\n", error);
    return kExitUsageError;
  }
  ComparisonReport report = CompareResults(*base, *current, options);
  fmt::print("{}", markdown ? RenderComparisonMarkdown(report) : RenderComparisonText(report));
  return fail_on_regression && report.HasRegression() ? kExitTestsFailed : kExitOk;
}

}  // namespace iree_suite
