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

#include "base/result.h"
#include "exec/run_events.h"

extern char** environ;

namespace iree_suite {
namespace {

volatile sig_atomic_t g_interrupt_signal = 0;

void RecordInterrupt(int signal_number) { g_interrupt_signal = signal_number; }

// posix_spawn's set-up calls each report failure by their return value.
Status Check(int status, const char* call) {
  if (status == 0) return {};
  return Error{fmt::format("{} failed: {}", call, strerror(status))};
}

// The file actions and attributes of a spawn, destroyed with this object.
class SpawnSetup {
 public:
  SpawnSetup() {
    actions_ready_ = posix_spawn_file_actions_init(&actions_) == 0;
    attributes_ready_ = posix_spawnattr_init(&attributes_) == 0;
  }
  ~SpawnSetup() {
    if (actions_ready_) posix_spawn_file_actions_destroy(&actions_);
    if (attributes_ready_) posix_spawnattr_destroy(&attributes_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  // stdin from /dev/null, stdout/stderr to the spec's files, its cwd, its own
  // process group and default handlers for the signals the runner catches.
  Status Prepare(const ProcessSpec& spec) {
    if (!actions_ready_ || !attributes_ready_) return Error{"cannot set up posix_spawn"};
    constexpr int kLogFlags = O_WRONLY | O_CREAT | O_TRUNC;
    if (Status s = Check(
            posix_spawn_file_actions_addopen(&actions_, STDIN_FILENO, "/dev/null", O_RDONLY, 0),
            "posix_spawn_file_actions_addopen");
        !s) {
      return s;
    }
    if (Status s = Check(posix_spawn_file_actions_addopen(
                             &actions_, STDOUT_FILENO, spec.stdout_path.c_str(), kLogFlags, 0644),
                         "posix_spawn_file_actions_addopen");
        !s) {
      return s;
    }
    Status stderr_set =
        spec.stderr_path.empty()
            ? Check(posix_spawn_file_actions_adddup2(&actions_, STDOUT_FILENO, STDERR_FILENO),
                    "posix_spawn_file_actions_adddup2")
            : Check(posix_spawn_file_actions_addopen(&actions_, STDERR_FILENO,
                                                     spec.stderr_path.c_str(), kLogFlags, 0644),
                    "posix_spawn_file_actions_addopen");
    if (!stderr_set) return stderr_set;
    if (!spec.cwd.empty()) {
      if (Status s = Check(posix_spawn_file_actions_addchdir_np(&actions_, spec.cwd.c_str()),
                           "posix_spawn_file_actions_addchdir_np");
          !s) {
        return s;
      }
    }
    return PrepareAttributes();
  }

  const posix_spawn_file_actions_t* actions() const { return &actions_; }
  const posix_spawnattr_t* attributes() const { return &attributes_; }

 private:
  Status PrepareAttributes() {
    // Own process group, so a timeout or Ctrl-C can stop the tool and its children.
    if (Status s = Check(posix_spawnattr_setpgroup(&attributes_, 0), "posix_spawnattr_setpgroup");
        !s) {
      return s;
    }
    sigset_t default_signals;
    sigemptyset(&default_signals);
    sigaddset(&default_signals, SIGINT);
    sigaddset(&default_signals, SIGTERM);
    sigaddset(&default_signals, SIGPIPE);
    if (Status s = Check(posix_spawnattr_setsigdefault(&attributes_, &default_signals),
                         "posix_spawnattr_setsigdefault");
        !s) {
      return s;
    }
    return Check(
        posix_spawnattr_setflags(&attributes_, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF),
        "posix_spawnattr_setflags");
  }

  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attributes_;
  bool actions_ready_ = false;
  bool attributes_ready_ = false;
};

Result<pid_t> Spawn(const ProcessSpec& spec, std::vector<char*>& argv) {
  const std::string program = spec.argv.empty() ? "" : spec.argv[0];
  SpawnSetup setup;
  if (Status prepared = setup.Prepare(spec); !prepared) {
    return Error{fmt::format("cannot start {}: {}", program, prepared.error())};
  }
  pid_t pid = 0;
  int status =
      posix_spawn(&pid, argv[0], setup.actions(), setup.attributes(), argv.data(), environ);
  if (status != 0) return Error{fmt::format("cannot start {}: {}", program, strerror(status))};
  return pid;
}

ProcessResult WaitForProcess(pid_t pid, const ProcessSpec& spec, ProcessResult result,
                             std::chrono::steady_clock::time_point start) {
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
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

}  // namespace

InterruptHandlers::InterruptHandlers() {
  struct sigaction action = {};
  action.sa_handler = RecordInterrupt;
  sigemptyset(&action.sa_mask);
  // Valid arguments: sigaction cannot fail here.
  sigaction(SIGINT, &action, &previous_int_);
  sigaction(SIGTERM, &action, &previous_term_);
}

InterruptHandlers::~InterruptHandlers() {
  // Back to what the process had before, so code after the run (or a host
  // process embedding it) sees its own handlers again.
  sigaction(SIGINT, &previous_int_, nullptr);
  sigaction(SIGTERM, &previous_term_, nullptr);
}

int InterruptSignal() { return g_interrupt_signal; }

std::string ProcessResult::Describe() const {
  if (!spawn_error.empty()) return spawn_error;
  if (interrupted) return fmt::format("interrupted by signal {}", InterruptSignal());
  if (timed_out) return fmt::format("timed out after {:.1f} s (process group killed)", elapsed_s);
  if (term_signal != 0) {
    return fmt::format("killed by signal {} ({})", term_signal, strsignal(term_signal));
  }
  return fmt::format("exit status {}", exit_code);
}

ProcessResult RunProcess(const ProcessSpec& spec, RunEvents* events) {
  ProcessResult result;
  if (g_interrupt_signal != 0) {  // a job that waited for its turn must not start now
    result.interrupted = true;
    return result;
  }
  if (events) events->OnCommandStarted(spec);
  auto start = std::chrono::steady_clock::now();

  std::vector<char*> argv;
  for (const std::string& arg : spec.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);

  Result<pid_t> pid = Spawn(spec, argv);
  if (!pid) {
    result.spawn_error = pid.error();
    return result;
  }
  return WaitForProcess(*pid, spec, std::move(result), start);
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
