// `iree-suite history import|show|changes|report` and
// `iree-suite update-goldens --from-history`.
#pragma once

namespace iree_suite {

// argv[0] is "history". Returns the process exit code.
int RunHistoryCommand(int argc, char** argv);

// argv[0] is "update-goldens" and --from-history is among the arguments.
int RunUpdateGoldensFromHistory(int argc, char** argv);

}  // namespace iree_suite
