#include "exec/tool_gate.h"

namespace iree_suite {

std::unique_lock<std::mutex> ToolGate::Device(const std::string& device) {
  if (device.empty()) return {};
  std::mutex* mutex = nullptr;
  {
    std::lock_guard<std::mutex> lock(devices_mutex_);
    auto& slot = devices_[device];
    if (!slot) slot = std::make_unique<std::mutex>();
    mutex = slot.get();
  }
  return std::unique_lock(*mutex);
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
