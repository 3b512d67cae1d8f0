// torch_ops folders (run_module_io.json) in operator suites: names, configs'
// goldens and lists, and diagnostics for bad definitions.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "suite/op_suite_loader.h"
#include "suite/torch_ops_test.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

class TorchOpsLoaderTest : public testing::Test {
 protected:
  TorchOpsLoaderTest() {
    std::string pattern = (fs::temp_directory_path() / "torch_ops_loader_test_XXXXXX").string();
    root_ = mkdtemp(pattern.data());
  }
  ~TorchOpsLoaderTest() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void Write(const std::string& relative, const std::string& text) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative, std::ios::binary) << text;
  }
  void WriteTest(const std::string& folder, const std::string& json) {
    Write(folder + "/test.mlir", "func.func @main() { return }\n");
    Write(folder + "/run_module_io.json", json);
  }
  LoadedSuite Load() {
    OpSuiteOptions options;
    options.suite_root = root_;
    options.config_files = {root_ / "config.json"};
    return LoadOpSuite(options);
  }
  fs::path root_;
};

constexpr const char* kCompare = R"({
  "function_name": "f", "seed": 7, "rtol": 0.001, "atol": 0.002, "equal_nan": true,
  "mode": "compare", "file_name": "test.mlir", "vmfb_name": "out.vmfb",
  "flat_args": [{"Formula": {"shape": [2, 3], "dtype": "float16", "coeff": 2, "offset": -1}}, 5,
                2.5],
  "expected_output": [{"url": "https://host/x/expected_result_0.npy", "value": null},
                      {"url": null, "value": "local.npy"}]})";

constexpr const char* kBenchmark =
    R"({"mode": "benchmark", "flat_args": [{"Formula": {"shape": [4]}}]})";

TEST_F(TorchOpsLoaderTest, FoldersBecomeTestsNamedByClassAndTestDir) {
  WriteTest("generated/AB/small", kCompare);
  WriteTest("generated/AB/bench", kBenchmark);
  WriteTest("generated/AB/slow", kBenchmark);
  WriteTest("generated/C/skipped", kBenchmark);
  Write("config.json", R"({"config_name": "cpu", "iree_compile_flags": ["--c"],
    "iree_run_module_flags": ["--r"], "skip_compile_tests": ["C/skipped"],
    "skip_run_tests": ["AB/slow"], "expected_run_failures": ["AB/small"],
    "golden_times_ms": {"AB/bench": 1.5}, "tolerance_factor": 1.25})");
  LoadedSuite suite = Load();
  ASSERT_TRUE(suite.errors.empty()) << suite.errors.front().ToString();
  EXPECT_TRUE(suite.warnings.empty()) << suite.warnings.front().ToString();
  ASSERT_EQ(suite.tests.size(), 3u);
  const TestDefinition& bench = suite.tests[0];
  EXPECT_EQ(bench.id, "AB/bench::cpu");
  EXPECT_EQ(bench.kind, TestKind::kBenchmark);
  EXPECT_EQ(bench.golden_time_ms, 1.5);
  EXPECT_EQ(bench.tolerance_factor, 1.25);
  EXPECT_TRUE(bench.golden_required);
  EXPECT_EQ(bench.markers, (std::vector<std::string>{"cpu", "torch_ops", "benchmark", "AB"}));
  EXPECT_EQ(bench.run_args, (std::vector<std::string>{"--function=main", "--r"}));
  EXPECT_EQ(suite.modules.at("AB/bench::cpu").compiler_flags, std::vector<std::string>{"--c"});
  EXPECT_EQ(suite.modules.at("AB/bench::cpu").mlir,
            (root_ / "generated/AB/bench/test.mlir").string());

  const TestDefinition& small = suite.tests[2];
  EXPECT_EQ(small.id, "AB/small::cpu");
  EXPECT_EQ(small.kind, TestKind::kQuality);
  EXPECT_EQ(small.expectation, TestDefinition::Expectation::kRunFailure);
  EXPECT_EQ(small.working_directory, root_ / "generated/AB/small");
  ASSERT_TRUE(small.torch_ops);
  const TorchOpsTest& spec = *small.torch_ops;
  EXPECT_EQ(spec.function_name, "f");
  EXPECT_EQ(spec.seed, 7u);
  EXPECT_EQ(spec.rtol, 0.001);
  EXPECT_EQ(spec.atol, 0.002);
  EXPECT_TRUE(spec.equal_nan);
  ASSERT_EQ(spec.args.size(), 3u);
  EXPECT_EQ(spec.args[0].shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(spec.args[0].dtype, "float16");
  EXPECT_EQ(spec.args[0].coeff, 2);
  EXPECT_EQ(spec.args[0].offset, -1);
  EXPECT_EQ(spec.args[1].literal_dtype, "int64");
  EXPECT_EQ(spec.args[2].literal_dtype, "float64");
  ASSERT_EQ(spec.expected_outputs.size(), 2u);
  EXPECT_EQ(spec.expected_outputs[0].url, "https://host/x/expected_result_0.npy");
  EXPECT_EQ(spec.expected_outputs[1].value, "local.npy");

  EXPECT_EQ(suite.tests[1].id, "AB/slow::cpu");
  EXPECT_TRUE(suite.tests[1].compile_only);
  EXPECT_FALSE(suite.tests[1].golden_time_ms);
}

