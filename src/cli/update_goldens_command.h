// `iree-suite update-goldens`: refreshes the golden values of test JSONs from
// a results.json (dry run unless --write).
#pragma once

namespace iree_suite {

// argv[0] is "update-goldens". Returns the process exit code.
int RunUpdateGoldensCommand(int argc, char** argv);

}  // namespace iree_suite
