// The torch_ops test format of iree-test-suites: a folder holding
// run_module_io.json (inputs as formulas of numpy's legacy generator,
// tolerances, the mode and the expected outputs) and the MLIR it names.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "suite/test_definition.h"

namespace iree_suite {

// The file that marks a folder as a torch_ops test.
inline constexpr const char* kTorchOpsTestFile = "run_module_io.json";

// One entry of flat_args: {"Formula": {...}} or a literal number, which the
// reference saves as a 0-d array (int64, float64 or bool).
struct TorchOpsArg {
  bool is_formula = true;
  // Formula: (coeff * np.random.rand(*shape) + offset).astype(dtype).
  std::vector<int64_t> shape;
  std::string dtype = "float32";  // numpy's name
  double coeff = 1;
  double offset = 0;
  // Literal: its numpy type and value.
  std::string literal_dtype;  // "int64", "float64" or "bool"
  double literal_value = 0;
};

struct TorchOpsTest {
  std::filesystem::path folder;  // absolute
  std::string name;              // "<class dir>/<test dir>", e.g. "AB/128x128xf32_bench"
  std::string function_name = "main";
  std::vector<TorchOpsArg> args;
  uint32_t seed = 0;
  double rtol = 1e-05;
  double atol = 1e-08;
  bool equal_nan = false;
  bool benchmark = false;      // mode "benchmark"; else "compare"
  std::filesystem::path mlir;  // folder / file_name
  // {"url": ...} is fetched; {"value": path} is relative to the folder.
  std::vector<ArgSpec> expected_outputs;
};

// Reads `folder`/run_module_io.json. On a problem returns nullopt with
// "<file>: <field>: <what was expected>" diagnostics appended to *errors.
std::optional<TorchOpsTest> ReadTorchOpsTest(const std::filesystem::path& folder,
                                             std::vector<Diagnostic>* errors);

}  // namespace iree_suite
