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

// Validates one module document.
bool ParseModuleDefinition(const nlohmann::json& document, const std::filesystem::path& file,
                           ModuleDefinition* module, std::vector<Diagnostic>* diagnostics);

}  // namespace iree_suite
