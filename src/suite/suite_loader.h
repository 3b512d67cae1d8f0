// Discovery: finds the test JSONs of a suite, validates them and the modules
// they name, and keeps every problem as a collection error.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "suite/test_definition.h"

namespace iree_suite {

struct SuiteLocation {
  std::filesystem::path test_directory;
  std::filesystem::path module_directory;
  // Positional arguments: only JSON files equal to or below one of these are
  // collected. Empty means the whole test directory.
  std::vector<std::filesystem::path> restrict_to;
};

struct LoadedSuite {
  std::vector<TestDefinition> tests;  // valid tests, sorted like pytest's sorted(glob("**/*.json"))
  std::map<std::string, ModuleDefinition> modules;  // every module a valid test names
  std::vector<Diagnostic> errors;                   // collection errors, in discovery order
  std::vector<Diagnostic> warnings;                 // e.g. unknown fields; the test still runs
  size_t invalid_test_files = 0;
};

// The JSON file that defines module `name`: <module_directory>/<name>.json.
std::filesystem::path ModuleJsonPath(const std::filesystem::path& module_directory,
                                     const std::string& name);

LoadedSuite LoadSuite(const SuiteLocation& location);

}  // namespace iree_suite
