// `iree-suite merge-reports`: combines the reports of a sharded run.
#pragma once

namespace iree_suite {

// argv[0] is "merge-reports". Returns the process exit code.
int RunMergeReportsCommand(int argc, char** argv);

}  // namespace iree_suite
