#include "suite/op_suite_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_helpers.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

class OpSuiteLoaderTest : public testing::Test {
 protected:
  void Write(const std::string& relative, const std::string& text) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative, std::ios::binary) << text;
  }
  void WriteFolder(const std::string& folder, const std::string& model = "model.mlir") {
    Write(folder + "/" + model, "func.func @f() { return }\n");
    Write(folder + "/run_module_io_flags.txt", "");
  }
  OpSuiteOptions Options(const std::vector<std::string>& configs) {
    OpSuiteOptions options;
    options.suite_root = root_;
    for (const std::string& config : configs) options.config_files.push_back(root_ / config);
    return options;
  }
  testing_helpers::TempDir temp_{"op_suite_loader_test"};
  const fs::path root_ = temp_.path();
};

TEST_F(OpSuiteLoaderTest, TestsPerFolderAndConfigWithListsApplied) {
  WriteFolder("ops/b");
  WriteFolder("ops/a", "model.mlirbc");
  WriteFolder("ops/c");
  WriteFolder("ops/d");
  Write("c1.json", R"({
    // comment
    "config_name": "one", "iree_compile_flags": ["--x"], "iree_run_module_flags": ["--y"],
    "skip_compile_tests": ["ops/c"], "skip_run_tests": ["ops/d"],
    "expected_compile_failures": ["ops/a"], "expected_run_failures": ["ops/b/", "ops/d"]})");
  Write("c2.json", R"({"config_name": "two", "iree_compile_flags": [],
                       "iree_run_module_flags": []})");
  LoadedSuite suite = LoadOpSuite(Options({"c1.json", "c2.json"}));
  ASSERT_TRUE(suite.errors.empty()) << suite.errors.front().ToString();
  std::vector<std::string> ids;
  for (const TestDefinition& test : suite.tests) ids.push_back(test.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"ops/a::one", "ops/a::two", "ops/b::one", "ops/b::two",
                                           "ops/c::two", "ops/d::one", "ops/d::two"}));
  const TestDefinition& a = suite.tests[0];
  EXPECT_EQ(a.expectation, TestDefinition::Expectation::kCompileFailure);
  EXPECT_EQ(a.markers, (std::vector<std::string>{"one", "op_suite", "a"}));
  EXPECT_EQ(a.run_args, (std::vector<std::string>{"--flagfile=run_module_io_flags.txt", "--y"}));
  EXPECT_EQ(a.working_directory, root_ / "ops/a");
  EXPECT_EQ(a.expectation_source, (root_ / "c1.json").string());
  const ModuleDefinition& module = suite.modules.at("ops/a::one");
  EXPECT_EQ(module.mlir, (root_ / "ops/a/model.mlirbc").string());
  EXPECT_EQ(module.compiler_flags, std::vector<std::string>{"--x"});
  EXPECT_EQ(suite.tests[2].expectation, TestDefinition::Expectation::kRunFailure);
  // Not run, so it cannot be an expected run failure.
  EXPECT_TRUE(suite.tests[5].compile_only);
  EXPECT_EQ(suite.tests[5].expectation, TestDefinition::Expectation::kPass);
  EXPECT_FALSE(suite.tests[6].compile_only);
}

TEST_F(OpSuiteLoaderTest, IgnoreXfailsSkipAllRunsAndRestriction) {
  WriteFolder("ops/a");
  WriteFolder("ops/b");
  Write("c.json", R"({"config_name": "c", "iree_compile_flags": [], "iree_run_module_flags": [],
                      "expected_compile_failures": ["ops/a"]})");
  OpSuiteOptions options = Options({"c.json"});
  options.ignore_xfails = true;
  options.skip_all_runs = true;
  options.restrict_to = {root_ / "ops/a"};
  LoadedSuite suite = LoadOpSuite(options);
  ASSERT_EQ(suite.tests.size(), 1u);
  EXPECT_EQ(suite.tests[0].expectation, TestDefinition::Expectation::kPass);
  EXPECT_TRUE(suite.tests[0].compile_only);
}

TEST_F(OpSuiteLoaderTest, SymlinkLoopsRepeatNoFolder) {
  WriteFolder("ops/a");
  WriteFolder("ops/b");
  fs::create_directory_symlink("..", root_ / "ops" / "a" / "self");
  fs::create_directory_symlink(root_ / "ops", root_ / "ops" / "b" / "up");
  Write("c.json", R"({"config_name": "c", "iree_compile_flags": [], "iree_run_module_flags": []})");
  LoadedSuite suite = LoadOpSuite(Options({"c.json"}));
  EXPECT_TRUE(suite.errors.empty()) << suite.errors.front().ToString();
  std::vector<std::string> ids;
  for (const TestDefinition& test : suite.tests) ids.push_back(test.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"ops/a::c", "ops/b::c"}));
}

TEST_F(OpSuiteLoaderTest, DiagnosticsNameFileAndField) {
  WriteFolder("ops/a");
  Write("ops/two/a.mlir", "");
  Write("ops/two/b.mlir", "");
  Write("ops/two/run_module_io_flags.txt", "");
  Write("bad.json", R"({"config_name": "", "iree_compile_flags": [1],
                        "iree_run_module_flags": [], "extra": 1})");
  Write("warn.json", R"({"config_name": "w", "iree_compile_flags": [],
                         "iree_run_module_flags": [], "skip_run_tests": ["ops/none"]})");
  LoadedSuite suite = LoadOpSuite(Options({"bad.json", "warn.json"}));
  std::vector<std::string> errors;
  for (const Diagnostic& d : suite.errors) errors.push_back(d.field + ": " + d.message);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_NE(errors[0].find("config_name: expected a non-empty string"), std::string::npos);
  EXPECT_NE(errors[1].find("iree_compile_flags[0]: expected a string"), std::string::npos);
  EXPECT_NE(errors[2].find("exactly one .mlir or .mlirbc file"), std::string::npos);
  std::vector<std::string> warnings;
  for (const Diagnostic& d : suite.warnings) warnings.push_back(d.field);
  EXPECT_EQ(warnings, (std::vector<std::string>{"extra", "skip_run_tests[0]"}));
  ASSERT_EQ(suite.tests.size(), 1u);
  EXPECT_EQ(suite.tests[0].id, "ops/a::w");
}

}  // namespace
}  // namespace iree_suite