TEST_F(TorchOpsLoaderTest, BadDefinitionsNameFileAndField) {
  WriteTest("g/A/shape",
            R"({"flat_args": [{"Formula": {"shape": [2, -1]}}], "mode": "benchmark"})");
  WriteTest("g/A/dtype", R"({"flat_args": [{"Formula": {"shape": [2], "dtype": "float7"}}],
                            "mode": "benchmark"})");
  WriteTest("g/A/mode", R"({"mode": "fast"})");
  WriteTest("g/A/seed", R"({"mode": "benchmark", "seed": -1})");
  WriteTest("g/A/unknown", R"({"mode": "benchmark", "colour": "red"})");
  WriteTest("g/A/no_expected", R"({"mode": "compare"})");
  WriteTest("g/A/escape", R"({"mode": "benchmark", "file_name": "../../x.mlir"})");
  WriteTest("g/A/good", kBenchmark);
  Write("config.json", R"({"config_name": "cpu", "iree_compile_flags": [],
    "iree_run_module_flags": [], "golden_times_ms": {"A/gone": 1, "A/good": "fast"}})");
  LoadedSuite suite = Load();
  std::vector<std::string> errors;
  for (const Diagnostic& error : suite.errors) errors.push_back(error.ToString());
  auto has = [&](const std::string& text) {
    return std::any_of(errors.begin(), errors.end(),
                       [&](const std::string& e) { return e.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(
      has("g/A/shape/run_module_io.json: flat_args[0].Formula.shape: expected "
          "non-negative integers"));
  EXPECT_TRUE(
      has("g/A/dtype/run_module_io.json: flat_args[0].Formula.dtype: expected a numpy "
          "dtype name"));
  EXPECT_TRUE(has("g/A/mode/run_module_io.json: mode: expected \"compare\" or \"benchmark\""));
  EXPECT_TRUE(has("g/A/seed/run_module_io.json: seed: expected an integer from 0 to 2^32 - 1"));
  EXPECT_TRUE(has("g/A/unknown/run_module_io.json: colour: unknown field"));
  EXPECT_TRUE(has("g/A/no_expected/run_module_io.json: expected_output: mode \"compare\" needs"));
  EXPECT_TRUE(has("g/A/escape/run_module_io.json: file_name: expected a file name inside"));
  EXPECT_TRUE(has("config.json: golden_times_ms.A/good: expected a positive number"));
  // The config is invalid: nothing of it is collected, the other problems still reported.
  EXPECT_TRUE(suite.tests.empty());
  EXPECT_EQ(suite.invalid_test_files, 8u);
}

TEST_F(TorchOpsLoaderTest, UnknownNamesInListsAndGoldensAreWarnings) {
  WriteTest("g/A/good", kBenchmark);
  Write("config.json", R"({"config_name": "cpu", "iree_compile_flags": [],
    "iree_run_module_flags": [], "skip_run_tests": ["g/A/good"],
    "golden_times_ms": {"A/gone": 1}})");
  LoadedSuite suite = Load();
  ASSERT_TRUE(suite.errors.empty()) << suite.errors.front().ToString();
  ASSERT_EQ(suite.warnings.size(), 2u);
  EXPECT_EQ(suite.warnings[0].field, "skip_run_tests[0]");  // lists name "<class>/<test>"
  EXPECT_EQ(suite.warnings[1].field, "golden_times_ms.A/gone");
  ASSERT_EQ(suite.tests.size(), 1u);
  EXPECT_FALSE(suite.tests[0].compile_only);
}

}  // namespace
}  // namespace iree_suite
