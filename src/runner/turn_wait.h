// The turns a test takes of the tool gate, with the time it waits for them
// measured: a test's reported duration is its own work, and each wait is a
// "wait" span of its own in the trace.
#pragma once

#include <chrono>
#include <string>

#include "base/trace_sink.h"
#include "exec/tool_gate.h"
#include "runner/plan.h"

namespace iree_suite {

struct Turns {
  ToolGate::Turn device;   // the GPU device's slot, if any
  ToolGate::Turn machine;  // shared or exclusive; declared last: released first
};

// Takes the turns a job with `exclusivity` on `gpu_device` ("" for none)
// holds, for the test `test_id` ("" for work that is no test's).
Turns AwaitTurn(ToolGate& gate, TraceSink* trace, const std::string& test_id,
                Exclusivity exclusivity, const std::string& gpu_device = "");

// Starts the count of what the test on this thread waits for: a test runs on
// one worker thread from start to end.
void StartCountingWaits();
// What the test on this thread has waited for since StartCountingWaits.
std::chrono::steady_clock::duration TimeWaited();

// Adds to what the test on this thread has waited for.
void CountWait(std::chrono::steady_clock::duration waited);

// Returns take(), counting the time it blocks as the test's waiting: a
// "wait" span named `what` in the trace, left out of the test's duration.
template <typename Take>
auto Awaited(TraceSink* trace, const std::string& what, const std::string& test_id, Take&& take) {
  // Drawn only when it lasts (TraceWriter::Render), which is known at its end.
  TraceSpan span(trace, "wait", what, test_id, "");
  const auto begin = std::chrono::steady_clock::now();
  auto turn = take();
  CountWait(std::chrono::steady_clock::now() - begin);
  return turn;
}

}  // namespace iree_suite
