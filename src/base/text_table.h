// Text laid out in columns, for terminals and Markdown.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace iree_suite {

// Characters, not bytes: each UTF-8 lead byte counts once.
size_t DisplayWidth(std::string_view text);
// `text` padded with spaces to `width` characters (never cut).
std::string PadLeft(std::string_view text, size_t width);
std::string PadRight(std::string_view text, size_t width);

// Rows as columns separated by two spaces, each as wide as its widest cell;
// a column whose `right_aligned` entry is true is right-aligned (numbers),
// the others left-aligned. Each line ends in "\n", without trailing spaces.
std::string RenderColumns(const std::vector<std::vector<std::string>>& rows,
                          const std::vector<bool>& right_aligned);

}  // namespace iree_suite
