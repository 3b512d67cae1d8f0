// Where timed spans of work go (fetches, compiles, runs), so that the layers
// doing the work record them without knowing who renders the timeline
// (report/trace_writer.h is the one that does).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace iree_suite {

// The calling thread's lane (its worker index); 0 until SetTraceLane. Worker
// threads set it once when they start so spans need not pass it around.
void SetTraceLane(int lane);
int TraceLane();

// Receives spans from any thread.
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  // Starts a span. `kind` is "fetch", "generate-parameters", "compile", "run"
  // or "benchmark". Returns a token (never 0) for End.
  virtual uint64_t Begin(std::string kind, std::string name, std::string test_id,
                         std::string artifact, int lane) = 0;
  // Ends the span; an unknown or already ended token is ignored.
  virtual void End(uint64_t token) = 0;
};

// Sends every span to two sinks, either of which may be null: the --trace
// timeline and the console's status line, which names what runs.
class TraceTee final : public TraceSink {
 public:
  TraceTee(TraceSink* first, TraceSink* second) : first_(first), second_(second) {}
  uint64_t Begin(std::string kind, std::string name, std::string test_id, std::string artifact,
                 int lane) override;
  void End(uint64_t token) override;

 private:
  TraceSink* const first_;
  TraceSink* const second_;
  std::mutex mutex_;
  std::vector<std::pair<uint64_t, uint64_t>> tokens_;  // the sinks' tokens; ours = index + 1
};

// Begins a span on construction and ends it on destruction. With a null
// `sink` it does nothing, so callers need not check whether tracing is on.
class TraceSpan {
 public:
  TraceSpan(TraceSink* sink, std::string kind, std::string name, std::string test_id,
            std::string artifact, int lane = TraceLane());
  ~TraceSpan();
  TraceSpan(const TraceSpan&) = delete;
  TraceSpan& operator=(const TraceSpan&) = delete;

 private:
  TraceSink* sink_;
  uint64_t token_ = 0;
};

}  // namespace iree_suite
