// Edits the text of a JSON(-with-comments) config in place, keeping every
// other byte: what `update-xfails` and `update-goldens --config-files` write
// with.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace iree_suite {

// One member of a JSON(-with-comments) object: where its key and value lie.
struct ConfigMember {
  std::string key;  // decoded
  size_t key_begin = 0;
  size_t value_begin = 0;
  size_t value_end = 0;  // just past the value
  bool value_has_comment = false;
};

// Member `key` of the object that JSON(-with-comments, trailing commas) `text`
// holds; the object may be a nested one's text. nullopt when absent; an error
// when `text` is no object or holds `key` twice.
Result<std::optional<ConfigMember>> FindConfigMember(std::string_view text, std::string_view key);

// Replaces the value of top-level `key` in JSON(-with-comments) `text` by an
// array of `values`, in the existing array's layout (one entry per line with
// its indentation, or one line); adds the member after the last one when
// missing and `values` is not empty. An error when the text cannot be edited
// safely (e.g. comments inside that array).
Result<std::string> ReplaceTopLevelArray(const std::string& text, const std::string& key,
                                         const std::vector<std::string>& values);

}  // namespace iree_suite
