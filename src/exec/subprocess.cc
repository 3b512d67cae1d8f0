#include "exec/subprocess.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

extern char** environ;

namespace iree_suite {
namespace {

volatile sig_atomic_t g_interrupt_signal = 0;
std::function<void(const ProcessSpec&)> g_start_observer;

void RecordInterrupt(int signal_number) { g_interrupt_signal = signal_number; }

}  // namespace

void InstallInterruptHandlers() {
  struct sigaction action = {};
  action.sa_handler = RecordInterrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int InterruptSignal() { return g_interrupt_signal; }

void SetProcessStartObserver(std::function<void(const ProcessSpec&)> observer) {
  g_start_observer = std::move(observer);
}

std::string ProcessResult::Describe() const {
  if (!spawn_error.empty()) return spawn_error;
  if (interrupted) return fmt::format("interrupted by signal {}", InterruptSignal());
  if (timed_out) return fmt::format("timed out after {:.1f} s (process group killed)", elapsed_s);
  if (term_signal != 0) {
    return fmt::format("killed by signal {} ({})", term_signal, strsignal(term_signal));
  }
  return fmt::format("exit status {}", exit_code);
}

void NotifyProcessStart(const ProcessSpec& spec) {
  if (g_start_observer) g_start_observer(spec);
}

ProcessResult RunProcess(const ProcessSpec& spec) {
  ProcessResult result;
  if (g_interrupt_signal != 0) {  // a job that waited for its turn must not start now
    result.interrupted = true;
    return result;
  }
  if (g_start_observer) g_start_observer(spec);
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, spec.stdout_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (spec.stderr_path.empty()) {
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, spec.stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  if (!spec.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, spec.cwd.c_str());

  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Own process group, so a timeout or Ctrl-C can stop the tool and its children.
  posix_spawnattr_setpgroup(&attributes, 0);
  sigset_t default_signals;
  sigemptyset(&default_signals);
  sigaddset(&default_signals, SIGINT);
  sigaddset(&default_signals, SIGTERM);
  sigaddset(&default_signals, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &default_signals);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> argv;
  for (const std::string& arg : spec.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);

  pid_t pid = 0;
  int status = posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (status != 0) {
    result.spawn_error =
        fmt::format("cannot start {}: {}", spec.argv.empty() ? "" : spec.argv[0], strerror(status));
    return result;
  }

  int wait_status = 0;
  auto poll_interval = std::chrono::milliseconds(1);
  while (true) {
    // Poll rather than block, so timeouts and Ctrl-C are noticed promptly.
    pid_t done = waitpid(pid, &wait_status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      result.spawn_error = fmt::format("waitpid failed: {}", strerror(errno));
      return result;
    }
    if (spec.timeout_s && elapsed() > *spec.timeout_s && !result.timed_out) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
    }
    if (g_interrupt_signal != 0 && !result.interrupted) {
      result.interrupted = true;
      kill(-pid, SIGKILL);
    }
    if (done == 0) {
      std::this_thread::sleep_for(poll_interval);
      poll_interval = std::min(poll_interval * 2, std::chrono::milliseconds(50));
    }
  }
  result.elapsed_s = elapsed();
  if (WIFEXITED(wait_status)) result.exit_code = WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) result.term_signal = WTERMSIG(wait_status);
  return result;
}

std::string TailOfFile(const std::filesystem::path& path, size_t max_lines, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return {};
  std::streamoff size = in.tellg();
  std::streamoff start = std::max<std::streamoff>(0, size - static_cast<std::streamoff>(max_bytes));
  in.seekg(start);
  std::string text(static_cast<size_t>(size - start), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  size_t lines = 0;
  size_t pos = text.size();
  while (pos > 0) {
    size_t newline = text.rfind('\n', pos - 1);
    if (newline == std::string::npos) break;
    if (++lines == max_lines) return text.substr(newline + 1);
    pos = newline;
  }
  return text;
}

}  // namespace iree_suite
