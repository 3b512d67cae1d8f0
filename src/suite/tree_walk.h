// Walks a suite's folder tree for collection: directory by directory with
// openat(), so paths longer than PATH_MAX are no problem and the work is
// linear in the number of entries, whatever the depth.
#pragma once

#include <filesystem>
#include <vector>

#include "suite/test_definition.h"

namespace iree_suite {

struct TreeEntry {
  std::filesystem::path path;  // root / relative path (may be longer than PATH_MAX)
  bool directory = false;      // else a regular file
};

// Every directory and regular file below `root` (not `root` itself), in no
// particular order. Directory links are followed, but each real directory
// (device and inode) is entered once, so a link cycle repeats nothing.
// A problem (an unreadable folder, nesting deeper than 4096) is a diagnostic
// naming the path, and the walk goes on with the rest.
std::vector<TreeEntry> WalkTree(const std::filesystem::path& root, std::vector<Diagnostic>* errors);

}  // namespace iree_suite
