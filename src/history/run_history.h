// Recording a run in the history at its end: best effort, one transaction.
#pragma once

#include <filesystem>
#include <string>

#include "results/results_json.h"

namespace iree_suite {

// `--history` as given, or <artifact-directory>/history.sqlite.
std::string HistoryLocation(const std::string& flag,
                            const std::filesystem::path& artifact_directory);

// Appends the run (its results.json document, as rendered) to the history at
// `location`. Returns a warning for the console, empty when it was stored: a
// history that cannot be opened or written never fails the run.
std::string RecordRun(const std::string& location, const nlohmann::ordered_json& results_json);

}  // namespace iree_suite
