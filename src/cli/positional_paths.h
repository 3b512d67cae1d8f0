// Positional arguments read as pytest reads them: a file or directory that
// must exist, optionally followed by pytest's "::NAME" parts that pick single
// tests of it (the ids pytest prints: "mlp/mlp_quality_cpu.json::mlp_quality_cpu.json",
// "ops/add/run_module_io_flags.txt::model.mlir::cpu", or our own "ops/add::cpu").
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "suite/test_definition.h"

namespace iree_suite {

struct PositionalPath {
  std::string argument;        // as given
  std::filesystem::path path;  // the part before the first "::", canonical
  // What collection is restricted to: `path`, or for an operator suite the
  // test folder of a file in it (run_module_io_flags.txt, model.mlir).
  std::filesystem::path root;
  std::vector<std::string> parts;  // the "::"-separated names after it
};

// Splits and checks every argument (relative to the working directory). A
// problem is an error in pytest's words, e.g. "file or directory not found:
// mlp/nope.json" (a usage error, exit 4).
// `operator_suite`: test folders may carry a config name ("ops/add::cpu").
Result<std::vector<PositionalPath>> ParsePositionalPaths(
    const std::vector<std::filesystem::path>& arguments, bool operator_suite);

// The paths collection is restricted to (each argument's root).
std::vector<std::filesystem::path> CollectionRoots(const std::vector<PositionalPath>& paths);

// Keeps the tests some argument selects (all of them when no argument has
// parts: collection was already restricted). Returns the arguments with parts
// that select no test, which pytest reports as "not found: ARG".
std::vector<std::string> KeepSelectedByPaths(const std::vector<PositionalPath>& paths,
                                             std::vector<const TestDefinition*>* tests);

}  // namespace iree_suite
