// Where and with what a run happened: the "context" of results.json.
#pragma once

#include <array>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "suite/test_definition.h"

namespace iree_suite {

// An IREE tool a run used: what the console header prints and results.json
// records (name, path, version).
struct ToolInfo {
  std::string name;
  std::filesystem::path path;
  std::string version;
  // The real binary run in place of `path` when that is a pip console script;
  // empty otherwise. Shown in the console header, not kept in results.json.
  std::filesystem::path executable;
};

struct ModuleInfo {
  std::string mlir;
  std::vector<std::string> compiler_flags;
};

struct RunContext {
  std::string iree_suite_version;
  std::vector<ToolInfo> tools;
  std::map<std::string, ModuleInfo> modules;  // by module name
  std::string host_name;
  std::string cpu_model;  // empty when unknown
  unsigned core_count = 0;
  std::optional<std::array<double, 3>> load_average;
  std::string start_time;  // ISO 8601 UTC, e.g. "2025-01-31T12:00:00Z"
  std::optional<std::string> suite_git_commit;
  // Rendered only when set (run_id non-empty).
  std::string run_id;
  std::string marker_expression;
  std::optional<std::array<size_t, 2>> shard;  // index, count
  std::map<std::string, std::string> ci;       // CI variables of the run's environment
};

// Fills a RunContext from this host: host name, /proc/cpuinfo, core count,
// getloadavg(), `git -C <test_file_directory> rev-parse HEAD`, and the build's
// version. `modules` contributes each module's MLIR and compiler flags.
RunContext CollectRunContext(const std::filesystem::path& test_file_directory,
                             std::vector<ToolInfo> tools,
                             const std::map<std::string, ModuleDefinition>& modules,
                             std::chrono::system_clock::time_point start_time);

// "2025-01-31T12:00:00Z".
std::string FormatIso8601Utc(std::chrono::system_clock::time_point time);
// The first "model name" of a /proc/cpuinfo-formatted file, or "".
std::string ReadCpuModel(const std::filesystem::path& cpuinfo = "/proc/cpuinfo");
// HEAD of the git checkout holding `dir`, or nullopt (not a repository, no git).
std::optional<std::string> GitHeadCommit(const std::filesystem::path& dir);

}  // namespace iree_suite
