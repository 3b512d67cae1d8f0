// Persistent compile workers (iree-suite-compile-worker): each loads
// libIREECompiler.so once, parses one set of module flags as iree-compile
// does, and compiles module after module with them through the compiler's
// embedding API, saving iree-compile's start-up per module (an operator
// suite's modules all share their config's flags). Idle workers are kept per
// flag set; the least recently used beyond a few are ended.
// A worker that crashes, times out or is interrupted is killed and takes only
// its current compile with it; the next compile starts a fresh worker. A
// worker is also retired after a number of compiles or once it holds more
// memory than a high-water mark, so leaks and global state never pile up.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "exec/run_events.h"
#include "exec/subprocess.h"

namespace iree_suite {

struct CompileWorkerSettings {
  std::filesystem::path program;  // iree-suite-compile-worker
  std::filesystem::path library;  // libIREECompiler.so
  size_t max_compiles = 100;      // retire a worker after this many compiles
  size_t max_rss_mib = 4096;      // ... or when it holds more than this after one
  bool verbose = false;           // say on stderr which library workers load, and retirements
};

struct WorkerCompileRequest {
  std::filesystem::path working_directory;
  std::filesystem::path input;
  std::filesystem::path output_vmfb;
  std::filesystem::path log;
  std::vector<std::string> flags;          // the module's flags: a worker's command line
  std::vector<std::string> session_flags;  // per module (the statistics file)
};

struct WorkerCompileResult {
  // Set when the library could not take this compile (not loadable, API
  // version, a flag the session rejects): compile with iree-compile instead.
  std::string fallback_reason;
  // Otherwise the compile's outcome, read like iree-compile's process: exit
  // status 0 or 1 (errors in the log), a signal, a timeout, an interruption.
  ProcessResult process;
  pid_t worker = 0;
};

class CompileWorkerPool {
 public:
  // `events` (may be null) hears the pool's notices under settings.verbose.
  CompileWorkerPool(CompileWorkerSettings settings, RunEvents* events);
  ~CompileWorkerPool();
  CompileWorkerPool(const CompileWorkerPool&) = delete;
  CompileWorkerPool& operator=(const CompileWorkerPool&) = delete;

  // Compiles on an idle worker, starting one when none is idle (callers
  // bound the concurrency: one worker per compiling thread).
  WorkerCompileResult Compile(const WorkerCompileRequest& request, std::optional<double> timeout_s);

  // Why no worker can load the library; empty until a worker said so.
  std::string unavailable_reason() const;

 private:
  struct Worker;
  std::unique_ptr<Worker> TakeIdle(const std::vector<std::string>& flags);
  Result<std::unique_ptr<Worker>> Start(const std::vector<std::string>& flags);
  void GiveBack(std::unique_ptr<Worker> worker);

  CompileWorkerSettings settings_;
  RunEvents* events_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Worker>> idle_;
  std::string unavailable_;
  bool announced_ = false;
};

}  // namespace iree_suite
