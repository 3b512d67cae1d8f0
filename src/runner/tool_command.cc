#include "runner/tool_command.h"

#include <fmt/format.h>

#include "runner/run_arguments.h"

namespace iree_suite {
namespace fs = std::filesystem;

namespace {

// --parameters for every weight, in order; an error names the weight.
Result<std::vector<ScopedParameters>> WeightFiles(const TestDefinition& test, TestInputs& inputs) {
  std::vector<ScopedParameters> weights;
  for (size_t i = 0; i < test.weights.size(); ++i) {
    const WeightSpec& weight = test.weights[i];
    Result<fs::path> path =
        weight.kind == WeightSpec::Kind::kUrl ? inputs.File(weight.url) : inputs.Parameters(weight);
    if (!path) {
      return Error{fmt::format("{}: weights[{}]: {}", test.json_path.string(), i, path.error())};
    }
    weights.push_back({weight.scope, *path});
  }
  return weights;
}

// A torch_ops test's generated inputs and, for a comparison, where each
// output goes and what it is compared with.
Status AddTorchOpsFiles(const TestDefinition& test, const fs::path& output_directory,
                        TestInputs& inputs, ToolCommand* command) {
  const TorchOpsTest& spec = *test.torch_ops;
  const fs::path definition = spec.folder / kTorchOpsTestFile;
  Result<std::vector<fs::path>> generated = inputs.TorchOpsInputs(spec);
  if (!generated) return Error{fmt::format("{}: {}", definition.string(), generated.error())};
  std::vector<std::string>& argv = command->spec.argv;
  for (const fs::path& input : *generated) argv.push_back("--input=@" + input.string());
  if (spec.benchmark) return {};
  for (size_t i = 0; i < spec.expected_outputs.size(); ++i) {
    const ArgSpec& expected = spec.expected_outputs[i];
    // A URL is fetched like any download; a value is a file of the test folder.
    Result<fs::path> path =
        inputs.File(expected.url ? *expected.url : (spec.folder / *expected.value).string());
    if (!path) {
      return Error{
          fmt::format("{}: expected_output[{}]: {}", definition.string(), i, path.error())};
    }
    command->expected.push_back(*path);
    // Where iree-run-module writes the output: never the suite's folder.
    command->outputs.push_back(output_directory / fmt::format("output_{}.npy", i));
    argv.push_back("--output=@" + command->outputs.back().string());
  }
  return {};
}

}  // namespace

Result<ToolCommand> BuildToolCommand(const TestDefinition& test, const std::vector<fs::path>& vmfbs,
                                     const ToolSet& tools, const fs::path& external_file_directory,
                                     const fs::path& output_directory, TestInputs& inputs) {
  Result<std::vector<ScopedParameters>> weights = WeightFiles(test, inputs);
  if (!weights) return Error{weights.error()};
  SourceResolver resolve = [&](const std::string& url) { return inputs.File(url); };
  Result<std::vector<std::string>> flags = BuildRunFlags(test, *weights, resolve);
  if (!flags) return Error{fmt::format("{}: {}", test.json_path.string(), flags.error())};

  const bool benchmark = test.kind == TestKind::kBenchmark;
  const fs::path& tool = benchmark ? tools.benchmark_module : tools.run_module;
  const fs::path& executable =
      benchmark ? tools.benchmark_module_executable : tools.run_module_executable;
  ToolCommand command;
  std::vector<std::string>& argv = command.spec.argv;
  argv.push_back((executable.empty() ? tool : executable).string());
  if (benchmark) argv.push_back("--benchmark_format=json");
  for (const fs::path& vmfb : vmfbs) argv.push_back("--module=" + vmfb.string());
  argv.insert(argv.end(), flags->begin(), flags->end());
  if (test.torch_ops) {
    if (Status added = AddTorchOpsFiles(test, output_directory, inputs, &command); !added) {
      return Error{added.error()};
    }
  }
  command.spec.cwd =
      test.working_directory.empty() ? external_file_directory : test.working_directory;
  command.stdout_log = output_directory / (benchmark ? "benchmark.json" : "run.log");
  if (benchmark) command.stderr_log = output_directory / "benchmark.log";
  command.spec.stdout_path = command.stdout_log;
  command.spec.stderr_path = command.stderr_log;
  command.repro = {command.spec.cwd, argv};
  command.repro.argv[0] = tool.string();
  return command;
}

}  // namespace iree_suite
