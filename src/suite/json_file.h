// Reads a JSON file, turning syntax errors into file:line:column diagnostics.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "suite/test_definition.h"

namespace iree_suite {

// Returns the parsed document, or nullopt with *diagnostic describing why
// (unreadable file, or "invalid JSON at line L, column C: ...").
std::optional<nlohmann::json> ReadJsonFile(const std::filesystem::path& path,
                                           Diagnostic* diagnostic);

// JSON5's trailing commas ("[1, 2,]", "{\"a\": 1,}"), which IREE's suite
// configs use and nlohmann 3.11 rejects: each becomes a space, so byte
// offsets (and error positions) stay those of the file. Commas inside strings
// and // or /* */ comments are left alone.
std::string BlankTrailingCommas(std::string text);

// 1-based line and column of byte offset `offset` in `text`.
std::pair<size_t, size_t> LineAndColumn(const std::string& text, size_t offset);

}  // namespace iree_suite
