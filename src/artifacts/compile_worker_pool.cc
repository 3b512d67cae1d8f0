#include "artifacts/compile_worker_pool.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "artifacts/compile_protocol.h"

extern char** environ;

namespace iree_suite {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kStartTimeoutMs = 60000;
constexpr int kPollSliceMs = 50;
constexpr size_t kMaxIdleWorkers = 8;

std::atomic<int> g_worker_count{0};

// "Error parsing flags:\n  option not found: x" -> "Error parsing flags: option not found: x".
std::string OneLine(const std::string& text) {
  std::string line;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && (line.empty() || line.back() == ' ')) continue;
    line += c;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace

struct CompileWorkerPool::Worker {
  std::vector<std::string> flags;  // its command line: the module flags it compiles with
  pid_t pid = -1;
  int requests = -1;   // our end of the worker's stdin
  int responses = -1;  // our end of the worker's stdout
  std::unique_ptr<WorkerMessageReader> reader;
  fs::path stderr_log;  // what the worker prints outside compiles
  size_t compiles = 0;

  Worker() = default;
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker() {
    if (requests >= 0) ::close(requests);
    if (responses >= 0) ::close(responses);
    if (pid > 0) Kill();
    std::error_code ec;
    if (!stderr_log.empty()) fs::remove(stderr_log, ec);
  }
  // Kills the worker's process group and returns its wait status.
  int Kill() {
    ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    pid = -1;
    return status;
  }
};

CompileWorkerPool::CompileWorkerPool(CompileWorkerSettings settings, RunEvents* events)
    : settings_(std::move(settings)), events_(events) {
  // A worker that died must surface as a closed pipe, not kill the runner.
  ::signal(SIGPIPE, SIG_IGN);
  std::error_code ec;
  if (settings_.library.empty()) {
    unavailable_ = "no libIREECompiler.so found beside iree-compile";
  } else if (!fs::is_regular_file(settings_.program, ec)) {
    unavailable_ = fmt::format("{} is missing", settings_.program.string());
  }
}

CompileWorkerPool::~CompileWorkerPool() = default;

std::string CompileWorkerPool::unavailable_reason() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return unavailable_;
}

std::unique_ptr<CompileWorkerPool::Worker> CompileWorkerPool::TakeIdle(
    const std::vector<std::string>& flags) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
    if ((*it)->flags != flags) continue;
    std::unique_ptr<Worker> worker = std::move(*it);
    idle_.erase(std::next(it).base());
    return worker;
  }
  return nullptr;
}

void CompileWorkerPool::GiveBack(std::unique_ptr<Worker> worker) {
  std::unique_ptr<Worker> retired;  // ended after the lock is released
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(worker));
  if (idle_.size() > kMaxIdleWorkers) {
    retired = std::move(idle_.front());
    idle_.erase(idle_.begin());
  }
}

