#include "suite/config_text_edit.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "suite/json_file.h"

namespace iree_suite {
namespace {

size_t SkipSpace(std::string_view text, size_t i) {
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    } else if (text.compare(i, 2, "//") == 0 || text.compare(i, 2, "/*") == 0) {
      i = std::min(JsonCommentEnd(text, i), text.size());
    } else {
      break;
    }
  }
  return i;
}

// text[i] is '"'; returns the index just past the closing quote.
size_t SkipString(std::string_view text, size_t i) {
  for (++i; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return text.size();
}

// Returns the index just past the value starting at text[i]; *has_comment
// tells whether a comment occurs inside it.
size_t SkipValue(std::string_view text, size_t i, bool* has_comment) {
  *has_comment = false;
  if (i >= text.size()) return i;
  if (text[i] == '"') return SkipString(text, i);
  if (text[i] == '[' || text[i] == '{') {
    int depth = 0;
    while (i < text.size()) {
      size_t after_space = SkipSpace(text, i);
      for (size_t k = i; k < after_space; ++k) {
        if (text[k] == '/') *has_comment = true;
      }
      i = after_space;
      if (i >= text.size()) break;
      char c = text[i];
      if (c == '"') {
        i = SkipString(text, i);
      } else if (c == '[' || c == '{') {
        ++depth;
        ++i;
      } else if (c == ']' || c == '}') {
        ++i;
        if (--depth == 0) return i;
      } else {
        ++i;
      }
    }
    return i;
  }
  while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) &&
         std::string_view(",]}/").find(text[i]) == std::string_view::npos) {
    ++i;
  }
  return i;
}

using Member = ConfigMember;

bool ScanTopLevel(std::string_view text, std::vector<Member>* members) {
  size_t i = SkipSpace(text, 0);
  if (i >= text.size() || text[i] != '{') return false;
  ++i;
  while (true) {
    i = SkipSpace(text, i);
    if (i >= text.size()) return false;
    if (text[i] == '}') return true;
    if (text[i] == ',') {
      ++i;
      continue;
    }
    if (text[i] != '"') return false;
    Member member;
    member.key_begin = i;
    size_t key_end = SkipString(text, i);
    JsonParseError parse_error;
    std::optional<nlohmann::json> key = ParseJsonText(text.substr(i, key_end - i), &parse_error);
    if (!key || !key->is_string()) return false;
    member.key = key->get<std::string>();
    i = SkipSpace(text, key_end);
    if (i >= text.size() || text[i] != ':') return false;
    member.value_begin = SkipSpace(text, i + 1);
    member.value_end = SkipValue(text, member.value_begin, &member.value_has_comment);
    i = member.value_end;
    members->push_back(std::move(member));
  }
}

// Whitespace between the start of the line holding text[pos] and pos, or ""
// when something else precedes pos on that line.
std::string IndentBefore(const std::string& text, size_t pos) {
  size_t line_start = text.rfind('\n', pos == 0 ? 0 : pos - 1);
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  std::string indent = text.substr(line_start, pos - line_start);
  if (!std::all_of(indent.begin(), indent.end(), [](char c) { return c == ' ' || c == '\t'; })) {
    return "";
  }
  return indent;
}

std::string RenderArray(const std::vector<std::string>& values, bool one_line,
                        const std::string& item_indent, const std::string& close_indent) {
  if (values.empty()) return "[]";
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string quoted = nlohmann::json(values[i]).dump();
    if (one_line) {
      out += (i == 0 ? "" : ", ") + quoted;
    } else {
      out += "\n" + item_indent + quoted + (i + 1 < values.size() ? "," : "");
    }
  }
  out += one_line ? "]" : "\n" + close_indent + "]";
  return out;
}

}  // namespace

Result<std::optional<ConfigMember>> FindConfigMember(std::string_view text, std::string_view key) {
  std::vector<Member> members;
  if (!ScanTopLevel(text, &members)) return Error{"not a JSON object"};
  std::optional<ConfigMember> found;
  for (Member& member : members) {
    if (member.key != key) continue;
    if (found) {
      // The loader reads the last copy: editing either one would mislead.
      return Error{fmt::format("{}: appears more than once (the last one is read); keep one", key)};
    }
    found = std::move(member);
  }
  return found;
}

Result<std::string> ReplaceTopLevelArray(const std::string& text, const std::string& key,
                                         const std::vector<std::string>& values) {
  std::vector<Member> members;
  if (!ScanTopLevel(text, &members) || members.empty()) {
    return Error{"not a JSON object with members"};
  }
  // One level of indentation: that of the top-level keys, else two spaces.
  std::string key_indent = IndentBefore(text, members.front().key_begin);
  const std::string unit = key_indent.empty() ? "  " : key_indent;
  const auto copies =
      std::count_if(members.begin(), members.end(), [&](const Member& m) { return m.key == key; });
  if (copies > 1) {
    // The loader reads the last copy: editing any one of them would mislead.
    return Error{fmt::format("{}: appears {} times (the last one is read); keep one", key, copies)};
  }
  auto member =
      std::find_if(members.begin(), members.end(), [&](const Member& m) { return m.key == key; });
  if (member == members.end()) {
    if (values.empty()) return text;
    const Member& last = members.back();
    const bool one_line = text.find('\n') == std::string::npos;
    std::string inserted =
        one_line ? fmt::format(", \"{}\": {}", key, RenderArray(values, true, "", ""))
                 : fmt::format(",\n{}\"{}\": {}", key_indent, key,
                               RenderArray(values, false, key_indent + unit, key_indent));
    return text.substr(0, last.value_end) + inserted + text.substr(last.value_end);
  }
  if (member->value_has_comment) {
    return Error{fmt::format("{}: comments inside the array; update it by hand", key)};
  }
  const std::string old_value =
      text.substr(member->value_begin, member->value_end - member->value_begin);
  if (old_value.empty() || old_value.front() != '[') {
    return Error{fmt::format("{}: not an array", key)};
  }
  const std::string member_indent = IndentBefore(text, member->key_begin);
  bool one_line = false;
  std::string item_indent = member_indent + unit;
  std::string close_indent = member_indent;
  const size_t first = SkipSpace(old_value, 1);
  if (old_value[first] != ']') {  // has entries: keep their layout
    if (old_value.find('\n') == std::string::npos) {
      one_line = true;
    } else {
      item_indent = IndentBefore(old_value, first);
      close_indent = IndentBefore(old_value, old_value.size() - 1);
    }
  }
  return text.substr(0, member->value_begin) +
         RenderArray(values, one_line, item_indent, close_indent) + text.substr(member->value_end);
}

}  // namespace iree_suite
