// `iree-suite update-goldens`: refreshes the golden values of test JSONs from
// a results.json (dry run unless --write).
#pragma once

#include "checks/golden_update.h"

namespace iree_suite {

// Prints the plan and its errors; with `write` applies it, else says what
// would change. Returns the exit code.
int ReportAndApplyGoldenPlan(const GoldenUpdatePlan& plan, bool write);

// argv[0] is "update-goldens"; with --from-history the history's version
// (cli/history_command.h). Returns the process exit code.
int RunUpdateGoldensCommand(int argc, char** argv);

}  // namespace iree_suite