Result<std::unique_ptr<CompileWorkerPool::Worker>> CompileWorkerPool::Start(
    const std::vector<std::string>& flags) {
  auto worker = std::make_unique<Worker>();
  worker->flags = flags;
  int to_worker[2], from_worker[2];
  if (::pipe2(to_worker, O_CLOEXEC) != 0) {
    return Error{fmt::format("cannot create a pipe: {}", std::strerror(errno))};
  }
  if (::pipe2(from_worker, O_CLOEXEC) != 0) {
    Error error{fmt::format("cannot create a pipe: {}", std::strerror(errno))};
    ::close(to_worker[0]);
    ::close(to_worker[1]);
    return error;
  }
  worker->requests = to_worker[1];
  worker->responses = from_worker[0];
  worker->reader = std::make_unique<WorkerMessageReader>(from_worker[0]);
  worker->stderr_log =
      fs::temp_directory_path() /
      fmt::format("iree-suite-compile-worker.{}.{}.log", ::getpid(), g_worker_count.fetch_add(1));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_worker[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_worker[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, worker->stderr_log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group, as every tool: a kill reaches what it started.
  posix_spawnattr_setpgroup(&attributes, 0);
  sigset_t default_signals;
  sigemptyset(&default_signals);
  for (int signal_number : {SIGINT, SIGTERM, SIGPIPE}) sigaddset(&default_signals, signal_number);
  posix_spawnattr_setsigdefault(&attributes, &default_signals);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  std::string program = settings_.program.string(), library = settings_.library.string();
  std::vector<char*> argv = {program.data(), library.data()};
  for (const std::string& flag : flags) argv.push_back(const_cast<char*>(flag.c_str()));
  argv.push_back(nullptr);
  int status = posix_spawn(&worker->pid, argv[0], &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(to_worker[0]);
  ::close(from_worker[1]);
  if (status != 0) {
    worker->pid = -1;
    return Error{fmt::format("cannot start {}: {}", program, std::strerror(status))};
  }
  bool timed_out = false;
  std::optional<WorkerMessage> hello = worker->reader->Read(kStartTimeoutMs, &timed_out);
  if (hello && hello->size() == 3 && (*hello)[0] == "ready") {
    std::lock_guard<std::mutex> lock(mutex_);
    if (settings_.verbose && !announced_) {
      const int version = std::atoi((*hello)[1].c_str());
      Notify(events_, fmt::format("iree-suite: compile workers load {} (embedding API {}.{}, {})",
                                  library, version >> 16, version & 0xffff, (*hello)[2]));
    }
    announced_ = true;
    return worker;
  }
  if (hello && hello->size() == 2 && (*hello)[0] == "unavailable") {
    // The library itself is unusable: no worker will do better.
    std::lock_guard<std::mutex> lock(mutex_);
    unavailable_ = (*hello)[1];
    return Error{unavailable_};
  }
  // Most often the compiler's command line refused one of these flags.
  const int exit_status = worker->Kill();
  return Error{fmt::format(
      "the compile worker {} ({}): {}", timed_out ? "did not answer" : "did not start",
      WIFEXITED(exit_status) ? fmt::format("exit status {}", WEXITSTATUS(exit_status)) : "killed",
      OneLine(TailOfFile(worker->stderr_log, 5)))};
}

WorkerCompileResult CompileWorkerPool::Compile(const WorkerCompileRequest& request,
                                               std::optional<double> timeout_s) {
  WorkerCompileResult result;
  if (std::string why = unavailable_reason(); !why.empty()) {
    result.fallback_reason = why;
    return result;
  }
  std::unique_ptr<Worker> worker = TakeIdle(request.flags);
  if (!worker) {
    Result<std::unique_ptr<Worker>> started = Start(request.flags);
    if (!started) {
      result.fallback_reason = started.error();
      return result;
    }
    worker = std::move(*started);
  }
  result.worker = worker->pid;
  WorkerMessage message = {"compile", request.working_directory.string(), request.input.string(),
                           request.output_vmfb.string(), request.log.string()};
  message.insert(message.end(), request.session_flags.begin(), request.session_flags.end());
  const auto start = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  std::optional<WorkerMessage> answer;
  if (WriteWorkerMessage(worker->requests, message)) {
    bool timed_out = true;
    // In slices, so that a timeout or Ctrl-C stops the compile promptly.
    while (!answer && timed_out && InterruptSignal() == 0 &&
           !(timeout_s && elapsed() > *timeout_s)) {
      answer = worker->reader->Read(kPollSliceMs, &timed_out);
    }
  }
  result.process.elapsed_s = elapsed();
  if (!answer) {
    // Dead, hung, timed out or interrupted: this worker is done for.
    result.process.interrupted = InterruptSignal() != 0;
    result.process.timed_out = !result.process.interrupted && timeout_s && elapsed() > *timeout_s;
    const int status = worker->Kill();
    if (!result.process.interrupted && !result.process.timed_out) {
      if (WIFSIGNALED(status)) result.process.term_signal = WTERMSIG(status);
      if (WIFEXITED(status)) result.process.exit_code = WEXITSTATUS(status);
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) result.process.exit_code = 70;
    }
    return result;
  }
  const WorkerMessage& reply = *answer;
  if (reply.empty()) {
    worker->Kill();
    result.process.exit_code = 70;
    return result;
  }
  ++worker->compiles;
  const size_t rss_kib = reply.empty() ? 0 : std::strtoull(reply.back().c_str(), nullptr, 10);
  if (reply[0] == "rejected" && reply.size() == 3) {
    result.fallback_reason =
        fmt::format("the compiler session rejects the flags: {}", OneLine(reply[1]));
  } else {
    result.process.exit_code = reply[0] == "ok" ? 0 : 1;
  }
  // Retire a worker that has compiled enough or grown too big.
  std::string retired_because;
  if (worker->compiles >= settings_.max_compiles) {
    retired_because = fmt::format("after {} compiles (--compile-worker-max-compiles={})",
                                  worker->compiles, settings_.max_compiles);
  } else if (rss_kib / 1024 >= settings_.max_rss_mib) {
    retired_because = fmt::format("holding {} MiB (--compile-worker-max-rss={})", rss_kib / 1024,
                                  settings_.max_rss_mib);
  }
  if (retired_because.empty()) {
    GiveBack(std::move(worker));
  } else if (settings_.verbose) {
    Notify(events_,
           fmt::format("iree-suite: compile worker {} retired {}", worker->pid, retired_because));
  }
  return result;
}

}  // namespace iree_suite
