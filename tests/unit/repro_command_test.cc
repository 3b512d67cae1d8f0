// `iree-suite repro` exits with the status of the tool that ended it.
#include "cli/repro_command.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "report/console.h"

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

TEST(ReproCommandTest, AnInterruptedReproExitsAsAShellDoesOnCtrlC) {
  ProcessResult killed;  // the tool's group killed because of the Ctrl-C
  killed.interrupted = true;
  killed.term_signal = SIGKILL;
  EXPECT_EQ(ReproExitStatus(killed), 130);
  ProcessResult skipped;  // a step that never started after it
  skipped.interrupted = true;
  EXPECT_EQ(ReproExitStatus(skipped), 130);
}

TEST(ReproCommandTest, EveryLineOfAMultiLineNoteIsAComment) {
  const std::string reason = "cannot show the commands: mlir: line 1\nline 2\n$ rm -rf x";
  EXPECT_EQ(ShownCommandLine({{}, reason}),
            "  # cannot show the commands: mlir: line 1\n  # line 2\n  # $ rm -rf x");
  Repro compile{"/w", {"iree-compile", "a.mlir"}};
  EXPECT_EQ(ShownCommandLine({compile, "cached: x\ny"}),
            "  $ cd /w && iree-compile a.mlir  # cached: x\n  # y");
}

}  // namespace
}  // namespace iree_suite
