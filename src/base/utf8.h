// UTF-8 decoding and encoding. One decoder, three strictness levels, because
// its callers need different ones: the marker-expression lexer follows the
// bit patterns of lead bytes, the merge-reports reader checks only structure,
// and the XML writer needs well-formed text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace iree_suite {

enum class Utf8Check {
  // A lead byte by its bit pattern (110xxxxx, 1110xxxx, 11110xxx), followed
  // by that many 10xxxxxx bytes. Overlongs, surrogates and values beyond
  // U+10FFFF pass.
  kBitPattern,
  // Lead bytes C2-DF, E0-EF, F0-F4, followed by 10xxxxxx bytes. Overlong
  // three-byte forms and surrogates still pass.
  kStructural,
  // Well-formed UTF-8 (Unicode table 3-7): no overlongs, no surrogates,
  // nothing beyond U+10FFFF.
  kStrict,
};

struct Utf8Char {
  char32_t code_point = 0;  // when valid
  size_t length = 1;        // bytes consumed, at least 1
  bool valid = false;
};

// Decodes the character at text[pos] (pos < text.size()). An invalid
// sequence consumes one byte, or under kStrict its maximal valid prefix (at
// least one byte), as the Unicode standard recommends for replacement.
Utf8Char DecodeUtf8(std::string_view text, size_t pos, Utf8Check check);

// Appends the UTF-8 encoding of `code_point` (at most U+10FFFF) to *out.
void AppendUtf8(char32_t code_point, std::string* out);

}  // namespace iree_suite
