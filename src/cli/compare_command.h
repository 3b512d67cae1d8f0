// `iree-suite compare`: the benchmark and compile-statistics differences
// between two results.json files.
#pragma once

namespace iree_suite {

// argv[0] is "compare". Returns the process exit code: 1 with
// --fail-on-regression when a test regressed, 4 on usage errors, else 0.
int RunCompareCommand(int argc, char** argv);

}  // namespace iree_suite
