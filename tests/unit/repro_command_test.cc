// `iree-suite repro` exits with the status of the tool that ended it.
#include "cli/repro_command.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace iree_suite {
namespace {

TEST(ReproCommandTest, ExitsWithTheToolsStatusAsAShellWould) {
  ProcessResult exited;
  exited.exit_code = 3;
  EXPECT_EQ(ReproExitStatus(exited), 3);
  ProcessResult killed;
  killed.term_signal = SIGSEGV;
  EXPECT_EQ(ReproExitStatus(killed), 128 + SIGSEGV);
  ProcessResult not_started;
  not_started.spawn_error = "cannot start x: No such file or directory";
  EXPECT_EQ(ReproExitStatus(not_started), 127);
}

}  // namespace
}  // namespace iree_suite
