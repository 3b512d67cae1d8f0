// Console progress of long jobs that produce bytes: downloads and generated
// parameter archives report alike. On a terminal it is the status line,
// rewritten in place with bytes, rate and ETA; in a CI log one line every few
// seconds at most. Thread-safe, so that parallel jobs can share one printer.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "base/line_printer.h"

namespace iree_suite {

class ProgressPrinter {
 public:
  // Prints through `printer` (a status line when it is a smart terminal).
  explicit ProgressPrinter(LinePrinter* printer);

  // "<what>: <done> / <total> (<percent>%), <rate>/s, ETA <s> s", throttled to
  // one line every 200 ms on a terminal and every 5 s otherwise. `total` 0:
  // unknown, shown without percentage and ETA.
  void Update(const std::string& what, uint64_t done, uint64_t total, double bytes_per_s);
  // Ends the job: clears the status line, then prints `line` when not empty.
  void Finish(const std::string& line);

 private:
  LinePrinter* printer_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_print_{};
};

}  // namespace iree_suite
