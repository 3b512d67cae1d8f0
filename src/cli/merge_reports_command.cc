#include "cli/merge_reports_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "base/atomic_file.h"
#include "cli/options.h"
#include "report/job_summary.h"
#include "report/merge_reports.h"

namespace iree_suite {

int RunMergeReportsCommand(int argc, char** argv) {
  namespace fs = std::filesystem;
  CLI::App app{
      "Merges the reports of a sharded run: every shard's job_summary.json into one "
      "job_summary.md/.json, and every shard's JUnit XML into one file.",
      "iree-suite merge-reports"};
  std::vector<fs::path> summaries;
  std::vector<fs::path> junit_inputs;
  fs::path output_dir = ".";
  std::optional<fs::path> junit_output;
  std::string marker_expression;
  app.add_option("--job-summary", summaries, "A shard's job_summary.json (repeatable, in order)");
  app.add_option("--junitxml-input", junit_inputs, "A shard's JUnit XML (repeatable, in order)");
  app.add_option("--job-summary-path", output_dir,
                 "Directory for the merged job_summary.md and job_summary.json")
      ->capture_default_str();
  app.add_option("--junitxml", junit_output, "Where to write the merged JUnit XML");
  app.add_option("-m", marker_expression, "The marker expression for the summary's title");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsageError;
  }
  if (summaries.empty() && junit_inputs.empty()) {
    std::cerr << "iree-suite merge-reports: error: give --job-summary and/or --junitxml-input "
                 "files\n";
    return kExitUsageError;
  }
  if (!junit_inputs.empty() && !junit_output) {
    std::cerr << "iree-suite merge-reports: error: --junitxml-input needs --junitxml OUTPUT\n";
    return kExitUsageError;
  }
  std::string error;
  if (!summaries.empty()) {
    auto tables = MergeJobSummaries(summaries, &error);
    if (!tables) {
      fmt::print(stderr, "iree-suite merge-reports: error: {}\n", error);
      return kExitUsageError;
    }
    if (std::string write_error = WriteJobSummaryTables(output_dir, marker_expression, *tables);
        !write_error.empty()) {
      fmt::print(stderr, "iree-suite merge-reports: error: {}\n", write_error);
      return kExitInternalError;
    }
    fmt::print("merged {} job summaries into {}\n", summaries.size(),
               (output_dir / "job_summary.md").string());
  }
  if (!junit_inputs.empty()) {
    std::optional<std::string> xml = MergeJUnitXml(junit_inputs, &error);
    if (!xml) {
      fmt::print(stderr, "iree-suite merge-reports: error: {}\n", error);
      return kExitUsageError;
    }
    if (std::string write_error = WriteFileAtomically(*junit_output, *xml); !write_error.empty()) {
      fmt::print(stderr, "iree-suite merge-reports: error: {}\n", write_error);
      return kExitInternalError;
    }
    fmt::print("merged {} JUnit files into {}\n", junit_inputs.size(), junit_output->string());
  }
  return kExitOk;
}

}  // namespace iree_suite
