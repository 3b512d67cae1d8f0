// The console as the owner of the terminal: its status line names the job
// that actually runs (not a test waiting for its turn) and for how long, and
// tool commands reach it as events.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "report/console.h"

namespace iree_suite {
namespace {

class ConsoleStatusTest : public ::testing::Test {
 protected:
  ConsoleStatusTest() : out_(open_memstream(&buffer_, &size_)) {}
  ~ConsoleStatusTest() override {
    std::fclose(out_);
    std::free(buffer_);
  }
  std::string Text() {
    std::fflush(out_);
    return std::string(buffer_, size_);
  }
  TestDefinition Test(const std::string& id) {
    TestDefinition test;
    test.id = id;
    return test;
  }

  char* buffer_ = nullptr;
  size_t size_ = 0;
  std::FILE* out_;
};

TEST_F(ConsoleStatusTest, NamesTheLongestRunningJobNotAWaitingTest) {
  ConsoleReporter console(out_, /*smart_terminal=*/true, /*verbosity=*/0, /*log_commands=*/false);
  console.Collected(3, 0, {});
  TestDefinition waiting = Test("a/waits_for_its_turn.json");
  TestDefinition measured = Test("b/bench.json");
  console.OnTestStarted(waiting);
  console.OnTestStarted(measured);
  EXPECT_EQ(console.StatusText(), "[0/3 done, 2 running, 1 queued]");
  uint64_t benchmark = console.Begin("benchmark", "b/bench.json", "b/bench.json", "", 1);
  uint64_t wait = console.Begin("wait", "exclusive turn", "a/waits_for_its_turn.json", "", 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  uint64_t compile = console.Begin("compile", "m/modules/x", "", "m/modules/x", 2);
  EXPECT_EQ(console.StatusText(), "[0/3 done, 2 running, 1 queued] benchmark b/bench.json 1s");
  console.End(benchmark);
  // The wait began before the compile, yet the compile is what runs.
  EXPECT_EQ(console.StatusText(), "[0/3 done, 2 running, 1 queued] compile m/modules/x 0s");
  console.End(compile);
  console.End(wait);
  EXPECT_EQ(console.StatusText(), "[0/3 done, 2 running, 1 queued]");
  EXPECT_EQ(Text().find("waits_for_its_turn"), std::string::npos) << Text();
  EXPECT_EQ(Text().find("exclusive turn"), std::string::npos) << Text();
  EXPECT_NE(Text().find("benchmark b/bench.json"), std::string::npos) << Text();
}

TEST_F(ConsoleStatusTest, NoStatusLineInACiLog) {
  ConsoleReporter console(out_, /*smart_terminal=*/false, /*verbosity=*/0, /*log_commands=*/false);
  console.Collected(1, 0, {});
  TestDefinition test = Test("a.json");
  console.OnTestStarted(test);
  console.End(console.Begin("run", "a.json", "a.json", "", 1));
  EXPECT_EQ(console.StatusText(), "");
  EXPECT_EQ(Text(), "collected 1 test\n");
}

TEST_F(ConsoleStatusTest, CommandsAreLinesOnlyWhenLogged) {
  ProcessSpec spec{{"/bin/true"}, "/work", "/dev/null", {}, std::nullopt};
  {
    ConsoleReporter quiet(out_, /*smart_terminal=*/false, 0, /*log_commands=*/false);
    quiet.OnCommandStarted(spec);
  }
  EXPECT_EQ(Text(), "");
  ConsoleReporter logging(out_, /*smart_terminal=*/false, 0, /*log_commands=*/true);
  logging.OnCommandStarted(spec);
  EXPECT_EQ(Text(), "  $ cd /work && /bin/true\n");
}

TEST_F(ConsoleStatusTest, ACachedCommandIsLoggedWithItsNoteAfterAHash) {
  ProcessSpec spec{{"/bin/iree-compile", "a b.mlir"}, "/work", {}, {}, std::nullopt};
  {
    ConsoleReporter quiet(out_, /*smart_terminal=*/false, 0, /*log_commands=*/false);
    quiet.OnCommandCached(spec, "cached: /art/modules/m/k");
  }
  EXPECT_EQ(Text(), "");
  ConsoleReporter logging(out_, /*smart_terminal=*/false, 0, /*log_commands=*/true);
  logging.OnCommandCached(spec, "cached: /art/modules/m/k");
  EXPECT_EQ(Text(), "  $ cd /work && /bin/iree-compile 'a b.mlir'  # cached: /art/modules/m/k\n");
}

TEST_F(ConsoleStatusTest, CollectOnlyListsEachTestsCommandsUnderIt) {
  ConsoleReporter console(out_, /*smart_terminal=*/false, 0, /*log_commands=*/false);
  TestDefinition a = Test("a.json");
  a.markers = {"cpu"};
  TestDefinition b = Test("b.json");
  console.CollectOnly({&a, &b}, [](const TestDefinition& test) {
    if (test.id == "b.json") return std::vector<ShownCommand>{{{}, "cannot show: why"}};
    return std::vector<ShownCommand>{{{"/s", {"iree-compile", "x"}}, "cached: /c"},
                                     {{"/s", {"iree-run-module"}}, ""}};
  });
  EXPECT_EQ(Text(),
            "a.json  [cpu]\n"
            "  $ cd /s && iree-compile x  # cached: /c\n"
            "  $ cd /s && iree-run-module\n"
            "b.json  []\n"
            "  # cannot show: why\n");
}

TEST_F(ConsoleStatusTest, JobProgressIsShownUnlessQuiet) {
  {
    ConsoleReporter quiet(out_, /*smart_terminal=*/false, /*verbosity=*/-1, false);
    quiet.OnJobProgress("downloading http://x/w", 1024, 0, 0);
    quiet.OnJobFinished("downloaded http://x/w (1.0 KiB)");
  }
  EXPECT_EQ(Text(), "");
  ConsoleReporter console(out_, /*smart_terminal=*/false, /*verbosity=*/0, false);
  console.OnJobProgress("downloading http://x/w", 1024, 0, 0);
  console.OnJobFinished("downloaded http://x/w (1.0 KiB)");
  EXPECT_EQ(Text(), "downloading http://x/w: 1.0 KiB, 0 B/s\ndownloaded http://x/w (1.0 KiB)\n");
}

}  // namespace
}  // namespace iree_suite
