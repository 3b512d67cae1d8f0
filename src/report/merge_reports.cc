#include "report/merge_reports.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <iterator>
#include <map>

#include "base/atomic_file.h"
#include "base/utf8.h"
#include "report/junit_xml.h"
#include "suite/json_file.h"

namespace iree_suite {

namespace {

using Tables = std::vector<std::pair<std::string, SummaryTable>>;

// --- job_summary.json --------------------------------------------------------

std::string HeaderList(const std::vector<std::string>& headers) {
  return nlohmann::json(headers).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Checks one type's {"headers": [...], "rows": [...]} and converts it. Returns
// an error message, empty on success.
std::string ReadTable(const nlohmann::ordered_json& json, SummaryTable* table) {
  if (!json.is_object() || json.size() != 2 || !json.contains("headers") ||
      !json.contains("rows")) {
    return "expected an object with exactly \"headers\" and \"rows\"";
  }
  const auto& headers = json["headers"];
  if (!headers.is_array()) return "headers: expected an array of strings";
  for (const auto& header : headers) {
    if (!header.is_string()) return "headers: expected an array of strings";
    table->headers.push_back(header.get<std::string>());
  }
  const auto& rows = json["rows"];
  if (!rows.is_array()) return "rows: expected an array of arrays";
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    // Every writer emits full rows; a short one means a damaged file.
    if (!row.is_array() || row.size() != table->headers.size()) {
      return fmt::format("rows[{}]: expected an array of {} cells", r, table->headers.size());
    }
    std::vector<nlohmann::json> cells;
    for (const auto& cell : row) {
      if (cell.is_structured()) return fmt::format("rows[{}]: cells must be strings or numbers", r);
      cells.push_back(nlohmann::json(cell));
    }
    table->rows.push_back(std::move(cells));
  }
  return "";
}

// --- JUnit XML ---------------------------------------------------------------

// A generic element of the reader: where its source begins and ends, so a
// <testcase> can be copied byte for byte.
struct Node {
  std::string name;
  std::map<std::string, std::string> attributes;
  bool has_text = false;  // non-whitespace character data directly inside
  std::vector<Node> children;
  size_t begin = 0;
  size_t end = 0;  // one past '>' of the end tag (or of "/>")
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == ':';
}

// Structural UTF-8 check: RenderJUnitXml never writes anything else.
bool ValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    Utf8Char decoded = DecodeUtf8(text, i, Utf8Check::kStructural);
    if (!decoded.valid) return false;
    const bool control = decoded.length == 1 && decoded.code_point < 0x20;
    if (control && !IsSpace(static_cast<char>(decoded.code_point))) return false;
    i += decoded.length;
  }
  return true;
}

class JUnitReader {
 public:
  explicit JUnitReader(std::string_view xml) : xml_(xml) {}

  bool Read(JUnitSuite* suite) {
    constexpr std::string_view kDeclaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
    if (!ValidUtf8(xml_)) return Fail("invalid UTF-8 or control character");
    if (xml_.substr(0, kDeclaration.size()) != kDeclaration) {
      return Fail("expected the XML declaration RenderJUnitXml writes");
    }
    pos_ = kDeclaration.size();
    SkipSpace();
    Node root;
    if (!ParseElement(&root, 0)) return false;
    SkipSpace();
    if (pos_ != xml_.size()) return Fail("content after </testsuites>");
    return Check(root, suite);
  }

  const std::string& error() const { return error_; }

 private:
  static constexpr int kMaxDepth = 16;  // RenderJUnitXml nests 4 deep

  bool Fail(const std::string& message) { return FailAt(pos_, message); }

