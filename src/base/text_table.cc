#include "base/text_table.h"

#include <algorithm>

namespace iree_suite {

size_t DisplayWidth(std::string_view text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string PadLeft(std::string_view text, size_t width) {
  size_t w = DisplayWidth(text);
  return w >= width ? std::string(text) : std::string(width - w, ' ') + std::string(text);
}

std::string PadRight(std::string_view text, size_t width) {
  size_t w = DisplayWidth(text);
  return w >= width ? std::string(text) : std::string(text) + std::string(width - w, ' ');
}

std::string RenderColumns(const std::vector<std::vector<std::string>>& rows,
                          const std::vector<bool>& right_aligned) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      if (c > 0) line += "  ";
      bool right = c < right_aligned.size() && right_aligned[c];
      line += right ? PadLeft(row[c], widths[c]) : PadRight(row[c], widths[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace iree_suite
