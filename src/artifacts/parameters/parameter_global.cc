#include "artifacts/parameters/parameter_global.h"

#include <fmt/format.h>

#include <cctype>

namespace iree_suite {
namespace {

// Thrown inside the parser only; ParseParameterGlobal turns it into a result.
struct Incomplete {};
struct Malformed {
  std::string message;
};

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool AtEnd() {
    SkipSpace();
    return pos_ >= text_.size();
  }
  char Peek() {
    if (AtEnd()) throw Incomplete{};
    return text_[pos_];
  }
  bool Consume(std::string_view token) {
    if (AtEnd() && !token.empty()) throw Incomplete{};
    if (text_.substr(pos_, token.size()) != token) {
      // A prefix of the token at the very end may be completed by the next line.
      if (text_.size() - pos_ < token.size() && token.substr(0, text_.size() - pos_) == Rest()) {
        throw Incomplete{};
      }
      return false;
    }
    pos_ += token.size();
    return true;
  }
  void Expect(std::string_view token, std::string_view what) {
    if (!Consume(token)) throw Malformed{fmt::format("expected {} at \"{}\"", what, Excerpt())};
  }
  // [A-Za-z0-9_$.-]+ (bare identifiers and keywords).
  std::string_view Word() {
    SkipSpace();
    size_t start = pos_;
    while (pos_ < text_.size() && IsWordChar(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  // "..." with MLIR's escapes: \" \\ \n \t and \XX (two hex digits).
  std::string QuotedString() {
    if (Peek() != '"')
      throw Malformed{fmt::format("expected a quoted string at \"{}\"", Excerpt())};
    std::string value;
    for (++pos_; pos_ < text_.size(); ++pos_) {
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return value;
      }
      if (c != '\\') {
        value += c;
        continue;
      }
      if (++pos_ >= text_.size()) break;
      c = text_[pos_];
      if (c == 'n') {
        value += '\n';
      } else if (c == 't') {
        value += '\t';
      } else if (c == '"' || c == '\\') {
        value += c;
      } else if (pos_ + 1 < text_.size() && std::isxdigit(static_cast<unsigned char>(c)) &&
                 std::isxdigit(static_cast<unsigned char>(text_[pos_ + 1]))) {
        value += static_cast<char>(std::stoi(std::string(text_.substr(pos_, 2)), nullptr, 16));
        ++pos_;
      } else {
        throw Malformed{fmt::format("unknown escape \\{} in a string", c)};
      }
    }
    throw Incomplete{};
  }
  // Steps over a quoted string or a "->" (which in a function type closes
  // nothing), leaving pos_ on its last character; false for anything else.
  bool SkipStringOrArrow() {
    if (text_[pos_] == '"') {
      QuotedString();
      --pos_;
      return true;
    }
    if (text_[pos_] == '-' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '>') {
      ++pos_;
      return true;
    }
    return false;
  }
  // Skips one balanced {...}, <...>, (...) or [...] group, strings included.
  void SkipGroup() {
    int depth = 0;
    for (; pos_ < text_.size(); ++pos_) {
      const char c = text_[pos_];
      if (SkipStringOrArrow()) continue;
      if (c == '{' || c == '<' || c == '(' || c == '[') {
        ++depth;
      } else if (c == '}' || c == '>' || c == ')' || c == ']') {
        if (--depth == 0) {
          ++pos_;
          return;
        }
      }
    }
    throw Incomplete{};
  }
  // Text up to the next ',' or '>' outside brackets and strings.
  std::string_view UntilListEnd() {
    SkipSpace();
    const size_t start = pos_;
    int depth = 0;
    for (; pos_ < text_.size(); ++pos_) {
      const char c = text_[pos_];
      if (SkipStringOrArrow()) continue;
      if (c == '<' || c == '(' || c == '[' || c == '{') {
        ++depth;
      } else if (c == ')' || c == ']' || c == '}') {
        --depth;
      } else if (c == '>' || c == ',') {
        if (depth == 0) break;
        if (c == '>') --depth;
      }
    }
    if (pos_ >= text_.size()) throw Incomplete{};
    std::string_view item = text_.substr(start, pos_ - start);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) {
      item.remove_suffix(1);
    }
    return item;
  }
  std::string_view Rest() const { return text_.substr(pos_); }
  std::string Excerpt() const { return std::string(text_.substr(pos_, 40)); }

 private:
  static bool IsWordChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '.' ||
           c == '-';
  }
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// "tensor<4x8xf16>" -> shape and element type.
void ParseTensorType(Cursor& in, ParameterGlobal* global) {
  if (!in.Consume("tensor<")) {
    throw Malformed{
        fmt::format("unsupported type \"{}\": expected a statically shaped tensor", in.Excerpt())};
  }
  while (true) {
    const std::string_view rest = in.Rest();
    size_t digits = 0;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) {
      ++digits;
    }
    if (!rest.empty() && rest[0] == '?') throw Malformed{"dynamic shapes are not supported"};
    if (digits == 0 || digits >= rest.size() || rest[digits] != 'x') break;
    const std::string dim(rest.substr(0, digits));
    if (digits > 18) throw Malformed{fmt::format("dimension {} is too large", dim)};
    global->shape.push_back(std::stoll(dim));
    in.Consume(rest.substr(0, digits + 1));
  }
  const std::string element(in.UntilListEnd());
  std::optional<ElementType> type = ParseElementType(element);
  if (!type) throw Malformed{fmt::format("unsupported element type \"{}\"", element)};
  global->type = *type;
  if (in.Consume(",")) in.UntilListEnd();  // an encoding does not change the size at rest
  in.Expect(">", "'>' closing the tensor type");

