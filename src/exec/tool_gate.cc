#include "exec/tool_gate.h"

#include <cctype>

namespace iree_suite {

void ToolGate::ShareAcrossProcesses(std::filesystem::path lock_dir) {
  std::error_code ec;
  std::filesystem::create_directories(lock_dir, ec);
  if (!ec) lock_dir_ = std::move(lock_dir);
}

void ToolGate::LockFile(const std::string& name, bool shared, FileLock* lock) const {
  if (!lock_dir_) return;
  // In-process turns are taken first, so a thread never waits on a lock file
  // that a sibling thread of its own process holds.
  (void)lock->Acquire(*lock_dir_ / name, shared);
}

ToolGate::Turn ToolGate::Shared() {
  Turn turn;
  turn.shared = std::shared_lock(machine_);
  LockFile("machine.lock", /*shared=*/true, &turn.across_processes);
  return turn;
}

ToolGate::Turn ToolGate::Exclusive() {
  Turn turn;
  turn.exclusive = std::unique_lock(machine_);
  LockFile("machine.lock", /*shared=*/false, &turn.across_processes);
  return turn;
}

ToolGate::Turn ToolGate::Device(const std::string& device) {
  Turn turn;
  if (device.empty()) return turn;
  std::mutex* mutex = nullptr;
  {
    std::lock_guard<std::mutex> lock(devices_mutex_);
    auto& slot = devices_[device];
    if (!slot) slot = std::make_unique<std::mutex>();
    mutex = slot.get();
  }
  turn.device = std::unique_lock(*mutex);
  std::string name = "device-";
  for (char c : device) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  LockFile(name + ".lock", /*shared=*/false, &turn.across_processes);
  return turn;
}

std::string GpuDeviceOf(const std::vector<std::string>& run_args) {
  std::string device;
  for (const std::string& arg : run_args) {
    if (arg.rfind("--device=", 0) == 0) device = arg.substr(9);  // the last one wins
  }
  if (device.empty() || device.rfind("local", 0) == 0) return "";
  return device;
}

}  // namespace iree_suite
