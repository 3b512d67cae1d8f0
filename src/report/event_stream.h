// The engine's machine-readable interface: one JSON object per line, written
// as things happen, so that a front end (the pytest plugin in python/) can
// follow a run without parsing the console. `iree-suite engine-info` prints
// {"name": "iree-suite", "version": ..., "protocol": kEventProtocol}.
//
// Protocol 1 (`--events FILE`; FILE may be a pipe such as /dev/fd/3). Every
// line has "event"; readers ignore fields and events they do not know:
//
//   {"event": "start", "protocol": 1, "version": "0.1.0"}
//   {"event": "collection_error", "file": "...", "field": "inputs[0].url",
//    "message": "...", "text": "<file>: <field>: <message>"}
//   {"event": "warning", ... same fields ...}
//   {"event": "collected", "id": "mlp/mlp_quality_cpu.json", "file": "/abs/...json",
//    "type": "quality", "markers": ["cpu", "quality"]}          // each selected test
//   {"event": "test_started", "id": "..."}
//   {"event": "test_finished", <the results.json entry of the test: id, type,
//    markers, outcome, reason, duration_s, benchmark | compstat>,
//    "details": "<the console's failure block>", "output_tail": "...",
//    "repros": [{"cwd": "...", "argv": [...], "shell": "cd ... && ..."}],
//    "logs": ["/abs/run.log"]}
//   {"event": "finish", "exit_code": 0}
#pragma once

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "results/test_result.h"
#include "runner/suite_runner.h"
#include "suite/test_definition.h"

namespace iree_suite {

inline constexpr int kEventProtocol = 1;

// {"name": "iree-suite", "version": ..., "protocol": ...}.
nlohmann::ordered_json EngineInfo();

class EventStream : public TestObserver {
 public:
  // Opens `path` for writing (truncating a regular file). Check ok().
  explicit EventStream(const std::filesystem::path& path);
  ~EventStream() override;
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  bool ok() const { return out_ != nullptr; }
  const std::string& error() const { return error_; }

  void Start();
  void Diagnostics(const char* event, const std::vector<Diagnostic>& diagnostics);
  void Collected(const std::vector<const TestDefinition*>& tests);
  void OnTestStarted(const TestDefinition& test) override;
  void OnTestFinished(const TestResult& result) override;
  void Finish(int exit_code);

 private:
  void Write(const nlohmann::ordered_json& event);

  std::mutex mutex_;  // observers are called from worker threads
  FILE* out_ = nullptr;
  std::string error_;
};

// Passes each event on to several observers, in order.
class ObserverFanout : public TestObserver {
 public:
  explicit ObserverFanout(std::vector<TestObserver*> observers)
      : observers_(std::move(observers)) {}
  void OnTestStarted(const TestDefinition& test) override {
    for (TestObserver* observer : observers_) observer->OnTestStarted(test);
  }
  void OnTestFinished(const TestResult& result) override {
    for (TestObserver* observer : observers_) observer->OnTestFinished(result);
  }

 private:
  std::vector<TestObserver*> observers_;
};

}  // namespace iree_suite
