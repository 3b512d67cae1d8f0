// job_summary.md / job_summary.json: the per-kind tables the reference plugin
// writes for CI job pages, byte for byte in the same shape.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "results/test_result.h"

namespace iree_suite {

// One kind's table. Cells are JSON strings or numbers, as the reference puts
// them in job_summary.json.
struct SummaryTable {
  std::vector<std::string> headers;
  std::vector<std::vector<nlohmann::json>> rows;
};

// One (kind name, table) per test kind, ordered by the kind's first result.
std::vector<std::pair<std::string, SummaryTable>> BuildSummaryTables(
    const std::vector<TestResult>& results);

// The tables of tests that never ran (--collect-only, a usage error after
// collection): "N/A" measurements and status, as the reference writes its
// items then.
std::vector<std::pair<std::string, SummaryTable>> BuildNotRunSummaryTables(
    const std::vector<const TestDefinition*>& tests);

// Renders `headers` and `rows` the way Python's
// tabulate(rows, headers, tablefmt="github") does (no trailing newline).
std::string RenderGithubTable(const SummaryTable& table);

// "# Job Summary For Markers: <expr>\n\n" then "## <Kind> Test Summary\n\n"
// + table + "\n\n" per kind.
std::string RenderJobSummaryMarkdown(
    const std::string& marker_expression,
    const std::vector<std::pair<std::string, SummaryTable>>& tables);

// {"<kind>": {"headers": [...], "rows": [[...], ...]}, ...}; ordered_json keeps
// the kinds in table order, as Python's dict does.
nlohmann::ordered_json RenderJobSummaryJson(
    const std::vector<std::pair<std::string, SummaryTable>>& tables);

// Writes <dir>/job_summary.md and <dir>/job_summary.json atomically.
// `marker_expression` is the -m text, "" when none.
[[nodiscard]] Status WriteJobSummary(const std::filesystem::path& dir,
                                     const std::string& marker_expression,
                                     const std::vector<TestResult>& results);
// The same files from tables already built (e.g. merged from shards).
[[nodiscard]] Status WriteJobSummaryTables(
    const std::filesystem::path& dir, const std::string& marker_expression,
    const std::vector<std::pair<std::string, SummaryTable>>& tables);

}  // namespace iree_suite
