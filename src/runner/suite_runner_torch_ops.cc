// The torch_ops parts of SuiteRunner: generated inputs, outputs compared with
// numpy's allclose, benchmark goldens from the config.
#include <fmt/format.h>

#include "runner/suite_runner.h"
#include "runner/torch_ops_io.h"
#include "runner/turn_wait.h"

namespace iree_suite {
namespace fs = std::filesystem;

Result<std::vector<fs::path>> SuiteRunner::GenerateTorchOps(const TorchOpsTest& spec,
                                                            const std::string& test_id) {
  auto turn = AwaitTurn(gate_, config_.trace, test_id, Exclusivity::kShared);
  TraceSpan span(config_.trace, "generate-inputs", test_id, test_id, "");
  return GenerateTorchOpsInputs(spec, config_.artifact_directory);
}

void SuiteRunner::JudgeTorchOps(const TestDefinition& test, const ToolCommand& command,
                                TestResult* result) {
  if (result->outcome == Outcome::kFailed && result->failed_step == Step::kNone) {
    // Ran, but too slow or without a golden: the reference's assertion.
    result->failed_step = Step::kCheck;
  }
  if (test.torch_ops->benchmark || result->outcome != Outcome::kPassed) return;
  std::string mismatch = CompareTorchOpsOutputs(*test.torch_ops, command.outputs, command.expected);
  if (mismatch.empty()) return;
  result->outcome = Outcome::kFailed;
  result->failed_step = Step::kCheck;
  result->reason = mismatch;
  for (const fs::path& output : command.outputs) result->logs.push_back(output);
}

}  // namespace iree_suite
