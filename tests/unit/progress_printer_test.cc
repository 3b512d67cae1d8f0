#include "artifacts/progress_printer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "artifacts/parameters/parameter_store.h"

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
  ProgressPrinter printer(out.file(), /*is_tty=*/false);
  printer.Update("downloading http://x/w.irpa", 512 << 20, uint64_t{2} << 30, 128 << 20);
  printer.Update("downloading http://x/w.irpa", 640 << 20, uint64_t{2} << 30, 128 << 20);
  printer.Finish("downloaded http://x/w.irpa (2.0 GiB)");
  EXPECT_EQ(out.text(),
            "downloading http://x/w.irpa: 512.0 MiB / 2.0 GiB (25%), 128.0 MiB/s, ETA 12 s\n"
            "downloaded http://x/w.irpa (2.0 GiB)\n");  // the second update was too soon
}

TEST(ProgressPrinterTest, TerminalRewritesOneLineAndClearsIt) {
  Captured out;
  ProgressPrinter printer(out.file(), /*is_tty=*/true);
  printer.Update("generating random parameters for m", 1024, 0, 0);
  printer.Finish("");
  EXPECT_EQ(out.text(), "\r\033[Kgenerating random parameters for m: 1.0 KiB, 0 B/s\r\033[K");
}

TEST(ProgressPrinterTest, ArchiveProgressReportsThroughThePrinter) {
  Captured out;
  ProgressPrinter printer(out.file(), /*is_tty=*/false);
  auto report = ReportArchiveProgress(&printer, "generating random parameters for m");
  report(0, 4096);
  EXPECT_EQ(out.text(), "generating random parameters for m: 0 B / 4.0 KiB (0%), 0 B/s\n");
}

}  // namespace
}  // namespace iree_suite
