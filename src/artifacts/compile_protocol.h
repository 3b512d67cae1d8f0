// The pipe protocol between iree-suite and iree-suite-compile-worker.
//
// A message is a list of byte strings: "<count>\n", then for each string
// "<length>\n<bytes>". Strings may hold any byte, newlines included.
//
// worker -> runner, once at start:
//   ["ready", "<API version>", "<compiler revision>"]  or  ["unavailable", "<why>"]
// The worker's command line carries the module flags it compiles with
// (parsed once, as iree-compile parses them). runner -> worker, per module:
//   ["compile", <working directory>, <input MLIR>, <output .vmfb>, <log file>,
//    <per-module session flag (the statistics file)>...]
// worker -> runner, per request (the compiler's diagnostics are in the log):
//   ["ok", "<rss KiB>"]
//   ["rejected", "<the session's message>", "<rss KiB>"]  flags it does not take: nothing ran
//   ["failed", "<what failed>", "<rss KiB>"]              the compiler rejected the input
// A worker that dies mid-request sends nothing: the runner sees the pipe close.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace iree_suite {

using WorkerMessage = std::vector<std::string>;

// Writes a whole message to `fd`; false when the pipe is closed or broken.
bool WriteWorkerMessage(int fd, const WorkerMessage& message);

// Reads messages from a pipe, buffering what arrives beyond the current one.
class WorkerMessageReader {
 public:
  explicit WorkerMessageReader(int fd) : fd_(fd) {}
  // The next message; nullopt at end of file, on a read error or malformed
  // input. Waits at most `timeout_ms` (< 0: forever) for it to start;
  // *timed_out tells that nothing came in that time.
  std::optional<WorkerMessage> Read(int timeout_ms, bool* timed_out);

 private:
  bool Fill(int timeout_ms, bool* timed_out);
  bool ReadLine(int timeout_ms, bool* timed_out, std::string* line);
  bool ReadBytes(size_t size, int timeout_ms, bool* timed_out, std::string* bytes);

  int fd_;
  std::string buffer_;
};

}  // namespace iree_suite
