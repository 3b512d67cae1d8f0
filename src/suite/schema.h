// Validates test and module JSON documents into definitions, naming the file
// and field of every problem.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "suite/test_definition.h"

namespace iree_suite {

enum class ParseStatus { kTest, kNotATest, kInvalid };

// Validates one test document. A document without "type" is not a test
// (module JSONs live in the same tree). Appends every problem found to
// *diagnostics (not just the first) and returns kInvalid when there are any.
ParseStatus ParseTestDefinition(const nlohmann::json& document, const std::filesystem::path& file,
                                TestDefinition* test, std::vector<Diagnostic>* diagnostics);

// Top-level fields a test of this kind does not use (typos such as
// "golden_time" would otherwise be ignored silently), as warnings that
// suggest the closest known field.
std::vector<Diagnostic> UnknownTestFields(const nlohmann::json& document, TestKind kind,
                                          const std::filesystem::path& file);

// Validates one module document.
bool ParseModuleDefinition(const nlohmann::json& document, const std::filesystem::path& file,
                           ModuleDefinition* module, std::vector<Diagnostic>* diagnostics);

}  // namespace iree_suite
