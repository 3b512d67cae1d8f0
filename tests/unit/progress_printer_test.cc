#include "artifacts/progress_printer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "artifacts/parameters/parameter_store.h"
#include "base/line_printer.h"
#include "exec/run_events.h"
#include "exec/subprocess.h"

namespace iree_suite {
namespace {

// What a printer wrote into an in-memory stream.
class Captured {
 public:
  Captured() : file_(open_memstream(&buffer_, &size_)) {}
  ~Captured() {
    std::fclose(file_);
    std::free(buffer_);
  }
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    return std::string(buffer_, size_);
  }

 private:
  char* buffer_ = nullptr;
  size_t size_ = 0;
  std::FILE* file_;
};

TEST(ProgressPrinterTest, LogLinesShowBytesRateAndEtaAtMostEveryFewSeconds) {
  Captured out;
  LinePrinter lines(out.file(), /*smart_terminal=*/false);
  ProgressPrinter printer(&lines);
  printer.Update("downloading http://x/w.irpa", 512 << 20, uint64_t{2} << 30, 128 << 20);
  printer.Update("downloading http://x/w.irpa", 640 << 20, uint64_t{2} << 30, 128 << 20);
  printer.Finish("downloaded http://x/w.irpa (2.0 GiB)");
  EXPECT_EQ(out.text(),
            "downloading http://x/w.irpa: 512.0 MiB / 2.0 GiB (25%), 128.0 MiB/s, ETA 12 s\n"
            "downloaded http://x/w.irpa (2.0 GiB)\n");  // the second update was too soon
}

TEST(ProgressPrinterTest, TerminalRewritesOneLineAndClearsIt) {
  Captured out;
  LinePrinter lines(out.file(), /*smart_terminal=*/true);
  ProgressPrinter printer(&lines);
  printer.Update("generating random parameters for m", 1024, 0, 0);
  printer.Finish("");
  EXPECT_EQ(out.text(), "generating random parameters for m: 1.0 KiB, 0 B/s\r\033[K");
}

// What a job reported, as the console would receive it.
class RecordedEvents : public RunEvents {
 public:
  void OnCommandStarted(const ProcessSpec& spec) override { commands.push_back(spec.argv); }
  void OnJobProgress(const std::string& what, uint64_t done, uint64_t total, double) override {
    progress.push_back(what + ": " + std::to_string(done) + "/" + std::to_string(total));
  }
  void OnJobFinished(const std::string& line) override { finished.push_back(line); }
  void OnNotice(const std::string& line) override { notices.push_back(line); }
  std::vector<std::vector<std::string>> commands;
  std::vector<std::string> notices;
  std::vector<std::string> progress;
  std::vector<std::string> finished;
};

TEST(ProgressPrinterTest, ArchiveProgressIsAnEvent) {
  RecordedEvents events;
  auto report = ReportArchiveProgress(&events, "generating random parameters for m");
  report(0, 4096);
  EXPECT_EQ(events.progress,
            std::vector<std::string>{"generating random parameters for m: 0/4096"});
}

TEST(ProgressPrinterTest, RunProcessTellsItsEventsBeforeStarting) {
  RecordedEvents events;
  ProcessSpec spec{{"/bin/true", "x"}, "/", "/dev/null", {}, std::nullopt};
  EXPECT_TRUE(RunProcess(spec, &events).Succeeded());
  EXPECT_TRUE(RunProcess(spec).Succeeded());  // no events: silent
  EXPECT_EQ(events.commands, (std::vector<std::vector<std::string>>{{"/bin/true", "x"}}));
}

TEST(LinePrinterTest, LinesScrollAboveTheStatusLine) {
  Captured out;
  LinePrinter lines(out.file(), /*smart_terminal=*/true);
  lines.PrintLine("a");
  lines.SetStatus("[0/2 done]");
  lines.SetStatus("[0/2 done]");  // unchanged: not drawn again
  lines.PrintLine("b");
  lines.SetStatus("[1/2 done]");
  lines.SetStatus("");
  lines.PrintLine("c");
  EXPECT_EQ(out.text(), "a\n[0/2 done]\r\033[Kb\n[0/2 done]\r\033[K[1/2 done]\r\033[Kc\n");
}

TEST(LinePrinterTest, ACiLogGetsNoStatusLine) {
  Captured out;
  LinePrinter lines(out.file(), /*smart_terminal=*/false);
  lines.SetStatus("[0/2 done]");
  lines.PrintLine("a");
  lines.PrintRaw(".");
  EXPECT_EQ(out.text(), "a\n.");
}

// A diagnostic on another stream that shares the terminal: the status line is cleared before
// it and drawn again after, so the two never end up on one line.
TEST(LinePrinterTest, ALineOnAnotherStreamClearsAndRedrawsTheStatus) {
  Captured out;
  Captured diagnostics;
  LinePrinter lines(out.file(), /*smart_terminal=*/true);
  lines.SetStatus("[0/2 done]");
  lines.PrintLineTo(diagnostics.file(), "iree-suite: cached module m is damaged");
  EXPECT_EQ(out.text(), "[0/2 done]\r\033[K[0/2 done]");
  EXPECT_EQ(diagnostics.text(), "iree-suite: cached module m is damaged\n");
}

TEST(NotifyTest, ANoticeGoesToTheListener) {
  RecordedEvents events;
  Notify(&events, "iree-suite: compile worker 7 retired after 1 compiles");
  EXPECT_EQ(events.notices,
            (std::vector<std::string>{"iree-suite: compile worker 7 retired after 1 compiles"}));
  testing::internal::CaptureStderr();
  Notify(nullptr, "nobody listens");
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "nobody listens\n");
}

}  // namespace
}  // namespace iree_suite
