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

// A share given as a fraction ("0.05") or a percentage ("5%"): finite and not
// negative; nullopt for anything else.
std::optional<double> ParseShare(const std::string& text);
// "" when ParseShare accepts `text`, else what was expected instead (for a
// command-line check).
std::string ShareProblem(const std::string& text);

}  // namespace iree_suite
