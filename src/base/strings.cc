#include "base/strings.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace iree_suite {

std::string Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(kSpace);
  return std::string(text.substr(begin, end - begin + 1));
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  if (candidates.empty() || word.empty()) return std::nullopt;
  // One distance per candidate; the first of equally close ones wins.
  size_t closest = 0, closest_distance = EditDistance(word, candidates[0]);
  for (size_t i = 1; i < candidates.size(); ++i) {
    if (size_t distance = EditDistance(word, candidates[i]); distance < closest_distance) {
      closest = i;
      closest_distance = distance;
    }
  }
  const std::string_view best = candidates[closest];
  const bool truncated = best.substr(0, word.size()) == word || word.substr(0, best.size()) == best;
  if (truncated || closest_distance <= std::max<size_t>(2, word.size() / 3)) {
    return candidates[closest];
  }
  return std::nullopt;
}

std::optional<double> ParseShare(const std::string& text) {
  const bool percent = !text.empty() && text.back() == '%';
  const std::string number = percent ? text.substr(0, text.size() - 1) : text;
  char* end = nullptr;
  const double value = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(value) ||
      value < 0) {
    return std::nullopt;
  }
  return percent ? value / 100 : value;
}

std::string ShareProblem(const std::string& text) {
  if (ParseShare(text)) return "";
  return "expected a fraction such as 0.05 or a percentage such as 5%, not \"" + text + "\"";
}

}  // namespace iree_suite
