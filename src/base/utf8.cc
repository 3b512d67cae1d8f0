#include "base/utf8.h"

namespace iree_suite {

namespace {

// The sequence length a lead byte announces (0: not a lead byte), and under
// kStrict the valid range of the second byte.
struct Lead {
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
};

Lead ClassifyLead(unsigned char lead, Utf8Check check) {
  if (lead < 0x80) return {1};
  if (check == Utf8Check::kBitPattern) {
    return {(lead >> 5) == 0x6 ? 2u : (lead >> 4) == 0xE ? 3u : (lead >> 3) == 0x1E ? 4u : 0u};
  }
  Lead result;
  if (lead >= 0xC2 && lead <= 0xDF) {
    result.length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    result.length = 3;
    if (check == Utf8Check::kStrict && lead == 0xE0) result.low = 0xA0;   // overlong
    if (check == Utf8Check::kStrict && lead == 0xED) result.high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    result.length = 4;
    if (check == Utf8Check::kStrict && lead == 0xF0) result.low = 0x90;   // overlong
    if (check == Utf8Check::kStrict && lead == 0xF4) result.high = 0x8F;  // beyond U+10FFFF
  }
  return result;
}

}  // namespace

Utf8Char DecodeUtf8(std::string_view text, size_t pos, Utf8Check check) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead_byte = byte(pos);
  const Lead lead = ClassifyLead(lead_byte, check);
  if (lead.length == 1) return {lead_byte, 1, true};
  if (lead.length == 0) return {};
  const bool strict = check == Utf8Check::kStrict;
  if (!strict && pos + lead.length > text.size()) return {};
  char32_t code_point = lead_byte & (0x7F >> lead.length);
  for (size_t k = 1; k < lead.length; ++k) {
    const size_t i = pos + k;
    const bool in_text = i < text.size();
    const unsigned char b = in_text ? byte(i) : 0;
    const bool ok =
        in_text && (strict && k == 1 ? (b >= lead.low && b <= lead.high) : (b & 0xC0) == 0x80);
    if (!ok) return {0, strict ? k : 1, false};
    code_point = (code_point << 6) | (b & 0x3F);
  }
  return {code_point, lead.length, true};
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace iree_suite
