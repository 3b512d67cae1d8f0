// Small string helpers shared by every layer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iree_suite {

// `text` without leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r).
std::string Trim(std::string_view text);

// Levenshtein distance: insertions, deletions and substitutions of one byte.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate a user most likely meant by `word` (a typo or a truncation),
// for "did you mean ...?"; none when no candidate is close enough.
std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace iree_suite
