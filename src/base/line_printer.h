// The one writer of the console stream (ninja's LinePrinter): full lines
// scroll; on a terminal one status line stays at the bottom and is rewritten
// in place. Everything a run prints goes through one LinePrinter, so lines
// from worker threads never tear and never land inside the status line.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>

namespace iree_suite {

class LinePrinter {
 public:
  explicit LinePrinter(std::FILE* out);  // a smart terminal when `out` is a tty
  LinePrinter(std::FILE* out, bool smart_terminal);
  LinePrinter(const LinePrinter&) = delete;
  LinePrinter& operator=(const LinePrinter&) = delete;

  bool smart_terminal() const { return smart_terminal_; }

  // Prints `text` and a newline above the status line (cleared, then drawn again).
  void PrintLine(const std::string& text) { PrintLineTo(out_, text); }
  // The same on `stream` (stderr for a diagnostic), which may share the
  // terminal: the status line is cleared first and drawn again after.
  void PrintLineTo(std::FILE* stream, const std::string& text);
  // Prints `text` as is (no newline, no status handling): pytest's progress dots.
  void PrintRaw(const std::string& text);
  // On a smart terminal, replaces the status line ("" removes it); elsewhere
  // nothing, a CI log gets no status line.
  void SetStatus(const std::string& text);

 private:
  void ClearStatus();  // the caller holds mutex_

  std::FILE* out_;
  const bool smart_terminal_;
  std::mutex mutex_;
  std::string status_;
  bool status_shown_ = false;
};

}  // namespace iree_suite