  bool FailAt(size_t offset, const std::string& message) {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < offset && i < xml_.size(); ++i) {
      if (xml_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    error_ = fmt::format("{}:{}: {}", line, column, message);
    return false;
  }

  void SkipSpace() {
    while (pos_ < xml_.size() && IsSpace(xml_[pos_])) ++pos_;
  }

  bool Name(std::string* name) {
    size_t start = pos_;
    while (pos_ < xml_.size() && IsNameChar(xml_[pos_])) ++pos_;
    if (start == pos_) return Fail("expected a name");
    *name = std::string(xml_.substr(start, pos_ - start));
    return true;
  }

  // Character data up to `stop` with references resolved. A raw '<' (or
  // '"' in text, never written unescaped by XmlEscape) is malformed.
  bool CharData(char stop, std::string* out) {
    while (pos_ < xml_.size() && xml_[pos_] != stop) {
      char c = xml_[pos_];
      if (c == '<') return Fail("unexpected '<'");
      if (c != '&') {
        *out += c;
        ++pos_;
        continue;
      }
      size_t semicolon = xml_.find(';', pos_);
      if (semicolon == std::string_view::npos || semicolon - pos_ > 8) {
        return Fail("unterminated reference");
      }
      std::string_view entity = xml_.substr(pos_ + 1, semicolon - pos_ - 1);
      static const std::map<std::string_view, char> kNamed = {
          {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
      if (auto it = kNamed.find(entity); it != kNamed.end()) {
        *out += it->second;
      } else if (entity == "#9" || entity == "#10" || entity == "#13") {
        // The only character references XmlEscape writes.
        *out += static_cast<char>(std::stoi(std::string(entity.substr(1))));
      } else {
        return Fail(fmt::format("unknown reference &{};", entity));
      }
      pos_ = semicolon + 1;
    }
    return true;
  }

  bool ParseElement(Node* node, int depth) {
    if (depth > kMaxDepth) return Fail("elements nested too deeply");
    node->begin = pos_;
    if (pos_ >= xml_.size() || xml_[pos_] != '<') return Fail("expected '<'");
    ++pos_;
    if (!Name(&node->name)) return false;
    while (true) {
      bool spaced = pos_ < xml_.size() && IsSpace(xml_[pos_]);
      SkipSpace();
      if (xml_.substr(pos_, 2) == "/>") {
        pos_ += 2;
        node->end = pos_;
        return true;
      }
      if (xml_.substr(pos_, 1) == ">") {
        ++pos_;
        break;
      }
      if (!spaced) return Fail("expected whitespace, '>' or '/>'");
      std::string attribute, value;
      if (!Name(&attribute)) return false;
      if (xml_.substr(pos_, 2) != "=\"") return Fail("expected '=\"'");
      pos_ += 2;
      if (!CharData('"', &value)) return false;
      if (pos_ >= xml_.size()) return Fail("unterminated attribute value");
      ++pos_;
      if (!node->attributes.emplace(attribute, value).second) {
        return Fail("duplicate attribute " + attribute);
      }
    }
    while (true) {
      std::string text;
      if (!CharData('<', &text)) return false;
      if (!std::all_of(text.begin(), text.end(), IsSpace)) node->has_text = true;
      if (pos_ >= xml_.size()) return Fail("missing </" + node->name + ">");
      if (xml_.substr(pos_, 2) == "</") {
        pos_ += 2;
        std::string closing;
        if (!Name(&closing)) return false;
        if (closing != node->name) return Fail("</" + closing + "> closes <" + node->name + ">");
        SkipSpace();
        if (xml_.substr(pos_, 1) != ">") return Fail("expected '>'");
        ++pos_;
        node->end = pos_;
        return true;
      }
      if (!ParseElement(&node->children.emplace_back(), depth + 1)) return false;
    }
  }

  bool Count(const Node& node, const std::string& attribute, int64_t* value) {
    const std::string& text = node.attributes.at(attribute);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
    if (ec != std::errc() || end != text.data() + text.size() || *value < 0) {
      return FailAt(node.begin, fmt::format("{}=\"{}\": expected a count", attribute, text));
    }
    return true;
  }

  // The structure RenderJUnitXml writes, and nothing else.
  bool Check(const Node& root, JUnitSuite* suite) {
    if (root.name != "testsuites" || !root.attributes.empty() || root.has_text ||
        root.children.size() != 1) {
      return FailAt(root.begin, "expected <testsuites> holding exactly one <testsuite>");
    }
    const Node& node = root.children[0];
    if (node.name != "testsuite") return FailAt(node.begin, "expected <testsuite>");
    static const char* const kAttributes[] = {"name",    "tests", "failures",  "errors",
                                              "skipped", "time",  "timestamp", "hostname"};
    for (const char* attribute : kAttributes) {
      if (!node.attributes.count(attribute)) {
        return FailAt(node.begin, fmt::format("<testsuite> lacks {}=", attribute));
      }
    }
    if (node.attributes.size() != std::size(kAttributes) ||
        node.attributes.at("name") != "iree-suite" || node.has_text) {
      return FailAt(node.begin, "expected <testsuite name=\"iree-suite\"> as iree-suite writes it");
    }
    if (!Count(node, "tests", &suite->tests) || !Count(node, "failures", &suite->failures) ||
        !Count(node, "errors", &suite->errors) || !Count(node, "skipped", &suite->skipped)) {
      return false;
    }
    const std::string& time = node.attributes.at("time");
    auto [end, ec] = std::from_chars(time.data(), time.data() + time.size(), suite->time_s);
    if (ec != std::errc() || end != time.data() + time.size() || !(suite->time_s >= 0)) {
      return FailAt(node.begin, fmt::format("time=\"{}\": expected seconds", time));
    }
    suite->timestamp = node.attributes.at("timestamp");
    suite->hostname = node.attributes.at("hostname");
    for (const Node& testcase : node.children) {
      if (testcase.name != "testcase") {
        return FailAt(testcase.begin, "<testsuite> may hold only <testcase> elements");
      }
      suite->testcases.emplace_back(xml_.substr(testcase.begin, testcase.end - testcase.begin));
    }
    if (suite->tests != static_cast<int64_t>(suite->testcases.size())) {
      return FailAt(node.begin, fmt::format("tests=\"{}\" but {} <testcase> elements", suite->tests,
                                            suite->testcases.size()));
    }
    return true;
  }

  std::string_view xml_;
  size_t pos_ = 0;
  std::string error_;
};

// Microseconds since the epoch of "YYYY-MM-DDTHH:MM:SS[.ffffff][Z|±HH:MM]"
// (no zone: UTC), so shards in different zones still compare correctly.
std::optional<int64_t> TimestampMicros(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 ||
      consumed != 19) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  int64_t micros = static_cast<int64_t>(timegm(&tm)) * 1000000;
  std::string_view rest = std::string_view(text).substr(consumed);
  if (!rest.empty() && rest.front() == '.') {
    int64_t scale = 100000;
    rest.remove_prefix(1);
    if (rest.empty() || rest.front() < '0' || rest.front() > '9') return std::nullopt;
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      micros += (rest.front() - '0') * scale;
      scale /= 10;
      rest.remove_prefix(1);
    }
  }
  if (rest == "Z" || rest.empty()) return micros;
  int hours = 0, minutes = 0;
  if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':' ||
      std::sscanf(std::string(rest.substr(1)).c_str(), "%2d:%2d", &hours, &minutes) != 2) {
    return std::nullopt;
  }
  int64_t offset = (hours * 60 + minutes) * int64_t{60000000};
  return rest[0] == '+' ? micros - offset : micros + offset;
}

}  // namespace

