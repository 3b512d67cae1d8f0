// `iree-suite update-xfails`: rewrites the expected_compile_failures and
// expected_run_failures lists of operator-suite configs from a results.json
// (dry run unless --write).
#pragma once

namespace iree_suite {

// argv[0] is "update-xfails". Returns the process exit code.
int RunUpdateXfailsCommand(int argc, char** argv);

}  // namespace iree_suite