  uint64_t bytes = ElementByteSize(*type);
  for (int64_t dim : global->shape) {
    if (__builtin_mul_overflow(bytes, static_cast<uint64_t>(dim), &bytes)) {
      throw Malformed{"the tensor is too large"};
    }
  }
  global->byte_length = bytes;
}

}  // namespace

Result<GlobalParse> ParseParameterGlobal(std::string_view op, ParameterGlobal* global) {
  Cursor in(op);
  try {
    in.Expect("util.global", "util.global");
    while (in.Peek() != '@') {
      std::string_view word = in.Word();
      if (word != "private" && word != "public" && word != "nested" && word != "mutable") {
        return GlobalParse::kNotParameter;
      }
    }
    in.Expect("@", "@");
    global->global = in.Peek() == '"' ? in.QuotedString() : std::string(in.Word());
  } catch (const Incomplete&) {
    return GlobalParse::kIncomplete;
  } catch (const Malformed&) {
    return GlobalParse::kNotParameter;
  }

  try {
    if (in.Peek() == '{') in.SkipGroup();  // attribute dictionary
    if (!in.Consume("=")) return GlobalParse::kNotParameter;
    if (!in.Consume("#stream.parameter.named") && !in.Consume("#flow.parameter.named")) {
      return GlobalParse::kNotParameter;
    }
    in.Expect("<", "'<' opening the parameter attribute");
    std::string first = in.QuotedString();
    if (in.Consume("::")) {
      global->scope = std::move(first);
      global->name = in.QuotedString();
    } else {
      global->name = std::move(first);
    }
    if (in.Consume(",")) in.UntilListEnd();  // a config dictionary
    in.Expect(">", "'>' closing the parameter attribute");
    in.Expect(":", "': <type>' after the parameter attribute");
    ParseTensorType(in, global);
    return GlobalParse::kParameter;
  } catch (const Incomplete&) {
    return GlobalParse::kIncomplete;
  } catch (const Malformed& malformed) {
    return Error{fmt::format("global @{}: {}", global->global, malformed.message)};
  }
}

}  // namespace iree_suite
