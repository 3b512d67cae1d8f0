// Path helpers that are not about IREE.
#pragma once

#include <algorithm>
#include <filesystem>

namespace iree_suite {

// Whether `path` is `root` or below it, element by element (both already
// canonical or both as given: nothing is looked up on disk).
inline bool IsWithin(const std::filesystem::path& path, const std::filesystem::path& root) {
  auto [root_end, unused] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

}  // namespace iree_suite
