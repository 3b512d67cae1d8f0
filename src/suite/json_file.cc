#include "suite/json_file.h"

#include <fmt/format.h>

#include "artifacts/atomic_file.h"

namespace iree_suite {

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
