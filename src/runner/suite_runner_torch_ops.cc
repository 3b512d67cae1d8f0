// The torch_ops parts of SuiteRunner: generated inputs, outputs compared with
// numpy's allclose, benchmark goldens from the config.
#include <fmt/format.h>

#include "runner/suite_runner.h"
#include "runner/torch_ops_io.h"
#include "runner/turn_wait.h"

namespace iree_suite {
namespace fs = std::filesystem;

bool SuiteRunner::PrepareTorchOps(const TestDefinition& test, std::vector<std::string>* flags,
                                  TorchOpsFiles* files, TestResult* result) {
  const TorchOpsTest& spec = *test.torch_ops;
  const fs::path definition = spec.folder / kTorchOpsTestFile;
  std::string error;
  std::optional<std::vector<fs::path>> inputs;
  {
    auto turn = AwaitTurn(gate_, config_.trace, test.id, Exclusivity::kShared);
    TraceSpan span(config_.trace, "generate-inputs", test.id, test.id, "");
    inputs = GenerateTorchOpsInputs(spec, config_.artifact_directory, &error);
  }
  if (!inputs) {
    result->outcome = Outcome::kError;
    result->reason = fmt::format("{}: {}", definition.string(), error);
    return false;
  }
  for (const fs::path& input : *inputs) flags->push_back("--input=@" + input.string());
  if (spec.benchmark) return true;
  for (size_t i = 0; i < spec.expected_outputs.size(); ++i) {
    const ArgSpec& expected = spec.expected_outputs[i];
    // A URL is fetched like any download; a value is a file of the test folder.
    std::optional<fs::path> path = Fetch(
        expected.url ? *expected.url : (spec.folder / *expected.value).string(), test.id, &error);
    if (!path) {
      result->outcome = Outcome::kError;
      result->reason = fmt::format("{}: expected_output[{}]: {}", definition.string(), i, error);
      return false;
    }
    files->expected.push_back(*path);
    // Where iree-run-module writes the output: never the suite's folder.
    files->outputs.push_back(LogDirectory(test) / fmt::format("output_{}.npy", i));
    std::error_code ec;
    fs::create_directories(files->outputs.back().parent_path(), ec);
    fs::remove(files->outputs.back(), ec);  // a stale one must not be compared
    flags->push_back("--output=@" + files->outputs.back().string());
  }
  return true;
}

void SuiteRunner::JudgeTorchOps(const TestDefinition& test, const TorchOpsFiles& files,
                                TestResult* result) {
  if (result->outcome == Outcome::kFailed && result->failed_step == Step::kNone) {
    // Ran, but too slow or without a golden: the reference's assertion.
    result->failed_step = Step::kCheck;
  }
  if (test.torch_ops->benchmark || result->outcome != Outcome::kPassed) return;
  std::string mismatch = CompareTorchOpsOutputs(*test.torch_ops, files.outputs, files.expected);
  if (mismatch.empty()) return;
  result->outcome = Outcome::kFailed;
  result->failed_step = Step::kCheck;
  result->reason = mismatch;
  for (const fs::path& output : files.outputs) result->logs.push_back(output);
}

}  // namespace iree_suite
