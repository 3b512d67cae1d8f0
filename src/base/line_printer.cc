#include "base/line_printer.h"

#include <fmt/format.h>
#include <unistd.h>

namespace iree_suite {

LinePrinter::LinePrinter(std::FILE* out) : LinePrinter(out, ::isatty(::fileno(out)) != 0) {}

LinePrinter::LinePrinter(std::FILE* out, bool smart_terminal)
    : out_(out), smart_terminal_(smart_terminal) {}

void LinePrinter::ClearStatus() {
  // The only place that erases a line: carriage return, then clear to its end.
  if (status_shown_) fmt::print(out_, "\r\033[K");
  status_shown_ = false;
}

void LinePrinter::PrintLineTo(std::FILE* stream, const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  ClearStatus();
  if (stream != out_) std::fflush(out_);  // the cleared line reaches the terminal first
  fmt::print(stream, "{}\n", text);
  if (stream != out_) std::fflush(stream);
  if (!status_.empty()) {
    fmt::print(out_, "{}", status_);
    status_shown_ = true;
  }
  std::fflush(out_);
}

void LinePrinter::PrintRaw(const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  fmt::print(out_, "{}", text);
  std::fflush(out_);
}

void LinePrinter::SetStatus(const std::string& text) {
  if (!smart_terminal_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (text == status_ && status_shown_ == !text.empty()) return;
  ClearStatus();
  status_ = text;
  if (!status_.empty()) {
    fmt::print(out_, "{}", status_);
    status_shown_ = true;
  }
  std::fflush(out_);
}

}  // namespace iree_suite
