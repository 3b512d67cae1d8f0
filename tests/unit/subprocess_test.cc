#include "exec/subprocess.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "test_helpers.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

// /bin/sh is only the program under test here: RunProcess never uses a shell itself.
class SubprocessTest : public testing::Test {
 protected:
  // Runs `script` with sh -c; stdout to out.log, stderr to err.log (or merged).
  ProcessResult RunShell(const std::string& script, bool merge_stderr = false,
                         std::optional<double> timeout_s = std::nullopt) {
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", script};
    spec.cwd = dir_;
    spec.stdout_path = dir_ / "out.log";
    if (!merge_stderr) spec.stderr_path = dir_ / "err.log";
    spec.timeout_s = timeout_s;
    return RunProcess(spec);
  }

  static std::string Read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }
  static void Write(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }

  testing_helpers::TempDir temp_{"subprocess_test"};
  const fs::path dir_ = temp_.path();
};

TEST_F(SubprocessTest, CapturesExitCodeAndSeparateStreams) {
  ProcessResult result = RunShell("echo out; echo err >&2; exit 3");
  EXPECT_EQ(result.spawn_error, "");
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.term_signal, 0);
  EXPECT_FALSE(result.timed_out);
  EXPECT_FALSE(result.Succeeded());
  EXPECT_EQ(result.Describe(), "exit status 3");
  EXPECT_EQ(Read(dir_ / "out.log"), "out\n");
  EXPECT_EQ(Read(dir_ / "err.log"), "err\n");
}

TEST_F(SubprocessTest, Success) {
  ProcessResult result = RunShell("exit 0");
  EXPECT_TRUE(result.Succeeded());
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.Describe(), "exit status 0");
  EXPECT_GE(result.elapsed_s, 0.0);
}

TEST_F(SubprocessTest, MergesStderrIntoStdoutWhenNoStderrPath) {
  ProcessResult result = RunShell("echo one; echo two >&2; echo three", /*merge_stderr=*/true);
  EXPECT_TRUE(result.Succeeded()) << result.Describe();
  EXPECT_EQ(Read(dir_ / "out.log"), "one\ntwo\nthree\n");
  EXPECT_FALSE(fs::exists(dir_ / "err.log"));
}

TEST_F(SubprocessTest, TruncatesExistingLogs) {
  Write(dir_ / "out.log", "old output that is much longer than the new one\n");
  Write(dir_ / "err.log", "old errors\n");
  ProcessResult result = RunShell("echo new");
  EXPECT_TRUE(result.Succeeded()) << result.Describe();
  EXPECT_EQ(Read(dir_ / "out.log"), "new\n");
  EXPECT_EQ(Read(dir_ / "err.log"), "");
}

TEST_F(SubprocessTest, HonoursWorkingDirectory) {
  fs::create_directories(dir_ / "work");
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "pwd -P; cat input.txt"};
  spec.cwd = dir_ / "work";
  spec.stdout_path = dir_ / "out.log";
  Write(dir_ / "work" / "input.txt", "relative file\n");
  ProcessResult result = RunProcess(spec);
  EXPECT_TRUE(result.Succeeded()) << result.Describe();
  EXPECT_EQ(Read(dir_ / "out.log"), fs::canonical(dir_ / "work").string() + "\nrelative file\n");
}

TEST_F(SubprocessTest, PassesArgumentsWithoutAShell) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "printf '%s|' \"$@\"", "sh", "a b", "$HOME", "*", "it's"};
  spec.cwd = dir_;
  spec.stdout_path = dir_ / "out.log";
  ProcessResult result = RunProcess(spec);
  EXPECT_TRUE(result.Succeeded()) << result.Describe();
  EXPECT_EQ(Read(dir_ / "out.log"), "a b|$HOME|*|it's|");
}

TEST_F(SubprocessTest, StdinIsDevNull) {
  auto start = std::chrono::steady_clock::now();
  ProcessResult result = RunShell("cat; echo done", false, /*timeout_s=*/10.0);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(result.Succeeded()) << result.Describe();
  EXPECT_FALSE(result.timed_out);
  EXPECT_LT(seconds, 5.0);
  EXPECT_EQ(Read(dir_ / "out.log"), "done\n");
}

TEST_F(SubprocessTest, KilledBySignal) {
  ProcessResult result = RunShell("kill -SEGV $$");
  EXPECT_EQ(result.spawn_error, "");
  EXPECT_EQ(result.term_signal, 11);
  EXPECT_FALSE(result.timed_out);
  EXPECT_FALSE(result.Succeeded());
  EXPECT_EQ(result.Describe(), "killed by signal 11 (Segmentation fault)");
}

TEST_F(SubprocessTest, TimeoutKillsTheProcess) {
  ProcessResult result = RunShell("sleep 5", false, /*timeout_s=*/0.3);
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.term_signal, 9);
  EXPECT_FALSE(result.Succeeded());
  EXPECT_GE(result.elapsed_s, 0.3);
  EXPECT_LT(result.elapsed_s, 2.0);
  std::string description = result.Describe();
  EXPECT_EQ(description.rfind("timed out after ", 0), 0u) << description;
  EXPECT_NE(description.find(" s (process group killed)"), std::string::npos) << description;
}

