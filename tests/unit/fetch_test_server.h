// Starts tests/fetch_server/http_server.py on 127.0.0.1 for one test and
// stops it afterwards; reads its JSON-lines request log.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

extern char** environ;

namespace iree_suite {

class FetchTestServer {
 public:
  // Empty when python3 is not on PATH (the caller skips the test).
  static std::string FindPython() {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "";
    size_t start = 0;
    while (start <= dirs.size()) {
      size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      std::filesystem::path candidate =
          std::filesystem::path(dirs.substr(start, end - start)) / "python3";
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
      start = end + 1;
    }
    return {};
  }

  // Returns an error message, empty on success.
  std::string Start(const std::filesystem::path& root, const std::filesystem::path& dir) {
    log_ = dir / "server.log";
    faults_ = dir / "faults.json";
    std::string python = FindPython();
    std::string script = std::string(IREE_SUITE_SOURCE_DIR) + "/tests/fetch_server/http_server.py";
    std::vector<std::string> args = {python,           script,        "--root",   root.string(),
                                     "--log",          log_.string(), "--faults", faults_.string(),
                                     "--idle-timeout", "60"};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) return "pipe failed";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    int rc = posix_spawn(&pid_, python.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (rc != 0) {
      ::close(pipe_fds[0]);
      pid_ = -1;
      return "cannot start python3";
    }
    std::string line;
    char c;
    while (::read(pipe_fds[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(pipe_fds[0]);
    if (line.empty()) return "the server printed no port";
    port_ = std::stoi(line);
    return {};
  }

  ~FetchTestServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/" + path;
  }

  void SetFaults(const nlohmann::json& faults) const { std::ofstream(faults_) << faults.dump(); }

  // Every logged request, oldest first. The server logs a request after
  // answering it, so wait until the log has been quiet for a moment.
  std::vector<nlohmann::json> Requests() const {
    std::error_code ec;
    uintmax_t size = std::filesystem::file_size(log_, ec);
    for (int i = 0; i < 40; ++i) {
      ::usleep(100 * 1000);
      uintmax_t now = std::filesystem::file_size(log_, ec);
      if (now == size) break;
      size = now;
    }
    std::vector<nlohmann::json> requests;
    std::ifstream in(log_);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) requests.push_back(nlohmann::json::parse(line));
    }
    return requests;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::filesystem::path log_;
  std::filesystem::path faults_;
};

}  // namespace iree_suite
