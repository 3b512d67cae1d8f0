// Recording a run in the history at its end: best effort, one transaction.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "report/results_json.h"

namespace iree_suite {

// `--history` as given, or <artifact-directory>/history.sqlite.
std::string HistoryLocation(const std::string& flag,
                            const std::filesystem::path& artifact_directory);

// Appends the run (its results.json document, as rendered) to the history at
// `location`. Returns a warning for the console, empty when it was stored: a
// history that cannot be opened or written never fails the run.
std::string RecordRun(const std::string& location, const nlohmann::ordered_json& results_json);

// Per benchmark of `test_ids`, its trend over the history at `location` as
// inline SVG, with change points and run `run_key` highlighted: what a run's
// HTML report draws. Empty when the history cannot be read.
std::map<std::string, std::string> RunTrends(const std::string& location,
                                             const std::string& run_key,
                                             const std::vector<std::string>& test_ids);

}  // namespace iree_suite
