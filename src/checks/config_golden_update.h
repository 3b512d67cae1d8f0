// `update-goldens --config-files`: the golden_times_ms of torch_ops configs
// (test name -> ms) from a results.json, rewriting only the numbers' text.
#pragma once

#include <filesystem>
#include <vector>

#include "checks/golden_update.h"
#include "results/results_json.h"

namespace iree_suite {

// For every measured benchmark "<name>::<config_name>" of `results`, the new
// golden_times_ms["<name>"] of the config with that name. Names the config
// has no golden for go to `missing` with a suggestion.
GoldenUpdatePlan PlanConfigGoldenUpdates(const ResultsFile& results,
                                         const std::vector<std::filesystem::path>& config_files,
                                         const GoldenPolicy& policy);

}  // namespace iree_suite
