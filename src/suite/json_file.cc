#include "suite/json_file.h"

#include <fmt/format.h>

#include <cctype>
#include <vector>

#include "base/atomic_file.h"

namespace iree_suite {

namespace {

// nlohmann's DOM builder that also tracks the JSON path of the value being
// read, so that an error (a number overflowing a double) names its field. The
// parser calls these members by name (SAX is a template parameter).
template <typename Json>
class PathTrackingDomParser : public nlohmann::detail::json_sax_dom_parser<Json> {
  using Base = nlohmann::detail::json_sax_dom_parser<Json>;

 public:
  explicit PathTrackingDomParser(Json& document) : Base(document, /*allow_exceptions_=*/false) {}

  bool null() { return Value() && Base::null(); }
  bool boolean(bool value) { return Value() && Base::boolean(value); }
  bool number_integer(typename Base::number_integer_t value) {
    return Value() && Base::number_integer(value);
  }
  bool number_unsigned(typename Base::number_unsigned_t value) {
    return Value() && Base::number_unsigned(value);
  }
  bool number_float(typename Base::number_float_t value, const typename Base::string_t& text) {
    return Value() && Base::number_float(value, text);
  }
  bool string(typename Base::string_t& value) { return Value() && Base::string(value); }
  bool binary(typename Base::binary_t& value) { return Value() && Base::binary(value); }
  bool start_object(std::size_t size) {
    Value();
    frames_.push_back({false, "", 0});
    return Base::start_object(size);
  }
  bool key(typename Base::string_t& name) {
    frames_.back().key = name;
    return Base::key(name);
  }
  bool end_object() {
    frames_.pop_back();
    return Base::end_object();
  }
  bool start_array(std::size_t size) {
    Value();
    frames_.push_back({true, "", 0});
    return Base::start_array(size);
  }
  bool end_array() {
    frames_.pop_back();
    return Base::end_array();
  }
  template <typename Exception>
  bool parse_error(std::size_t position, const std::string& token, const Exception& error) {
    position_ = position;
    token_ = token;
    overflow_ = std::is_same_v<Exception, nlohmann::detail::out_of_range>;
    what_ = error.what();
    return false;
  }

  JsonParseError Error(std::string_view text) const;

 private:
  struct Frame {
    bool array;
    std::string key;      // objects: the member being read
    size_t elements = 0;  // arrays: how many elements started so far
  };

  bool Value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().elements;
    return true;
  }
  // The path of the value being read when the parser stopped.
  std::string Path() const {
    std::string path;
    for (size_t i = 0; i < frames_.size(); ++i) {
      const Frame& frame = frames_[i];
      if (frame.array) {
        // An overflowing number never started: it is the element after the last one.
        const bool innermost = i + 1 == frames_.size();
        path += fmt::format("[{}]", frame.elements - (innermost && overflow_ ? 0 : 1));
      } else {
        path += (path.empty() ? "" : ".") + frame.key;
      }
    }
    return path;
  }

  std::vector<Frame> frames_;
  size_t position_ = 0;
  std::string token_;
  bool overflow_ = false;
  std::string what_;
};

template <typename Json>
JsonParseError PathTrackingDomParser<Json>::Error(std::string_view text) const {
  if (overflow_) {
    // nlohmann reports the byte just past the number; point at its first digit.
    size_t start = position_ >= token_.size() ? position_ - token_.size() : 0;
    auto [line, column] = LineAndColumn(text, start);
    return {Path(), fmt::format("number at line {}, column {} does not fit a double: {}", line,
                                column, token_)};
  }
  // nlohmann reports the byte just past the offending token; point at it.
  auto [line, column] = LineAndColumn(text, position_ > 0 ? position_ - 1 : 0);
  std::string what = what_;
  // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix.
  if (size_t colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
  return {"", fmt::format("invalid JSON at line {}, column {}: {}", line, column, what)};
}

}  // namespace

std::string JsonParseError::ToString() const {
  return field.empty() ? message : fmt::format("{}: {}", field, message);
}

template <typename Json>
std::optional<Json> ParseJsonText(std::string_view text, JsonParseError* error,
                                  bool allow_comments) {
  // nlohmann stops at a NUL as at the end of the input: the bytes after it would go unread.
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
    auto [line, column] = LineAndColumn(text, nul);
    *error = {"", fmt::format("invalid JSON at line {}, column {}: NUL byte", line, column)};
    return std::nullopt;
  }
  Json root;
  PathTrackingDomParser<Json> builder(root);
  if (Json::sax_parse(text, &builder, nlohmann::json::input_format_t::json, /*strict=*/true,
                      allow_comments)) {
    return root;
  }
  *error = builder.Error(text);
  return std::nullopt;
}

template std::optional<nlohmann::json> ParseJsonText(std::string_view, JsonParseError*, bool);
template std::optional<nlohmann::ordered_json> ParseJsonText(std::string_view, JsonParseError*,
                                                             bool);

std::string BlankTrailingCommas(std::string text) {
  size_t pending = std::string::npos;  // a comma followed so far only by space and comments
  char previous = '\0';                // the last character outside space and comments
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '/' && i + 1 < text.size() && (text[i + 1] == '/' || text[i + 1] == '*')) {
      i = JsonCommentEnd(text, i);
      if (i >= text.size()) break;
      --i;  // the loop steps past the comment's last character
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      pending = std::string::npos;
    } else if (c == ',') {
      // After a value only: "[,]" and ",," stay errors, reported where they are.
      pending = previous == ',' || previous == '[' || previous == '{' ? std::string::npos : i;
    } else if (c == ']' || c == '}') {
      if (pending != std::string::npos) text[pending] = ' ';
      pending = std::string::npos;
    } else {
      pending = std::string::npos;
    }
    previous = c;
  }
  return text;
}

size_t JsonCommentEnd(std::string_view text, size_t i) {
  if (text.compare(i, 2, "/*") == 0) {
    const size_t close = text.find("*/", i + 2);
    return close == std::string_view::npos ? close : close + 2;
  }
  const size_t end = text.find_first_of(std::string_view("\n\r\0", 3), i + 2);
  return end == std::string_view::npos ? text.size() : end + 1;  // the lexer consumes it
}

std::pair<size_t, size_t> LineAndColumn(std::string_view text, size_t offset) {
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::optional<nlohmann::json> ReadJsonFile(const std::filesystem::path& path,
                                           Diagnostic* diagnostic) {
  Result<std::string> text = ReadSmallFile(path);
  if (!text) {
    // ReadSmallFile's message starts with the path, which the diagnostic names already.
    std::string error = text.error();
    std::string prefix = path.string() + ": ";
    if (error.rfind(prefix, 0) == 0) error = error.substr(prefix.size());
    *diagnostic = {path.string(), "", error};
    return std::nullopt;
  }
  return ParseJsonFileText(path, *text, diagnostic);
}

std::optional<nlohmann::json> ParseJsonFileText(const std::filesystem::path& path,
                                                std::string_view text, Diagnostic* diagnostic) {
  JsonParseError parse_error;
  std::optional<nlohmann::json> document = ParseJsonText(text, &parse_error);
  if (!document) *diagnostic = {path.string(), parse_error.field, parse_error.message};
  return document;
}

}  // namespace iree_suite
