#include "results/run_context.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <thread>

#include "base/atomic_file.h"
#include "base/strings.h"
#include "exec/host_name.h"
#include "exec/iree_tools.h"
#include "exec/subprocess.h"

namespace iree_suite {

std::string FormatIso8601Utc(std::chrono::system_clock::time_point time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string ReadCpuModel(const std::filesystem::path& cpuinfo) {
  std::ifstream in(cpuinfo);
  std::string line;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    if (Trim(line.substr(0, colon)) == "model name") return Trim(line.substr(colon + 1));
  }
  return "";
}

std::optional<std::string> GitHeadCommit(const std::filesystem::path& dir) {
  ToolSearch search;
  if (const char* path = getenv("PATH")) search.path_env = path;
  Result<std::filesystem::path> git = FindTool("git", search);
  if (!git) return std::nullopt;
  std::filesystem::path output =
      TempPathFor(std::filesystem::temp_directory_path() / "iree-suite-git-head");
  ProcessSpec spec;
  spec.argv = {git->string(), "-C", dir.string(), "rev-parse", "HEAD"};
  spec.cwd = std::filesystem::current_path();
  spec.stdout_path = output;
  spec.stderr_path = "/dev/null";  // "not a git repository" is an answer, not noise
  spec.timeout_s = 30;
  ProcessResult result = RunProcess(spec);
  Result<std::string> read = result.Succeeded() ? ReadSmallFile(output) : Error{};
  std::error_code ignored;
  std::filesystem::remove(output, ignored);
  if (!read) return std::nullopt;
  std::string text = Trim(*read);
  // A hex object name, nothing else (e.g. not "HEAD" in a repository without commits).
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      })) {
    return std::nullopt;
  }
  return text;
}

RunContext CollectRunContext(const std::filesystem::path& test_file_directory,
                             std::vector<ToolInfo> tools,
                             const std::map<std::string, ModuleDefinition>& modules,
                             std::chrono::system_clock::time_point start_time) {
  RunContext context;
  context.iree_suite_version = IREE_SUITE_VERSION;
  context.tools = std::move(tools);
  for (const auto& [name, module] : modules) {
    context.modules[name] = {module.mlir, module.compiler_flags};
  }
  context.host_name = HostName();
  context.cpu_model = ReadCpuModel();
  context.core_count = std::thread::hardware_concurrency();
  double load[3];
  if (getloadavg(load, 3) == 3)
    context.load_average = std::array<double, 3>{load[0], load[1], load[2]};
  context.start_time = FormatIso8601Utc(start_time);
  context.suite_git_commit = GitHeadCommit(test_file_directory);
  return context;
}

}  // namespace iree_suite
