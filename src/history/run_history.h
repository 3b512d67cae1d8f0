// Recording a run in the history at its end: best effort, one transaction.
#pragma once

#include <filesystem>
#include <string>

#include "base/result.h"
#include "results/results_json.h"

namespace iree_suite {

// `--history` as given, or <artifact-directory>/history.sqlite.
std::string HistoryLocation(const std::string& flag,
                            const std::filesystem::path& artifact_directory);

// Appends the run (its results.json document, as rendered) to the history at
// `location`. An error is a warning for the console: a history that cannot
// be opened or written never fails the run.
Status RecordRun(const std::string& location, const nlohmann::ordered_json& results_json);

}  // namespace iree_suite
