#include "suite/marker_expression.h"

#include <fmt/format.h>
#include <locale.h>
#include <wctype.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <utility>

#include "base/utf8.h"

namespace iree_suite {
namespace {

// pytest's token names, which its error messages quote.
enum class Tok { kLParen, kRParen, kOr, kAnd, kNot, kIdent, kEof, kEqual, kString, kComma };
constexpr std::array<const char*, 10> kTokNames = {"left parenthesis",
                                                   "right parenthesis",
                                                   "or",
                                                   "and",
                                                   "not",
                                                   "identifier",
                                                   "end of input",
                                                   "=",
                                                   "string literal",
                                                   ","};

struct Token {
  Tok type = Tok::kEof;
  std::string_view value;
  size_t pos = 0;  // byte offset into the text
};

// Decodes the UTF-8 character at `pos` into *cp (-1 when malformed); returns its length.
size_t DecodeAt(std::string_view s, size_t pos, long* cp) {
  Utf8Char decoded = DecodeUtf8(s, pos, Utf8Check::kBitPattern);
  *cp = decoded.valid ? static_cast<long>(decoded.code_point) : -1;
  return decoded.length;
}

// Python's str.isalnum() for non-ASCII characters, from glibc's Unicode tables. glibc leaves
// out "other numbers" (superscripts, fractions, circled digits) that Python counts, so the
// common ones are listed; what remains differs only in rare numerals and combining marks.
bool IsUnicodeAlnum(long cp, bool alpha_only) {
  static constexpr std::pair<long, long> kOtherNumbers[] = {
      {0xB2, 0xB3},     {0xB9, 0xB9},     {0xBC, 0xBE},     {0x2070, 0x2070},
      {0x2074, 0x2079}, {0x2080, 0x2089}, {0x2150, 0x215F}, {0x2189, 0x2189},
      {0x2460, 0x249B}, {0x24EA, 0x24FF}, {0x2776, 0x2793}};
  if (!alpha_only) {
    for (const auto& [first, last] : kOtherNumbers) {
      if (cp >= first && cp <= last) return true;
    }
  }
  static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  if (utf8 == static_cast<locale_t>(0)) return true;  // no tables: accept, never misreject
  const auto wc = static_cast<wint_t>(cp);
  return alpha_only ? iswalpha_l(wc, utf8) != 0 : iswalnum_l(wc, utf8) != 0;
}

// Python's `\w`: letters, digits and underscore, Unicode-aware.
bool IsWordChar(long cp) {
  if (cp < 0) return false;
  if (cp < 0x80) return std::isalnum(static_cast<int>(cp)) || cp == '_';
  return IsUnicodeAlnum(cp, false);
}

bool IsIdentChar(long cp) {
  return IsWordChar(cp) ||
         (cp >= 0 && cp < 0x80 &&
          std::string_view(":+-.[]\\/").find(static_cast<char>(cp)) != std::string_view::npos);
}

// str.isidentifier(), close enough for keyword-argument names: ASCII letters, digits and
// underscore, no leading digit; other characters must be letters.
bool IsPythonIdentifier(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  long cp = 0;
  for (size_t pos = 0; pos < s.size();) {
    pos += DecodeAt(s, pos, &cp);
    if (cp < 0 || !(cp < 0x80 ? IsWordChar(cp) : IsUnicodeAlnum(cp, true))) return false;
  }
  return true;
}

bool IsPythonKeyword(std::string_view s) {
  static constexpr std::string_view kKeywords[] = {
      "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
      "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
      "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
      "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};
  return std::find(std::begin(kKeywords), std::end(kKeywords), s) != std::end(kKeywords);
}

bool IsInteger(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

// Recursive descent over a lazily lexed token stream: as in pytest, the token after the one
// accepted is lexed at once, and an error is reported before any later character is seen.
class MarkerExpressionParser {
 public:
  MarkerExpressionParser(std::string_view text, MarkerExpression* out) : text_(text), out_(out) {
    current_ = Lex();
  }

  Status Run() {
    if (!Accept(Tok::kEof)) {
      out_->root_ = Expr(0);
      Accept(Tok::kEof, /*reject=*/true);
    }
    if (failed_) return Error{error_};
    return {};
  }

 private:
  using Kind = MarkerExpression::Node::Kind;
  // Far beyond any real expression; keeps `not not ...` from exhausting the stack.
  static constexpr int kMaxDepth = 500;

  void Fail(size_t pos, std::string_view message) {
    if (failed_) return;
    failed_ = true;
    size_t column = 1;  // pytest counts characters, not bytes
    long cp = 0;
    for (size_t i = 0; i < pos; ++column) i += DecodeAt(text_, i, &cp);
    error_ = fmt::format("at column {}: {}", column, message);
  }

  Token FailLex(size_t pos, std::string_view message) {
    Fail(pos, message);
    pos_ = text_.size();
    return {Tok::kEof, {}, pos};
  }

  Token Lex() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
    const size_t start = pos_;
    if (start >= text_.size()) return {Tok::kEof, {}, start};
    const char c = text_[start];
    const std::string_view singles = "()=,";
    if (const size_t i = singles.find(c); i != std::string_view::npos) {
      constexpr Tok kSingleToks[] = {Tok::kLParen, Tok::kRParen, Tok::kEqual, Tok::kComma};
      ++pos_;
      return {kSingleToks[i], text_.substr(start, 1), start};
    }
    if (c == '\'' || c == '"') {
      const size_t end = text_.find(c, start + 1);
      if (end == std::string_view::npos) {
        return FailLex(start, fmt::format("closing quote \"{}\" is missing", c));
      }
      const std::string_view value = text_.substr(start, end + 1 - start);
      if (const size_t bs = value.find('\\'); bs != std::string_view::npos) {
        return FailLex(start + bs, R"(escaping with "\" not supported in marker expression)");
      }
      pos_ = end + 1;
      return {Tok::kString, value, start};
    }
    long cp = 0;
    for (size_t len = 0; pos_ < text_.size(); pos_ += len) {
      len = DecodeAt(text_, pos_, &cp);
      if (!IsIdentChar(cp)) break;
    }
    if (pos_ == start) {
      const size_t len = DecodeAt(text_, start, &cp);
      return FailLex(start, fmt::format("unexpected character \"{}\"", text_.substr(start, len)));
    }
    const std::string_view value = text_.substr(start, pos_ - start);
    const Tok type = value == "or"    ? Tok::kOr
                     : value == "and" ? Tok::kAnd
                     : value == "not" ? Tok::kNot
                                      : Tok::kIdent;
    return {type, value, start};
  }

  bool Accept(Tok type, bool reject = false, Token* token = nullptr) {
    if (failed_) return false;
    if (current_.type == type) {
      if (token != nullptr) *token = current_;
      if (type != Tok::kEof) current_ = Lex();
      return true;
    }
    if (reject) Reject({type});
    return false;
  }

  void Reject(std::initializer_list<Tok> expected) {
    std::string names;
    for (Tok type : expected) {
      if (!names.empty()) names += " OR ";
      names += kTokNames[static_cast<size_t>(type)];
    }
    Fail(current_.pos,
         fmt::format("expected {}; got {}", names, kTokNames[static_cast<size_t>(current_.type)]));
  }

  int Add(Kind kind, std::string_view ident = {}, int lhs = -1, int rhs = -1) {
    out_->nodes_.push_back({kind, std::string(ident), lhs, rhs});
    return static_cast<int>(out_->nodes_.size()) - 1;
  }

  int Expr(int depth) {
    int lhs = AndExpr(depth);
    while (Accept(Tok::kOr)) lhs = Add(Kind::kOr, {}, lhs, AndExpr(depth));
    return lhs;
  }

  int AndExpr(int depth) {
    int lhs = NotExpr(depth);
    while (Accept(Tok::kAnd)) lhs = Add(Kind::kAnd, {}, lhs, NotExpr(depth));
    return lhs;
  }

  int NotExpr(int depth) {
    if (failed_) return -1;
    if (depth > kMaxDepth) {
      Fail(current_.pos, "expression nested too deeply");
      return -1;
    }
    if (Accept(Tok::kNot)) return Add(Kind::kNot, {}, NotExpr(depth + 1));
    if (Accept(Tok::kLParen)) {
      const int inner = Expr(depth + 1);
      Accept(Tok::kRParen, /*reject=*/true);
      return inner;
    }
    Token ident;
    if (Accept(Tok::kIdent, false, &ident)) {
      std::vector<std::string>& seen = out_->identifiers_;
      if (std::find(seen.begin(), seen.end(), ident.value) == seen.end()) {
        seen.emplace_back(ident.value);
      }
      if (!Accept(Tok::kLParen)) return Add(Kind::kIdent, ident.value);
      do {
        SingleKwarg();
      } while (Accept(Tok::kComma));
      Accept(Tok::kRParen, /*reject=*/true);
      out_->has_call_arguments_ = true;
      return Add(Kind::kCall, ident.value);
    }
    Reject({Tok::kNot, Tok::kLParen, Tok::kIdent});
    return -1;
  }

  // name '=' value, checked as pytest does although the value itself is never used.
  void SingleKwarg() {
    Token name;
    if (!Accept(Tok::kIdent, /*reject=*/true, &name)) return;
    if (!IsPythonIdentifier(name.value)) {
      return Fail(name.pos, fmt::format("not a valid python identifier {}", name.value));
    }
    if (IsPythonKeyword(name.value)) {
      return Fail(name.pos, fmt::format("unexpected reserved python keyword `{}`", name.value));
    }
    if (!Accept(Tok::kEqual, /*reject=*/true) || Accept(Tok::kString)) return;
    Token value;
    if (!Accept(Tok::kIdent, /*reject=*/true, &value)) return;
    const std::string_view v = value.value;
    if (IsInteger(v) || v == "True" || v == "False" || v == "None") return;
    Fail(value.pos, fmt::format("unexpected character/s \"{}\"", v));
  }

  std::string_view text_;
  MarkerExpression* out_;
  size_t pos_ = 0;
  Token current_;
  bool failed_ = false;
  std::string error_;
};

Result<MarkerExpression> MarkerExpression::Parse(std::string_view text) {
  MarkerExpression expression;
  expression.text_ = std::string(text);
  MarkerExpressionParser parser(text, &expression);
  if (Status parsed = parser.Run(); !parsed) return Error{parsed.error()};
  return expression;
}

bool MarkerExpression::Evaluate(const std::function<bool(std::string_view)>& ident_is_true) const {
  if (root_ < 0) return text_.empty();
  return EvaluateNode(root_, ident_is_true);
}

bool MarkerExpression::EvaluateNode(
    int index, const std::function<bool(std::string_view)>& ident_is_true) const {
  const Node& node = nodes_[static_cast<size_t>(index)];
  switch (node.kind) {
    case Node::Kind::kIdent:
      return ident_is_true(node.ident);
    case Node::Kind::kCall:
      return false;
    case Node::Kind::kNot:
      return !EvaluateNode(node.lhs, ident_is_true);
    case Node::Kind::kAnd:
      return EvaluateNode(node.lhs, ident_is_true) && EvaluateNode(node.rhs, ident_is_true);
    case Node::Kind::kOr:
      return EvaluateNode(node.lhs, ident_is_true) || EvaluateNode(node.rhs, ident_is_true);
  }
  return false;
}

bool MarkerExpression::MatchesMarkers(const std::vector<std::string>& markers) const {
  return Evaluate([&](std::string_view ident) {
    return std::find(markers.begin(), markers.end(), ident) != markers.end();
  });
}

bool MarkerExpression::MatchesKeywords(std::string_view name,
                                       const std::vector<std::string>& markers) const {
  if (root_ < 0) return true;
  std::vector<std::string> haystacks = {AsciiLower(name)};
  for (const std::string& marker : markers) haystacks.push_back(AsciiLower(marker));
  return Evaluate([&](std::string_view ident) {
    const std::string needle = AsciiLower(ident);
    return std::any_of(haystacks.begin(), haystacks.end(), [&](const std::string& haystack) {
      return haystack.find(needle) != std::string::npos;
    });
  });
}

}  // namespace iree_suite
