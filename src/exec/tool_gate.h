// Keeps benchmarks undisturbed: any number of ordinary jobs (compiles, quality
// runs, parameter generation) may run together, but a benchmark runs alone.
// Jobs on one GPU device also take turns, so two tests never share a device.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

namespace iree_suite {

class ToolGate {
 public:
  // Held for the duration of one ordinary job; waits while a benchmark runs.
  std::shared_lock<std::shared_mutex> Shared() { return std::shared_lock(machine_); }
  // Held for the duration of one benchmark; waits until no other job runs.
  std::unique_lock<std::shared_mutex> Exclusive() { return std::unique_lock(machine_); }
  // Held while a tool runs on `device` (e.g. "hip", "cuda://0"); empty for the CPU.
  std::unique_lock<std::mutex> Device(const std::string& device);

 private:
  std::shared_mutex machine_;
  std::mutex devices_mutex_;
  std::map<std::string, std::unique_ptr<std::mutex>> devices_;
};

// The GPU device a test's run_args select with --device=..., or "" when it
// runs on the CPU (local-sync, local-task) or names no device.
std::string GpuDeviceOf(const std::vector<std::string>& run_args);

}  // namespace iree_suite
