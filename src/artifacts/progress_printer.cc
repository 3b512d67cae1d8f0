#include "artifacts/progress_printer.h"

#include <fmt/format.h>

#include "base/bytes.h"

namespace iree_suite {

ProgressPrinter::ProgressPrinter(LinePrinter* printer) : printer_(printer) {}

void ProgressPrinter::Update(const std::string& what, uint64_t done, uint64_t total,
                             double bytes_per_s) {
  const bool smart = printer_->smart_terminal();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto now = std::chrono::steady_clock::now();
    auto interval = smart ? std::chrono::milliseconds(200) : std::chrono::seconds(5);
    if (now - last_print_ < interval) return;
    last_print_ = now;
  }
  std::string line = fmt::format("{}: {}", what, FormatBytes(static_cast<double>(done)));
  if (total > 0) {
    line += fmt::format(" / {} ({:.0f}%)", FormatBytes(static_cast<double>(total)),
                        100.0 * static_cast<double>(done) / static_cast<double>(total));
  }
  line += fmt::format(", {}/s", FormatBytes(bytes_per_s));
  if (total > done && bytes_per_s > 0) {
    line += fmt::format(", ETA {:.0f} s", static_cast<double>(total - done) / bytes_per_s);
  }
  if (smart) {
    printer_->SetStatus(line);
  } else {
    printer_->PrintLine(line);
  }
}

void ProgressPrinter::Finish(const std::string& line) {
  printer_->SetStatus("");
  if (!line.empty()) printer_->PrintLine(line);
}

}  // namespace iree_suite
