// Walks a suite's folder tree for collection: directory by directory with
// openat(), so paths longer than PATH_MAX are no problem and the work is
// linear in the number of entries, whatever the depth.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "suite/test_definition.h"

namespace iree_suite {

struct TreeEntry {
  std::filesystem::path path;  // root / relative path (may be longer than PATH_MAX)
  bool directory = false;      // else a regular file
  // For the files `read` chose: their bytes, read relative to their folder
  // (so the length of the path costs nothing), or why they could not be read.
  std::optional<std::string> contents;
  std::string read_error;
};

// Whether the walk should read a file, by its name.
using ReadFilePredicate = std::function<bool(const std::filesystem::path& name)>;

// Every directory and regular file below `root` (not `root` itself), in no
// particular order. Directory links are followed, but each real directory
// (device and inode) is entered once, so a link cycle repeats nothing.
// A problem (an unreadable folder, nesting deeper than 4096) is a diagnostic
// naming the path, and the walk goes on with the rest.
std::vector<TreeEntry> WalkTree(const std::filesystem::path& root, std::vector<Diagnostic>* errors,
                                const ReadFilePredicate& read = nullptr);

}  // namespace iree_suite
