// Edits the text of a JSON(-with-comments) config in place, keeping every
// other byte: what `update-xfails` writes with.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace iree_suite {

// Replaces the value of top-level `key` in JSON(-with-comments) `text` by an
// array of `values`, in the existing array's layout (one entry per line with
// its indentation, or one line); adds the member after the last one when
// missing and `values` is not empty. nullopt and *error when the text cannot
// be edited safely (e.g. comments inside that array).
std::optional<std::string> ReplaceTopLevelArray(const std::string& text, const std::string& key,
                                                const std::vector<std::string>& values,
                                                std::string* error);

}  // namespace iree_suite
