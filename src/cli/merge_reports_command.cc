#include "cli/merge_reports_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/atomic_file.h"
#include "cli/options.h"
#include "report/html_report.h"
#include "report/job_summary.h"
#include "report/junit_xml.h"
#include "report/merge_reports.h"
#include "results/results_json.h"

namespace iree_suite {

namespace {

namespace fs = std::filesystem;

struct MergeOptions {
  std::vector<fs::path> inputs;  // the shards' results files, in order
  fs::path job_summary_dir = ".";
  std::optional<fs::path> results_json;
  std::optional<fs::path> junit_xml;
  std::optional<fs::path> html;
  std::optional<fs::path> trace;
  std::vector<fs::path> trace_inputs;
  std::optional<std::string> marker_expression;
  // The inputs of merge-reports before results files existed, now refused.
  std::vector<fs::path> old_job_summaries;
  std::vector<fs::path> old_junit_inputs;
};

constexpr const char* kOldInputs =
    "merge-reports reads the shards' results files now, not their job summaries or JUnit "
    "files: run each shard with --results-json=FILE and give those files; merge-reports "
    "writes job_summary.md/.json, --junitxml, --html, --results-json and --trace from them";

void AddOptions(CLI::App& app, MergeOptions* options) {
  app.add_option("RESULTS", options->inputs,
                 "A shard's results file (its --results-json), in shard order");
  app.add_option("--job-summary-path", options->job_summary_dir,
                 "Directory for the merged job_summary.md and job_summary.json")
      ->capture_default_str();
  app.add_option("--results-json", options->results_json, "Where to write the merged results");
  app.add_option("--junitxml", options->junit_xml, "Where to write the merged JUnit XML");
  app.add_option("--html", options->html, "Where to write the merged HTML report");
  app.add_option("--trace", options->trace,
                 "Where to write the merged trace (needs --trace-input)");
  // One file per occurrence, so that results files may follow it.
  app.add_option("--trace-input", options->trace_inputs,
                 "A shard's --trace file (repeatable, in shard order)")
      ->allow_extra_args(false);
  app.add_option("-m", options->marker_expression,
                 "The marker expression for the titles (default: the shards' -m)");
  app.add_option("--job-summary", options->old_job_summaries)->group("");
  app.add_option("--junitxml-input", options->old_junit_inputs)->group("");
}

// A usage problem in the flags, or "".
std::string CheckOptions(const MergeOptions& options) {
  if (!options.old_job_summaries.empty() || !options.old_junit_inputs.empty()) return kOldInputs;
  if (options.trace.has_value() != !options.trace_inputs.empty()) {
    return "--trace and --trace-input go together";
  }
  return "";
}

// One merged report: where it goes and how to write it.
struct MergedReport {
  fs::path path;
  std::function<Status()> write;
};

std::vector<MergedReport> MergedReports(const MergeOptions& options, const ResultsFile& merged,
                                        const std::string& markers) {
  const double seconds = TotalTestSeconds(merged);
  std::vector<MergedReport> reports;
  reports.push_back({options.job_summary_dir / "job_summary.md", [&, markers] {
                       return WriteJobSummary(options.job_summary_dir, markers, merged.tests);
                     }});
  if (options.results_json) {
    reports.push_back(
        {*options.results_json,
         [&] { return WriteResultsJson(*options.results_json, merged.tests, merged.context); }});
  }
  if (options.junit_xml) {
    reports.push_back({*options.junit_xml, [&, seconds] {
                         return WriteFileAtomically(
                             *options.junit_xml,
                             RenderJUnitXml(merged.tests, seconds, merged.context.start_time,
                                            merged.context.host_name));
                       }});
  }
  if (options.html) {
    HtmlReportInfo info{
        markers, seconds, merged.context.iree_suite_version, merged.context.start_time, {}};
    reports.push_back(
        {*options.html, [&, info] { return WriteHtmlReport(*options.html, merged.tests, info); }});
  }
  return reports;
}

}  // namespace

int RunMergeReportsCommand(int argc, char** argv) {
  CLI::App app{
      "Merges the results files of a sharded run (each shard's --results-json) and renders "
      "the whole run's reports from them: job_summary.md/.json, and with their flags a results "
      "file, JUnit XML, an HTML report and a trace.",
      "iree-suite merge-reports"};
  MergeOptions options;
  AddOptions(app, &options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsageError;
  }
  if (std::string problem = CheckOptions(options); !problem.empty()) {
    fmt::print(stderr, "iree-suite merge-reports: error: {}\n", problem);
    return kExitUsageError;
  }
  auto fail = [](const std::string& error) {
    fmt::print(stderr, "iree-suite merge-reports: error: {}\n", error);
    return kExitUsageError;
  };
  std::vector<std::string> warnings;
  Result<ResultsFile> merged = MergeResultsFiles(options.inputs, &warnings);
  if (!merged) return fail(merged.error());
  std::optional<std::string> trace;
  if (options.trace) {
    Result<std::string> merged_trace = MergeTraceFiles(options.trace_inputs);
    if (!merged_trace) return fail(merged_trace.error());
    trace = std::move(*merged_trace);
  }
  for (const std::string& warning : warnings) {
    fmt::print(stderr, "iree-suite merge-reports: warning: {}\n", warning);
  }
  if (options.marker_expression) merged->context.marker_expression = *options.marker_expression;
  const std::string markers = merged->context.marker_expression;
  std::vector<MergedReport> reports = MergedReports(options, *merged, markers);
  if (trace) {
    reports.push_back(
        {*options.trace, [&] { return WriteFileAtomically(*options.trace, *trace); }});
  }
  int exit_code = kExitOk;
  for (const MergedReport& report : reports) {
    if (Status written = report.write(); !written) {
      fmt::print(stderr, "iree-suite merge-reports: error: cannot write {}: {}\n",
                 report.path.string(), written.error());
      exit_code = kExitInternalError;
    }
  }
  fmt::print("merged {} results files ({} tests) into {}\n", options.inputs.size(),
             merged->tests.size(), (options.job_summary_dir / "job_summary.md").string());
  return exit_code;
}

}  // namespace iree_suite
