// Runs a tool from an argv vector (never through a shell), in its own process
// group, with stdin from /dev/null and stdout/stderr sent to files.
#pragma once

#include <signal.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace iree_suite {

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is the executable path
  std::filesystem::path cwd;
  std::filesystem::path stdout_path;
  std::filesystem::path stderr_path;  // empty: stderr goes to stdout_path too
  std::optional<double> timeout_s;    // whole process group killed when exceeded
};

struct ProcessResult {
  std::string spawn_error;  // non-empty when the process could not be started
  int exit_code = -1;       // valid when exited normally
  int term_signal = 0;      // non-zero when killed by a signal
  bool timed_out = false;
  bool interrupted = false;  // stopped because the run was interrupted
  double elapsed_s = 0;

  bool Succeeded() const { return spawn_error.empty() && term_signal == 0 && exit_code == 0; }
  // "exit status 1", "killed by signal 11 (Segmentation fault)", "timed out after 3.0 s", ...
  std::string Describe() const;
};

class RunEvents;  // exec/run_events.h

// Runs `spec` to its end. `events`, when given, hears of the start first
// (RunEvents::OnCommandStarted), e.g. to log the command.
ProcessResult RunProcess(const ProcessSpec& spec, RunEvents* events = nullptr);

// Ctrl-C / SIGTERM while it lives: the handlers only record the signal; the
// wait loop in RunProcess sees it, kills the running tool's process group and
// returns. Its destructor restores the handlers that were there before.
class InterruptHandlers {
 public:
  InterruptHandlers();
  ~InterruptHandlers();
  InterruptHandlers(const InterruptHandlers&) = delete;
  InterruptHandlers& operator=(const InterruptHandlers&) = delete;

 private:
  struct sigaction previous_int_ = {};
  struct sigaction previous_term_ = {};
};
// The signal that interrupted the run, or 0.
int InterruptSignal();

// The last `max_lines` lines (at most `max_bytes`) of a log file, for failure messages.
std::string TailOfFile(const std::filesystem::path& path, size_t max_lines = 30,
                       size_t max_bytes = 8192);

}  // namespace iree_suite