std::optional<Tables> MergeJobSummaries(const std::vector<std::filesystem::path>& files,
                                        std::string* error) {
  Tables tables;
  std::vector<std::filesystem::path> first_file;  // parallel to `tables`
  for (const auto& file : files) {
    std::string text;
    if (!ReadSmallFile(file, &text, error)) return std::nullopt;
    JsonParseError parse_error;
    std::optional<nlohmann::ordered_json> parsed =
        ParseJsonText<nlohmann::ordered_json>(text, &parse_error);
    if (!parsed) {
      *error = fmt::format("{}: {}", file.string(), parse_error.ToString());
      return std::nullopt;
    }
    const nlohmann::ordered_json& json = *parsed;
    if (!json.is_object()) {
      *error = file.string() + ": expected an object of tables by test type";
      return std::nullopt;
    }
    for (const auto& item : json.items()) {
      const std::string& type = item.key();  // not a structured binding: the lambda captures it
      SummaryTable table;
      if (std::string message = ReadTable(item.value(), &table); !message.empty()) {
        *error = fmt::format("{}: {}: {}", file.string(), type, message);
        return std::nullopt;
      }
      auto it = std::find_if(tables.begin(), tables.end(),
                             [&](const auto& entry) { return entry.first == type; });
      if (it == tables.end()) {
        tables.emplace_back(type, std::move(table));
        first_file.push_back(file);
        continue;
      }
      if (it->second.headers != table.headers) {
        *error = fmt::format("{}: {}: headers {} differ from {} in {}", file.string(), type,
                             HeaderList(table.headers), HeaderList(it->second.headers),
                             first_file[it - tables.begin()].string());
        return std::nullopt;
      }
      for (auto& row : table.rows) it->second.rows.push_back(std::move(row));
    }
  }
  return tables;
}

std::optional<JUnitSuite> ReadJUnitXml(std::string_view xml, std::string* error) {
  JUnitSuite suite;
  JUnitReader reader(xml);
  if (!reader.Read(&suite)) {
    *error = reader.error();
    return std::nullopt;
  }
  return suite;
}

std::optional<std::string> MergeJUnitXml(const std::vector<std::filesystem::path>& files,
                                         std::string* error) {
  if (files.empty()) {
    *error = "no JUnit XML files to merge";
    return std::nullopt;
  }
  JUnitSuite merged;
  std::optional<int64_t> earliest;
  std::string body;
  for (size_t i = 0; i < files.size(); ++i) {
    std::string text;
    if (!ReadSmallFile(files[i], &text, error)) return std::nullopt;
    std::optional<JUnitSuite> suite = ReadJUnitXml(text, error);
    if (!suite) {
      *error = files[i].string() + ":" + *error;
      return std::nullopt;
    }
    std::optional<int64_t> micros = TimestampMicros(suite->timestamp);
    if (!micros) {
      *error = fmt::format("{}: timestamp=\"{}\": expected ISO 8601", files[i].string(),
                           suite->timestamp);
      return std::nullopt;
    }
    if (i == 0) merged.hostname = suite->hostname;
    if (!earliest || *micros < *earliest) {
      earliest = micros;
      merged.timestamp = suite->timestamp;
    }
    merged.tests += suite->tests;
    merged.failures += suite->failures;
    merged.errors += suite->errors;
    merged.skipped += suite->skipped;
    merged.time_s += suite->time_s;
    for (const std::string& testcase : suite->testcases) body += "    " + testcase + "\n";
  }
  // Same header and layout as RenderJUnitXml, so a merged file reads like one run's.
  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<testsuites>\n";
  xml += fmt::format(
      "  <testsuite name=\"iree-suite\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
      "skipped=\"{}\" time=\"{:.3f}\" timestamp=\"{}\" hostname=\"{}\">\n",
      merged.tests, merged.failures, merged.errors, merged.skipped, merged.time_s,
      XmlEscape(merged.timestamp, /*attribute=*/true),
      XmlEscape(merged.hostname, /*attribute=*/true));
  xml += body;
  xml += "  </testsuite>\n</testsuites>\n";
  return xml;
}

}  // namespace iree_suite
