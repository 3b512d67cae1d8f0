#include "artifacts/fetch/fetch_progress.h"

#include <fmt/format.h>
#include <unistd.h>

namespace iree_suite {

std::string FormatBytes(double bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{:.0f} B", bytes) : fmt::format("{:.1f} {}", bytes, kUnits[unit]);
}

ConsoleFetchProgress::ConsoleFetchProgress(std::FILE* out)
    : ConsoleFetchProgress(out, ::isatty(::fileno(out)) != 0) {}

ConsoleFetchProgress::ConsoleFetchProgress(std::FILE* out, bool is_tty)
    : out_(out), is_tty_(is_tty) {}

void ConsoleFetchProgress::OnProgress(const FetchProgressUpdate& update) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  auto interval = is_tty_ ? std::chrono::milliseconds(200) : std::chrono::seconds(5);
  if (now - last_print_ < interval) return;
  last_print_ = now;
  std::string line = fmt::format("downloading {}: {}", *update.url, FormatBytes(update.bytes_done));
  if (update.bytes_total > 0) {
    line += fmt::format(" / {} ({:.0f}%)", FormatBytes(update.bytes_total),
                        100.0 * update.bytes_done / update.bytes_total);
  }
  line += fmt::format(", {}/s", FormatBytes(update.bytes_per_s));
  if (update.bytes_total > update.bytes_done && update.bytes_per_s > 0) {
    line += fmt::format(", ETA {:.0f} s",
                        (update.bytes_total - update.bytes_done) / update.bytes_per_s);
  }
  if (is_tty_) {
    fmt::print(out_, "\r\033[K{}", line);  // rewrite the same line
    line_open_ = true;
  } else {
    fmt::print(out_, "{}\n", line);
  }
  std::fflush(out_);
}

void ConsoleFetchProgress::OnFinished(const std::string& url, bool ok, uint64_t bytes_done) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (line_open_) fmt::print(out_, "\r\033[K");
  line_open_ = false;
  if (ok)
    fmt::print(out_, "downloaded {} ({})\n", url, FormatBytes(static_cast<double>(bytes_done)));
  std::fflush(out_);
}

}  // namespace iree_suite
