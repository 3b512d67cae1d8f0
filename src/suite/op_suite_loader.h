// Discovery for compile-and-run operator suites (iree-test-suites onnx_ops and
// torch_ops): every test folder is compiled and run once per config file, with
// the config's flags and its lists of skipped and expected-to-fail tests. A
// folder with run_module_io_flags.txt is an onnx_ops test (lists name it by its
// path under the root), one with run_module_io.json a torch_ops test (lists
// name it "<class dir>/<test dir>", see suite/torch_ops_test.h).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "suite/suite_loader.h"
#include "suite/test_definition.h"

namespace iree_suite {

// Flagfile that marks a directory as a test folder (with one .mlir/.mlirbc).
inline constexpr const char* kOpSuiteFlagfile = "run_module_io_flags.txt";

struct OpSuiteOptions {
  std::filesystem::path suite_root;
  std::vector<std::filesystem::path> config_files;  // in this order for every folder
  // Positional arguments: only folders equal to or below one of these.
  std::vector<std::filesystem::path> restrict_to;
  bool ignore_xfails = false;  // expected_* lists are ignored: every test must pass
  bool skip_all_runs = false;  // compile only, as if every folder were in skip_run_tests
};

// One config file, validated. List entries are folders relative to the suite
// root, as written (a trailing '/' dropped).
struct OpSuiteConfig {
  std::filesystem::path file;
  std::string name;
  std::vector<std::string> compile_flags;
  std::vector<std::string> run_flags;
  std::vector<std::string> skip_compile_tests;
  std::vector<std::string> skip_run_tests;
  std::vector<std::string> expected_compile_failures;
  std::vector<std::string> expected_run_failures;
  // torch_ops benchmarks: test name ("AB/128x128xf32_bench") -> golden ms.
  std::map<std::string, double> golden_times_ms;
  double tolerance_factor = 1.1;
};

// Reads a config (JSON, // and /* */ comments allowed). On a problem returns
// nullopt and appends "<file>: <field>: <what>" diagnostics to *errors;
// unknown fields go to *warnings.
std::optional<OpSuiteConfig> ReadOpSuiteConfig(const std::filesystem::path& file,
                                               std::vector<Diagnostic>* errors,
                                               std::vector<Diagnostic>* warnings);

// Test id of `folder` (relative, '/'-separated; a torch_ops test's name) under
// config `config_name`.
std::string OpSuiteTestId(const std::string& folder, const std::string& config_name);

LoadedSuite LoadOpSuite(const OpSuiteOptions& options);

}  // namespace iree_suite
