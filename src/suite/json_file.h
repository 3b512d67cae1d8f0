// Reads JSON text and files without letting any nlohmann exception escape:
// syntax errors, numbers too large for a double and NUL bytes all become
// diagnostics with line, column and (when inside the document) the JSON path.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "suite/test_definition.h"

namespace iree_suite {

// Why text is not a usable JSON document.
struct JsonParseError {
  std::string field;    // JSON path of the offending value ("inputs[2].url"); empty at the top
  std::string message;  // "invalid JSON at line L, column C: ..." and the like
  std::string ToString() const;  // "field: message", or the message alone
};

// The one JSON parser of the project: every reader of files or tool output
// calls it. Returns nullopt with *error on any problem (never throws).
// `allow_comments` admits // and /* */ comments (the operator configs' JSON5).
template <typename Json = nlohmann::json>
std::optional<Json> ParseJsonText(std::string_view text, JsonParseError* error,
                                  bool allow_comments = false);

// Parses `text`, the contents of `path`; nullopt with *diagnostic naming the
// file (and the field, where inside the document) when it is not valid.
std::optional<nlohmann::json> ParseJsonFileText(const std::filesystem::path& path,
                                                std::string_view text, Diagnostic* diagnostic);

// Returns the parsed document, or nullopt with *diagnostic describing why
// (unreadable file, or "invalid JSON at line L, column C: ...").
std::optional<nlohmann::json> ReadJsonFile(const std::filesystem::path& path,
                                           Diagnostic* diagnostic);

// JSON5's trailing commas ("[1, 2,]", "{\"a\": 1,}"), which IREE's suite
// configs use and nlohmann 3.11 rejects: each becomes a space, so byte
// offsets (and error positions) stay those of the file. Commas inside strings
// and // or /* */ comments are left alone.
std::string BlankTrailingCommas(std::string text);

// Where the comment that starts at text[i] ("//" or "/*") ends, read as
// nlohmann's lexer reads it: a line comment just past the '\n', '\r' or NUL
// that ends it (or at the end), a block comment just past its "*/" (npos when
// never closed). Every
// scanner of config text skips comments with it, so none of them can see a
// member that the parser reads as a comment, or the other way round.
size_t JsonCommentEnd(std::string_view text, size_t i);

// 1-based line and column of byte offset `offset` in `text`.
std::pair<size_t, size_t> LineAndColumn(std::string_view text, size_t offset);

}  // namespace iree_suite
