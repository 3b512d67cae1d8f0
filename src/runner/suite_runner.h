// Executes selected tests: makes their plan (runner/plan.h), runs it on a pool
// of workers (runner/plan_executor.h) and does each job: a fetch, a compile,
// or a test, which runs the IREE tool its kind needs and is judged
// (checks/test_verdict.h).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "artifacts/fetch/fetch_progress.h"
#include "artifacts/fetch/fetcher.h"
#include "artifacts/module_compiler.h"
#include "artifacts/parameters/parameter_store.h"
#include "base/trace_sink.h"
#include "exec/run_events.h"
#include "exec/subprocess.h"
#include "exec/tool_gate.h"
#include "results/test_result.h"
#include "runner/plan.h"
#include "runner/tool_command.h"
#include "suite/test_definition.h"

namespace iree_suite {

struct RunnerConfig {
  std::filesystem::path external_file_directory;
  std::filesystem::path artifact_directory;
  bool force_recompile = false;
  std::optional<double> timeout_s;  // per tool process of a test (waiting for a turn excluded)
  size_t max_failures = 0;          // stop after this many failed tests; 0 = never
  size_t jobs = 1;                  // tests in flight at once
  size_t fetch_jobs = 4;            // downloads in flight at once, ahead of the tests
  size_t benchmark_retries = 0;     // extra measurements of a benchmark over its threshold
  TraceSink* trace = nullptr;       // every job's span (--trace, the status line), or nullptr
  RunEvents* events = nullptr;      // tool commands and byte progress, for the console
  FetchOptions fetch;               // downloads of MLIR, weights and argspec urls
};

class TestObserver {
 public:
  virtual ~TestObserver() = default;
  virtual void OnTestStarted(const TestDefinition& test) = 0;
  virtual void OnTestFinished(const TestResult& result) = 0;
};

// One line of --show-commands: a command and a note on it ("cached:
// <entry>"), or only a note (why the command cannot be shown).
struct ShownCommand {
  Repro command;
  std::string note;
};

// Hears of each tool `iree-suite repro` runs: before it starts, and its end
// with the files its output went to.
class ReproObserver {
 public:
  virtual ~ReproObserver() = default;
  virtual void OnReproStarted(const Repro& command) = 0;
  virtual void OnReproFinished(const ProcessResult& process,
                               const std::vector<std::filesystem::path>& logs) = 0;
};

class SuiteRunner {
 public:
  SuiteRunner(const std::map<std::string, ModuleDefinition>& modules, ToolSet tools,
              RunnerConfig config);

  // Runs tests on `jobs` worker threads; returns one result per test that
  // ran, in the order of `tests` (fewer when max_failures or an interrupt
  // stopped the run early). The observer is called from the worker threads.
  std::vector<TestResult> Run(const std::vector<const TestDefinition*>& tests,
                              TestObserver* observer);

  // The commands `test` runs, in order, as its repro lines give them (each
  // module's iree-compile writing into repro/<module>/<key>/, then its tool
  // on the cached modules), with every path where a run puts it. Runs,
  // fetches and generates nothing; makes the (empty) repro directories the
  // compile lines write into, as a run does.
  std::vector<ShownCommand> Commands(const TestDefinition& test);

  // Runs `test`'s tools again, outside the cache: each module's iree-compile
  // into `scratch`/<module>/, then its tool on those modules with its logs
  // and outputs in `scratch` (downloads and parameter archives come from the
  // artifact directory as in a run). Stops at the first tool that fails and
  // returns its result (the last one's when all succeed); an error when the
  // test cannot get to its tools (a module not defined, a failed download).
  Result<ProcessResult> Reproduce(const TestDefinition& test, const std::filesystem::path& scratch,
                                  ReproObserver& observer);

 private:
  struct RunState;
  class RunInputs;      // a run's: fetched and generated
  class LocatedInputs;  // Commands': located only
  void RunJob(const Job& job, RunState* state);
  // Runs the test, guarded, and hands its result to the observer and the slots.
  void RunTestJob(const Job& job, RunState* state);
  TestResult RunOne(const Job& job);
  void RunCompstat(const TestDefinition& test, const CompiledModule& module, TestResult* result);
  void RunModules(const Job& job, const std::vector<const CompiledModule*>& modules,
                  TestResult* result);
  // Runs the tool (a benchmark up to 1 + benchmark_retries times) and judges it.
  void MeasureAndJudge(const Job& job, const ProcessSpec& spec, TestResult* result);
  std::filesystem::path LogDirectory(const TestDefinition& test) const;
  // torch_ops (runner/suite_runner_torch_ops.cc): inputs generated into the
  // artifact directory, outputs written into the log directory and compared
  // with allclose.
  Result<std::vector<std::filesystem::path>> GenerateTorchOps(const TorchOpsTest& spec,
                                                              const std::string& test_id);
  void JudgeTorchOps(const TestDefinition& test, const ToolCommand& command, TestResult* result);
  // The archive of a "random" or "splat" weight, generated or from the cache.
  Result<std::filesystem::path> GeneratedWeights(const WeightSpec& weight,
                                                 const std::string& test_id);
  // A module a test names and the local file of its MLIR: fetched when
  // `fetch`, else only located (an error while not downloaded yet).
  struct ModuleSource {
    const ModuleDefinition* module;
    std::filesystem::path mlir;
  };
  Result<ModuleSource> FindModule(const std::string& name, const std::string& test_id, bool fetch);
  // Fetches a URL (or resolves a local path) for `test_id`, traced.
  Result<std::filesystem::path> Fetch(const std::string& url, const std::string& test_id,
                                      bool take_turn = true);

  const std::map<std::string, ModuleDefinition>& modules_;
  ToolSet tools_;
  RunnerConfig config_;
  // Downloads reported as run events; none when quiet.
  std::unique_ptr<RunEventsFetchProgress> fetch_progress_;
  Fetcher fetcher_;  // before compiler_, which uses it
  ModuleCompiler compiler_;
  ParameterStore parameters_;
  std::mutex parameters_mutex_;  // generation uses every core already: one at a time
  ToolGate gate_;
};

}  // namespace iree_suite
