// What the runner and the artifact producers report while a run goes: tool
// commands starting and the progress of jobs that produce bytes (downloads,
// parameter archives). They report events only; the console
// (report/console.h) is the one that turns them into lines.
#pragma once

#include <cstdint>
#include <string>

#include "exec/subprocess.h"

namespace iree_suite {

class RunEvents {
 public:
  virtual ~RunEvents() = default;
  // A tool is about to start (or a compile worker does its work in its
  // place). Called from the thread that runs it.
  virtual void OnCommandStarted(const ProcessSpec& spec) = 0;
  // A command that did not need to run, its product being cached; `note`
  // says where that is ("cached: <entry>").
  virtual void OnCommandCached(const ProcessSpec& spec, const std::string& note) {
    (void)spec;
    (void)note;
  }
  // A byte-producing job advanced: `done` of `total` bytes (0: unknown) at
  // `bytes_per_s`. Called often; the listener throttles.
  virtual void OnJobProgress(const std::string& what, uint64_t done, uint64_t total,
                             double bytes_per_s) = 0;
  // That job ended; `line` says what it produced ("" when nothing to say).
  virtual void OnJobFinished(const std::string& line) = 0;
  // Something the user should know that is no test's result ("cached module
  // ... is damaged; compiling it again"). The console prints it as a line of
  // its own, above its status line.
  virtual void OnNotice(const std::string& line) = 0;
};

// `line` to `events`, or straight to stderr where nobody listens (a tool of
// its own, a unit test).
void Notify(RunEvents* events, const std::string& line);

}  // namespace iree_suite
