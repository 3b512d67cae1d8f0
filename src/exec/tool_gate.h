// Keeps benchmarks undisturbed: any number of ordinary jobs (compiles, quality
// runs, parameter generation, downloads) may run together, but a benchmark
// runs alone. Jobs on one GPU device also take turns, so two tests never
// share a device. With ShareAcrossProcesses, the same holds for every
// iree-suite process on this host that uses the same artifact directory
// (pytest-xdist workers, shards of one CI machine), through flock files.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "base/file_lock.h"

namespace iree_suite {

class ToolGate {
 public:
  // Held for the duration of one job; movable, empty when default-constructed.
  struct Turn {
    std::shared_lock<std::shared_mutex> shared;
    std::unique_lock<std::shared_mutex> exclusive;
    std::unique_lock<std::mutex> device;
    FileLock across_processes;  // declared last: released first
  };

  // Also coordinate with other processes through lock files in `lock_dir`
  // (created). Best effort: a lock that cannot be taken is skipped.
  void ShareAcrossProcesses(std::filesystem::path lock_dir);

  // Held for the duration of one ordinary job; waits while a benchmark runs.
  Turn Shared();
  // Held for the duration of one benchmark; waits until no other job runs.
  Turn Exclusive();
  // Held while a tool runs on `device` (e.g. "hip", "cuda://0"); empty for the CPU.
  Turn Device(const std::string& device);

 private:
  void LockFile(const std::string& name, bool shared, FileLock* lock) const;

  std::shared_mutex machine_;
  std::mutex devices_mutex_;
  std::map<std::string, std::unique_ptr<std::mutex>> devices_;
  std::optional<std::filesystem::path> lock_dir_;
};

// The GPU device a test's run_args select with --device=..., or "" when it
// runs on the CPU (local-sync, local-task) or names no device.
std::string GpuDeviceOf(const std::vector<std::string>& run_args);

}  // namespace iree_suite
