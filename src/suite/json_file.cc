#include "suite/json_file.h"

#include <fmt/format.h>

#include <cctype>

#include "artifacts/atomic_file.h"

namespace iree_suite {

std::string BlankTrailingCommas(std::string text) {
  size_t pending = std::string::npos;  // a comma followed so far only by space and comments
  char previous = '\0';                // the last character outside space and comments
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      i = text.find('\n', i);
      if (i == std::string::npos) break;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      i = text.find("*/", i + 2);
      if (i == std::string::npos) break;
      ++i;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      pending = std::string::npos;
    } else if (c == ',') {
      // After a value only: "[,]" and ",," stay errors, reported where they are.
      pending = previous == ',' || previous == '[' || previous == '{' ? std::string::npos : i;
    } else if (c == ']' || c == '}') {
      if (pending != std::string::npos) text[pending] = ' ';
      pending = std::string::npos;
    } else {
      pending = std::string::npos;
    }
    previous = c;
  }
  return text;
}

std::pair<size_t, size_t> LineAndColumn(const std::string& text, size_t offset) {
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::optional<nlohmann::json> ReadJsonFile(const std::filesystem::path& path,
                                           Diagnostic* diagnostic) {
  std::string text;
  std::string error;
  if (!ReadSmallFile(path, &text, &error)) {
    // ReadSmallFile's message starts with the path, which the diagnostic names already.
    std::string prefix = path.string() + ": ";
    if (error.rfind(prefix, 0) == 0) error = error.substr(prefix.size());
    *diagnostic = {path.string(), "", error};
    return std::nullopt;
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann reports the byte just past the offending token; point at it.
    size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    auto [line, column] = LineAndColumn(text, offset);
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix.
    if (size_t colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    *diagnostic = {path.string(), "",
                   fmt::format("invalid JSON at line {}, column {}: {}", line, column, what)};
    return std::nullopt;
  }
}

}  // namespace iree_suite
