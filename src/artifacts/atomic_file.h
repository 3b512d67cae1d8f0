// Files become visible only complete: written under a temp name, then renamed.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace iree_suite {

// A unique sibling temp name for `target` ("<name>.tmp.<pid>.<n>"), so a crash
// never leaves anything at `target` itself.
std::filesystem::path TempPathFor(const std::filesystem::path& target);

// Writes `contents` to a temp sibling, fsyncs and renames it over `target`.
// Creates parent directories. Returns an error message, empty on success.
std::string WriteFileAtomically(const std::filesystem::path& target, std::string_view contents);

// Reads a whole (small) file. Returns false and sets *error on failure.
bool ReadSmallFile(const std::filesystem::path& path, std::string* contents, std::string* error);

}  // namespace iree_suite
