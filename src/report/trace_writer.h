// A timeline of a run in Chrome's trace-event JSON, which chrome://tracing and
// ui.perfetto.dev open: one row per worker, one bar per fetch, parameter
// generation, compile, run or benchmark, so stalls and serialisation show.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace iree_suite {

// The calling thread's lane (its worker index); 0 until SetTraceLane. Worker
// threads set it once when they start so spans need not pass it around.
void SetTraceLane(int lane);
int TraceLane();

// Collects spans from any thread. Renders
// {"traceEvents": [...]} with "M" metadata events (process_name "iree-suite",
// thread_name "worker N" per lane used) and one complete ("X") event per span:
// {"name", "cat": kind, "ph": "X", "ts", "dur", "pid": 1, "tid": lane,
//  "args": {"test", "artifact"}}, times in microseconds since construction.
class TraceWriter {
 public:
  TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  // Starts a span. `kind` is "fetch", "generate-parameters", "compile", "run"
  // or "benchmark". Returns a token (never 0) for End.
  uint64_t Begin(std::string kind, std::string name, std::string test_id, std::string artifact,
                 int lane);
  // Ends the span; an unknown or already ended token is ignored.
  void End(uint64_t token);

  // The trace so far. A span still open is drawn up to now, with
  // "unfinished": true in its args, so an interrupted run still shows it.
  std::string Render() const;
  // Writes Render() to `path` atomically. Returns an error message, empty on success.
  std::string Write(const std::filesystem::path& path) const;

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

// Begins a span on construction and ends it on destruction. With a null
// `trace` it does nothing, so callers need not check whether tracing is on.
class TraceSpan {
 public:
  TraceSpan(TraceWriter* trace, std::string kind, std::string name, std::string test_id,
            std::string artifact, int lane = TraceLane());
  ~TraceSpan();
  TraceSpan(const TraceSpan&) = delete;
  TraceSpan& operator=(const TraceSpan&) = delete;

 private:
  TraceWriter* trace_;
  uint64_t token_ = 0;
};

}  // namespace iree_suite
