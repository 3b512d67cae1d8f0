// A timeline of a run in Chrome's trace-event JSON, which chrome://tracing and
// ui.perfetto.dev open: one row per worker, one bar per fetch, parameter
// generation, compile, run, benchmark or wait for a turn (waits under 1 ms
// are left out), so stalls and serialisation show.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/trace_sink.h"

namespace iree_suite {

// Collects spans from any thread (the TraceSink of --trace). Renders
// {"traceEvents": [...]} with "M" metadata events (process_name "iree-suite",
// thread_name "worker N" per lane used) and one complete ("X") event per span:
// {"name", "cat": kind, "ph": "X", "ts", "dur", "pid": 1, "tid": lane,
//  "args": {"test", "artifact"}}, times in microseconds since construction.
class TraceWriter final : public TraceSink {
 public:
  TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  uint64_t Begin(std::string kind, std::string name, std::string test_id, std::string artifact,
                 int lane) override;
  void End(uint64_t token) override;

  // The trace so far. A span still open is drawn up to now, with
  // "unfinished": true in its args, so an interrupted run still shows it.
  std::string Render() const;
  // Writes Render() to `path` atomically.
  [[nodiscard]] Status Write(const std::filesystem::path& path) const;

 private:
  struct Span {
    std::string kind, name, test_id, artifact;
    int lane = 0;
    int64_t begin_us = 0;
    std::optional<int64_t> end_us;
  };

  int64_t NowMicros() const;

  const std::chrono::steady_clock::time_point origin_;
  mutable std::mutex mutex_;
  std::vector<Span> spans_;  // token = index + 1
};

}  // namespace iree_suite
