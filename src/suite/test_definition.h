// The in-memory form of one test JSON and one module JSON, after validation.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace iree_suite {

struct TorchOpsTest;  // suite/torch_ops_test.h

enum class TestKind { kQuality, kBenchmark, kCompstat };

// "quality" / "benchmark" / "compstat": the JSON spelling and the marker name.
const char* TestKindName(TestKind kind);

// {"url": ..., "value": ...}: at least one is present.
struct ArgSpec {
  std::optional<std::string> url;
  std::optional<std::string> value;
};

struct WeightSpec {
  enum class Kind { kUrl, kRandom, kSplat };
  Kind kind = Kind::kUrl;
  std::string scope;
  std::string url;     // kUrl
  std::string module;  // kRandom, kSplat: module name whose parameters are generated
  int64_t seed = 0;    // kRandom
  double value = 0;    // kSplat
};

// A module JSON: `<module-directory>/<name>.json`.
struct ModuleDefinition {
  std::string name;  // as referenced by tests, e.g. "sdxl/modules/clip_cpu"
  std::filesystem::path json_path;
  std::string mlir;  // URL or path relative to the external file directory
  std::vector<std::string> compiler_flags;
};

// The reason of a compile_only test that compiled: tells `update-xfails` that
// nothing is known about its run.
inline constexpr const char* kCompileOnlyReason = "compile only: not run";

struct TestDefinition {
  std::string id;  // JSON path relative to the test directory, e.g. "sdxl/clip_quality_cpu.json"
  std::filesystem::path json_path;
  TestKind kind = TestKind::kQuality;
  std::vector<std::string> markers;  // the JSON's markers plus the kind name
  std::vector<std::string> modules;  // in --module order; compstat has exactly one
  std::vector<WeightSpec> weights;
  std::vector<ArgSpec> inputs;
  std::vector<ArgSpec> outputs;
  std::vector<ArgSpec> expected_outputs;
  std::vector<std::string> run_args;
  std::optional<double> golden_time_ms;
  double tolerance_factor = 1.1;
  std::optional<int64_t> golden_dispatch_count;
  std::optional<int64_t> golden_binary_size;
  // How the JSON spelled numbers that job_summary.json repeats as the reference
  // does (Python's str() or json.dumps of the parsed value): 2 is "2" but 2.0
  // is "2.0"; a golden_binary_size of 100.0 stays 100.0.
  bool tolerance_factor_is_integer = false;
  bool golden_dispatch_count_is_float = false;
  bool golden_binary_size_is_float = false;

  // Compile-and-run (operator) suites, see suite/op_suite_loader.h.
  enum class Expectation { kPass, kCompileFailure, kRunFailure };
  Expectation expectation = Expectation::kPass;
  bool compile_only = false;                // skip_run_tests, --skip-all-runs
  std::filesystem::path working_directory;  // of the run; empty: external file directory
  std::string expectation_source;           // config file, for XPASS messages
  // torch_ops tests: generated inputs, outputs compared with allclose.
  std::shared_ptr<const TorchOpsTest> torch_ops;
  bool golden_required = false;  // a benchmark without golden_time_ms fails (torch_ops)
};

// A problem with an input file: "<file>: <field>: <message>".
struct Diagnostic {
  std::string file;
  std::string field;  // JSON path such as "inputs[2].url"; empty for whole-file problems
  std::string message;
  std::string ToString() const;
};

}  // namespace iree_suite
