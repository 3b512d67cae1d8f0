#include "artifacts/progress_printer.h"

#include <fmt/format.h>
#include <unistd.h>

#include "base/bytes.h"

namespace iree_suite {

ProgressPrinter::ProgressPrinter(std::FILE* out)
    : ProgressPrinter(out, ::isatty(::fileno(out)) != 0) {}

ProgressPrinter::ProgressPrinter(std::FILE* out, bool is_tty) : out_(out), is_tty_(is_tty) {}

void ProgressPrinter::Update(const std::string& what, uint64_t done, uint64_t total,
                             double bytes_per_s) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  auto interval = is_tty_ ? std::chrono::milliseconds(200) : std::chrono::seconds(5);
  if (now - last_print_ < interval) return;
  last_print_ = now;
  std::string line = fmt::format("{}: {}", what, FormatBytes(static_cast<double>(done)));
  if (total > 0) {
    line += fmt::format(" / {} ({:.0f}%)", FormatBytes(static_cast<double>(total)),
                        100.0 * static_cast<double>(done) / static_cast<double>(total));
  }
  line += fmt::format(", {}/s", FormatBytes(bytes_per_s));
  if (total > done && bytes_per_s > 0) {
    line += fmt::format(", ETA {:.0f} s", static_cast<double>(total - done) / bytes_per_s);
  }
  if (is_tty_) {
    fmt::print(out_, "\r\033[K{}", line);  // rewrite the same line
    line_open_ = true;
  } else {
    fmt::print(out_, "{}\n", line);
  }
  std::fflush(out_);
}

void ProgressPrinter::Finish(const std::string& line) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (line_open_) fmt::print(out_, "\r\033[K");
  line_open_ = false;
  if (!line.empty()) fmt::print(out_, "{}\n", line);
  std::fflush(out_);
}

}  // namespace iree_suite
