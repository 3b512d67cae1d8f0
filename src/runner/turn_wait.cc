#include "runner/turn_wait.h"

namespace iree_suite {

namespace {

thread_local std::chrono::steady_clock::duration waited_on_this_thread{};

}  // namespace

void StartCountingWaits() { waited_on_this_thread = {}; }

std::chrono::steady_clock::duration TimeWaited() { return waited_on_this_thread; }

void CountWait(std::chrono::steady_clock::duration waited) { waited_on_this_thread += waited; }

Turns AwaitTurn(ToolGate& gate, TraceSink* trace, const std::string& test_id,
                Exclusivity exclusivity, const std::string& gpu_device) {
  if (exclusivity == Exclusivity::kExclusive) {
    return Awaited(trace, "benchmark turn", test_id, [&] { return Turns{{}, gate.Exclusive()}; });
  }
  return Awaited(trace, gpu_device.empty() ? "turn" : "device " + gpu_device, test_id, [&] {
    Turns turns;
    turns.device = gate.Device(gpu_device);
    turns.machine = gate.Shared();
    return turns;
  });
}

}  // namespace iree_suite
