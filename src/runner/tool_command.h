// The iree-run-module / iree-benchmark-module command of a test, built one
// way for every use: a run (runner/suite_runner.h) fetches and generates the
// files it names, --show-commands only locates them, `iree-suite repro`
// writes its outputs into a scratch directory.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "artifacts/module_compiler.h"
#include "base/result.h"
#include "exec/subprocess.h"
#include "results/test_result.h"
#include "suite/test_definition.h"
#include "suite/torch_ops_test.h"

namespace iree_suite {

struct ToolSet {
  CompilerInfo compiler;
  // As found (what repro lines show), and what is run: the real binary
  // behind a pip console script (empty = the same path).
  std::filesystem::path run_module, run_module_executable;
  std::filesystem::path benchmark_module, benchmark_module_executable;
  // Optional: prints MLIR bytecode as text for "random"/"splat" weights.
  std::filesystem::path iree_opt;
};

// The local files a test's command names: fetched and generated for a run,
// only located (present or not) for showing the command.
class TestInputs {
 public:
  virtual ~TestInputs() = default;
  // An argspec's, weight's or torch_ops expected output's url (or path).
  virtual Result<std::filesystem::path> File(const std::string& url) = 0;
  // The archive of a "random" or "splat" weight.
  virtual Result<std::filesystem::path> Parameters(const WeightSpec& weight) = 0;
  // A torch_ops test's generated inputs, in flat_args order.
  virtual Result<std::vector<std::filesystem::path>> TorchOpsInputs(const TorchOpsTest& test) = 0;
};

struct ToolCommand {
  // What runs (the real executable), in the test's working directory, its
  // stdout into stdout_log, its stderr into stderr_log (a benchmark's) or
  // stdout_log too.
  ProcessSpec spec;
  Repro repro;  // what is shown: the tool as found
  std::filesystem::path stdout_log, stderr_log;
  // torch_ops compare: where the tool writes each output, and what it is
  // compared with.
  std::vector<std::filesystem::path> outputs, expected;
};

// The command of `test` whose modules are compiled to `vmfbs` (in order):
// --benchmark_format=json for a benchmark, --module= each, the test's flags
// (runner/run_arguments.h), a torch_ops test's inputs and outputs; logs and
// outputs go into `output_directory`. An error is the test's reason, naming
// its JSON file and field.
Result<ToolCommand> BuildToolCommand(const TestDefinition& test,
                                     const std::vector<std::filesystem::path>& vmfbs,
                                     const ToolSet& tools,
                                     const std::filesystem::path& external_file_directory,
                                     const std::filesystem::path& output_directory,
                                     TestInputs& inputs);

}  // namespace iree_suite