// True once `pid` no longer runs (gone, or a zombie awaiting its new parent).
bool ProcessEnded(const std::string& pid) {
  std::ifstream stat("/proc/" + pid + "/stat");
  if (!stat) return true;
  std::string line;
  std::getline(stat, line);
  size_t paren = line.rfind(')');
  return paren != std::string::npos && line.size() > paren + 2 && line[paren + 2] == 'Z';
}

TEST_F(SubprocessTest, TimeoutKillsTheWholeProcessGroup) {
  ProcessResult result = RunShell("sleep 30 & echo $! > grandchild.pid; wait", false, 0.5);
  EXPECT_TRUE(result.timed_out);
  EXPECT_LT(result.elapsed_s, 2.0);
  std::string pid = Read(dir_ / "grandchild.pid");
  while (!pid.empty() && pid.back() == '\n') pid.pop_back();
  ASSERT_FALSE(pid.empty());
  bool ended = false;
  for (int i = 0; i < 100 && !ended; ++i) {
    ended = ProcessEnded(pid);
    if (!ended) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(ended) << "grandchild sleep " << pid << " still runs";
}

TEST_F(SubprocessTest, NonExistentExecutable) {
  ProcessSpec spec;
  spec.argv = {(dir_ / "no-such-tool").string(), "--version"};
  spec.cwd = dir_;
  spec.stdout_path = dir_ / "out.log";
  ProcessResult result = RunProcess(spec);
  EXPECT_EQ(result.spawn_error,
            "cannot start " + (dir_ / "no-such-tool").string() + ": No such file or directory");
  EXPECT_FALSE(result.Succeeded());
  EXPECT_EQ(result.Describe(), result.spawn_error);
}

TEST_F(SubprocessTest, ExecutableIsNotSearchedOnPath) {
  ProcessSpec spec;
  spec.argv = {"sh", "-c", "exit 0"};
  spec.cwd = dir_;
  spec.stdout_path = dir_ / "out.log";
  ProcessResult result = RunProcess(spec);
  EXPECT_EQ(result.spawn_error, "cannot start sh: No such file or directory");
}

TEST_F(SubprocessTest, TailOfFileLastLines) {
  std::string text;
  for (int i = 1; i <= 50; ++i) text += std::to_string(i) + "\n";
  Write(dir_ / "log", text);
  EXPECT_EQ(TailOfFile(dir_ / "log", 3), "48\n49\n50");
  EXPECT_EQ(TailOfFile(dir_ / "log", 1), "50");
  std::string last_30;  // the default: lines 21..50, without the final newline
  for (int i = 21; i <= 50; ++i) last_30 += std::to_string(i) + (i < 50 ? "\n" : "");
  EXPECT_EQ(TailOfFile(dir_ / "log"), last_30);
}

TEST_F(SubprocessTest, TailOfFileWithoutTrailingNewline) {
  Write(dir_ / "log", "a\nb\nc\nd");
  EXPECT_EQ(TailOfFile(dir_ / "log", 2), "c\nd");
}

TEST_F(SubprocessTest, TailOfFileIgnoresTrailingBlankLines) {
  Write(dir_ / "log", "a\nb\nc\n\n\r\n\n");
  EXPECT_EQ(TailOfFile(dir_ / "log", 2), "b\nc");
}

TEST_F(SubprocessTest, TailOfFileShorterThanLimit) {
  Write(dir_ / "log", "only\ntwo\n");
  EXPECT_EQ(TailOfFile(dir_ / "log", 30), "only\ntwo");
  Write(dir_ / "empty", "");
  EXPECT_EQ(TailOfFile(dir_ / "empty", 30), "");
}

TEST_F(SubprocessTest, TailOfFileRespectsMaxBytes) {
  Write(dir_ / "log", std::string(100, 'a') + "\n" + std::string(100, 'b') + "\ncccc\n");
  std::string tail = TailOfFile(dir_ / "log", 30, 50);
  EXPECT_LE(tail.size(), 50u);
  EXPECT_EQ(tail.substr(tail.size() - 5), "\ncccc");
  EXPECT_EQ(tail.find('a'), std::string::npos);
}

TEST_F(SubprocessTest, TailOfMissingFileIsEmpty) { EXPECT_EQ(TailOfFile(dir_ / "absent.log"), ""); }

TEST(InterruptHandlersTest, RestoresThePreviousHandlersWhenDestroyed) {
  struct sigaction before = {};
  sigaction(SIGINT, nullptr, &before);
  {
    InterruptHandlers handlers;
    struct sigaction during = {};
    sigaction(SIGINT, nullptr, &during);
    EXPECT_NE(during.sa_handler, before.sa_handler);
    sigaction(SIGTERM, nullptr, &during);
    EXPECT_NE(during.sa_handler, SIG_DFL);
  }
  struct sigaction after = {};
  sigaction(SIGINT, nullptr, &after);
  EXPECT_EQ(after.sa_handler, before.sa_handler);
  sigaction(SIGTERM, nullptr, &after);
  EXPECT_EQ(after.sa_handler, SIG_DFL);
}

}  // namespace
}  // namespace iree_suite
