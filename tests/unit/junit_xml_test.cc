#include "report/junit_xml.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <map>
#include <memory>

#include "base/atomic_file.h"

namespace iree_suite {
namespace {

// A strict little XML reader, enough to prove the output well-formed and to
// query it: elements, attributes, text and the five predefined entities plus
// numeric references. Any deviation fails the test with a message.
struct Element {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;
  std::vector<std::unique_ptr<Element>> children;

  std::vector<const Element*> All(const std::string& child_name) const {
    std::vector<const Element*> found;
    for (const auto& child : children) {
      if (child->name == child_name) found.push_back(child.get());
    }
    return found;
  }
  const Element* First(const std::string& child_name) const {
    auto found = All(child_name);
    return found.empty() ? nullptr : found[0];
  }
};

class XmlReader {
 public:
  explicit XmlReader(std::string xml) : xml_(std::move(xml)) {}

  std::unique_ptr<Element> Parse(std::string* error) {
    try {
      CheckCharacters();
      const std::string declaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
      if (xml_.compare(0, declaration.size(), declaration) != 0) Fail("missing declaration");
      pos_ = declaration.size();
      SkipSpace();
      auto root = ParseElement();
      SkipSpace();
      if (pos_ != xml_.size()) Fail("content after the root element");
      return root;
    } catch (const std::string& message) {
      *error = message + " at offset " + std::to_string(pos_);
      return nullptr;
    }
  }

 private:
  [[noreturn]] void Fail(const std::string& message) { throw message; }

  // Valid UTF-8 holding only XML 1.0 characters.
  void CheckCharacters() {
    for (size_t i = 0; i < xml_.size();) {
      unsigned char c = static_cast<unsigned char>(xml_[i]);
      size_t length = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
      if (length == 0 || i + length > xml_.size()) Fail("invalid UTF-8");
      uint32_t cp = length == 1 ? c : c & (0x7F >> length);
      for (size_t k = 1; k < length; ++k) {
        unsigned char b = static_cast<unsigned char>(xml_[i + k]);
        if ((b & 0xC0) != 0x80) Fail("invalid UTF-8");
        cp = (cp << 6) | (b & 0x3F);
      }
      bool legal = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                   (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
      if (!legal) Fail("character not allowed in XML 1.0");
      i += length;
    }
  }

  void SkipSpace() {
    while (pos_ < xml_.size() && std::isspace(static_cast<unsigned char>(xml_[pos_]))) ++pos_;
  }

  void Expect(char c) {
    if (pos_ >= xml_.size() || xml_[pos_] != c) Fail(std::string("expected '") + c + "'");
    ++pos_;
  }

  std::string Name() {
    size_t start = pos_;
    while (pos_ < xml_.size() && (std::isalnum(static_cast<unsigned char>(xml_[pos_])) ||
                                  xml_[pos_] == '-' || xml_[pos_] == '_')) {
      ++pos_;
    }
    if (start == pos_) Fail("expected a name");
    return xml_.substr(start, pos_ - start);
  }

  // Character data up to `stop`, entities resolved; a raw '<' or '&' fails.
  std::string CharData(char stop) {
    std::string out;
    while (pos_ < xml_.size() && xml_[pos_] != stop) {
      char c = xml_[pos_];
      if (c == '<') Fail("raw '<' in character data");
      if (c == '&') {
        size_t semicolon = xml_.find(';', pos_);
        if (semicolon == std::string::npos) Fail("unterminated reference");
        std::string entity = xml_.substr(pos_ + 1, semicolon - pos_ - 1);
        static const std::map<std::string, std::string> kNamed = {
            {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}};
        if (auto it = kNamed.find(entity); it != kNamed.end()) {
          out += it->second;
        } else if (entity.size() > 1 && entity[0] == '#' &&
                   entity.find_first_not_of("0123456789", 1) == std::string::npos) {
          int cp = std::stoi(entity.substr(1));
          if (cp != 9 && cp != 10 && cp != 13) Fail("unexpected character reference");
          out += static_cast<char>(cp);
        } else {
          Fail("unknown entity &" + entity + ";");
        }
        pos_ = semicolon + 1;
      } else {
        out += c;
        ++pos_;
      }
    }
    return out;
  }

  std::unique_ptr<Element> ParseElement() {
    auto element = std::make_unique<Element>();
    Expect('<');
    element->name = Name();
    while (true) {
      SkipSpace();
      if (pos_ >= xml_.size()) Fail("unterminated start tag");
      if (xml_[pos_] == '/') {
        ++pos_;
        Expect('>');
        return element;
      }
      if (xml_[pos_] == '>') {
        ++pos_;
        break;
      }
      std::string attribute = Name();
      Expect('=');
      Expect('"');
      std::string value = CharData('"');
      Expect('"');
      if (!element->attributes.emplace(attribute, value).second) Fail("duplicate attribute");
    }
    while (true) {
      element->text += CharData('<');
      if (pos_ >= xml_.size()) Fail("unclosed <" + element->name + ">");
      if (xml_.compare(pos_, 2, "</") == 0) {
        pos_ += 2;
        if (Name() != element->name) Fail("mismatched end tag for <" + element->name + ">");
        SkipSpace();
        Expect('>');
        return element;
      }
      element->children.push_back(ParseElement());
    }
  }

  std::string xml_;
  size_t pos_ = 0;
};

std::unique_ptr<Element> ParseOrFail(const std::string& xml) {
  std::string error;
  auto root = XmlReader(xml).Parse(&error);
  EXPECT_NE(root, nullptr) << error << "\n" << xml;
  return root;
}

class JUnitXmlTest : public ::testing::Test {
 protected:
  TestDefinition* Define(const std::string& id, std::vector<std::string> markers) {
    auto& test = definitions_.emplace_back(std::make_unique<TestDefinition>());
    test->id = id;
    test->markers = std::move(markers);
    return test.get();
  }

  TestResult Result(const TestDefinition* test, Outcome outcome, std::string reason = "") {
    TestResult result;
    result.test = test;
    result.outcome = outcome;
    result.reason = std::move(reason);
    return result;
  }

  std::vector<std::unique_ptr<TestDefinition>> definitions_;
};

TEST_F(JUnitXmlTest, SuiteCountsAndAttributes) {
  std::vector<TestResult> results = {
      Result(Define("sdxl/clip_quality_cpu.json", {"cpu", "quality"}), Outcome::kPassed),
      Result(Define("a/b/bench.json", {"benchmark"}), Outcome::kFailed, "too slow"),
      Result(Define("c.json", {"compstat"}), Outcome::kFailed, "too big"),
      Result(Define("d.json", {"quality"}), Outcome::kError, "compile failed"),
      Result(Define("e.json", {"quality"}), Outcome::kSkipped, "no device"),
  };
  results[0].duration_s = 1.23456;
  std::string xml = RenderJUnitXml(results, 12.3456, "2024-05-01T12:00:00.000000+00:00", "host");
  auto root = ParseOrFail(xml);
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->name, "testsuites");
  const Element* suite = root->First("testsuite");
  ASSERT_NE(suite, nullptr);
  EXPECT_EQ(suite->attributes.at("name"), "iree-suite");
  EXPECT_EQ(suite->attributes.at("tests"), "5");
  EXPECT_EQ(suite->attributes.at("failures"), "2");
  EXPECT_EQ(suite->attributes.at("errors"), "1");
  EXPECT_EQ(suite->attributes.at("skipped"), "1");
  EXPECT_EQ(suite->attributes.at("time"), "12.346");
  EXPECT_EQ(suite->attributes.at("timestamp"), "2024-05-01T12:00:00.000000+00:00");
  EXPECT_EQ(suite->attributes.at("hostname"), "host");

  auto cases = suite->All("testcase");
  ASSERT_EQ(cases.size(), 5u);
  EXPECT_EQ(cases[0]->attributes.at("classname"), "sdxl");
  EXPECT_EQ(cases[0]->attributes.at("name"), "sdxl/clip_quality_cpu.json");
  EXPECT_EQ(cases[0]->attributes.at("file"), "sdxl/clip_quality_cpu.json");
  EXPECT_EQ(cases[0]->attributes.at("time"), "1.235");
  EXPECT_EQ(cases[1]->attributes.at("classname"), "a.b");
  EXPECT_EQ(cases[2]->attributes.at("classname"), "");
  EXPECT_EQ(cases[2]->attributes.at("time"), "0.000");

  // Exactly one outcome element per non-passing case.
  EXPECT_TRUE(cases[0]->All("failure").empty());
  EXPECT_TRUE(cases[0]->All("error").empty());
  EXPECT_TRUE(cases[0]->All("skipped").empty());
  EXPECT_TRUE(cases[0]->All("system-out").empty());
  EXPECT_EQ(cases[1]->All("failure").size(), 1u);
  EXPECT_EQ(cases[2]->All("failure").size(), 1u);
  EXPECT_EQ(cases[3]->All("error").size(), 1u);
  EXPECT_TRUE(cases[3]->All("failure").empty());
  ASSERT_EQ(cases[4]->All("skipped").size(), 1u);
  EXPECT_EQ(cases[4]->First("skipped")->attributes.at("message"), "no device");
  EXPECT_EQ(cases[3]->First("error")->attributes.at("message"), "compile failed");
}

TEST_F(JUnitXmlTest, CollectionErrorsAreErrorTestcasesFirst) {
  std::vector<TestResult> results = {Result(Define("ok.json", {"quality"}), Outcome::kPassed)};
  auto root = ParseOrFail(
      RenderJUnitXml(results, 1, "t", "h", {{"mlp/bad.json", "mlp/bad.json: type: missing"}}));
  ASSERT_NE(root, nullptr);
  const Element* suite = root->First("testsuite");
  ASSERT_NE(suite, nullptr);
  EXPECT_EQ(suite->attributes.at("tests"), "2");
  EXPECT_EQ(suite->attributes.at("errors"), "1");
  auto cases = suite->All("testcase");
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0]->attributes.at("name"), "mlp/bad.json");
  EXPECT_EQ(cases[0]->attributes.at("classname"), "mlp");
  ASSERT_EQ(cases[0]->All("error").size(), 1u);
  EXPECT_EQ(cases[0]->First("error")->attributes.at("message"), "collection failure");
  EXPECT_EQ(cases[0]->First("error")->text, "mlp/bad.json: type: missing");
  EXPECT_EQ(cases[1]->attributes.at("name"), "ok.json");
}

TEST_F(JUnitXmlTest, MarkersBecomeProperties) {
  std::vector<TestResult> results = {
      Result(Define("q.json", {"cpu", "llvm-cpu", "quality"}), Outcome::kPassed),
      Result(Define("r.json", {}), Outcome::kPassed)};
  auto root = ParseOrFail(RenderJUnitXml(results, 0, "t", "h"));
  ASSERT_NE(root, nullptr);
  auto cases = root->First("testsuite")->All("testcase");
  const Element* properties = cases[0]->First("properties");
  ASSERT_NE(properties, nullptr);
  std::vector<std::string> markers;
  for (const Element* property : properties->All("property")) {
    EXPECT_EQ(property->attributes.at("name"), "marker");
    markers.push_back(property->attributes.at("value"));
  }
  EXPECT_EQ(markers, (std::vector<std::string>{"cpu", "llvm-cpu", "quality"}));
  EXPECT_EQ(cases[1]->First("properties"), nullptr);
}

TEST_F(JUnitXmlTest, FailureCarriesReasonReprosLogsAndOutput) {
  TestResult result = Result(Define("m/q.json", {"quality"}), Outcome::kFailed,
                             "iree-run-module exited with 1\nsecond line");
  result.repros = {{"/ext", {"iree-compile", "a b.mlir", "-o", "m.vmfb"}},
                   {"/ext", {"iree-run-module", "--module=m.vmfb"}}};
  result.logs = {"/artifacts/logs/q.run.log"};
  result.output_tail = "[FAILED] result[0]: element at index 0 (2) does not match (4.5)";
  auto root = ParseOrFail(RenderJUnitXml({result}, 1, "t", "h"));
  ASSERT_NE(root, nullptr);
  const Element* testcase = root->First("testsuite")->First("testcase");
  const Element* failure = testcase->First("failure");
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(failure->attributes.at("message"), "iree-run-module exited with 1");
  EXPECT_EQ(failure->text,
            "iree-run-module exited with 1\nsecond line\n"
            "\n"
            "Reproduce with:\n"
            "  cd /ext && iree-compile 'a b.mlir' -o m.vmfb\n"
            "  cd /ext && iree-run-module --module=m.vmfb\n"
            "\n"
            "Logs:\n"
            "  /artifacts/logs/q.run.log\n"
            "\n"
            "Output tail:\n"
            "[FAILED] result[0]: element at index 0 (2) does not match (4.5)");
  const Element* out = testcase->First("system-out");
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(out->text, result.output_tail);
}

TEST_F(JUnitXmlTest, EscapesMarkupQuotesAndControlBytes) {
  const std::string reason = "a < b && c > \"d\" 'e'\x01 end\r\nnext\ttab";
  TestResult result = Result(Define("x&y/<q>.json", {"a\"b"}), Outcome::kError, reason);
  result.output_tail = std::string("tail \x1b[31mred\x1b[0m \x7f ok");
  std::string xml = RenderJUnitXml({result}, 0, "t", "h\"<");
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_EQ(xml.find('\x1b'), std::string::npos);
  auto root = ParseOrFail(xml);
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->First("testsuite")->attributes.at("hostname"), "h\"<");
  const Element* testcase = root->First("testsuite")->First("testcase");
  EXPECT_EQ(testcase->attributes.at("name"), "x&y/<q>.json");
  EXPECT_EQ(testcase->attributes.at("classname"), "x&y");
  EXPECT_EQ(testcase->First("properties")->First("property")->attributes.at("value"), "a\"b");
  const Element* error = testcase->First("error");
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->attributes.at("message"), "a < b && c > \"d\" 'e' end\r");
  EXPECT_EQ(error->text,
            "a < b && c > \"d\" 'e' end\r\nnext\ttab\n\nOutput tail:\ntail [31mred[0m \x7f ok");
}

TEST_F(JUnitXmlTest, XmlEscapeHandlesInvalidUtf8) {
  // Valid multi-byte text passes through untouched.
  EXPECT_EQ(XmlEscape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", false),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  const std::string fffd = "\xef\xbf\xbd";
  EXPECT_EQ(XmlEscape("a\xff"
                      "b",
                      false),
            "a" + fffd + "b");
  // A truncated sequence becomes one replacement character.
  EXPECT_EQ(XmlEscape("a\xe2\x82"
                      "b",
                      false),
            "a" + fffd + "b");
  EXPECT_EQ(XmlEscape("end\xe2\x82", false), "end" + fffd);
  // Overlong forms and encoded surrogates are invalid.
  EXPECT_EQ(XmlEscape("\xc0\xaf", false), fffd + fffd);
  EXPECT_EQ(XmlEscape("\xed\xa0\x80", false), fffd + fffd + fffd);
  // U+FFFE and U+FFFF are not XML characters.
  EXPECT_EQ(XmlEscape("x\xef\xbf\xbey\xef\xbf\xbf", false), "xy");
  EXPECT_EQ(XmlEscape("\t\n", true), "&#9;&#10;");
  EXPECT_EQ(XmlEscape("\t\n", false), "\t\n");
  EXPECT_EQ(XmlEscape("&<>\"'", false), "&amp;&lt;&gt;&quot;&apos;");

  TestResult result = Result(Define("q.json", {}), Outcome::kFailed, "bad \xff\xfe bytes");
  result.output_tail = "\xc3";
  ParseOrFail(RenderJUnitXml({result}, 0, "t", "h"));
}

TEST_F(JUnitXmlTest, EmptyRunIsWellFormed) {
  auto root = ParseOrFail(RenderJUnitXml({}, 0, "t", "h"));
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->First("testsuite")->attributes.at("tests"), "0");
  EXPECT_TRUE(root->First("testsuite")->children.empty());
}

TEST_F(JUnitXmlTest, WriteFillsTimestampAndHostname) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("junit_xml_test." + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::vector<TestResult> results = {Result(Define("q.json", {"quality"}), Outcome::kPassed)};
  ASSERT_TRUE(WriteJUnitXml(dir / "out" / "junit.xml", results, 2.5));
  iree_suite::Result<std::string> xml = ReadSmallFile(dir / "out" / "junit.xml");
  ASSERT_TRUE(xml) << xml.error();
  auto root = ParseOrFail(*xml);
  ASSERT_NE(root, nullptr);
  const Element* suite = root->First("testsuite");
  EXPECT_EQ(suite->attributes.at("time"), "2.500");
  // e.g. 2024-05-01T12:00:00.123456+02:00
  const std::string& timestamp = suite->attributes.at("timestamp");
  ASSERT_EQ(timestamp.size(), 32u) << timestamp;
  EXPECT_EQ(timestamp[10], 'T');
  EXPECT_EQ(timestamp[19], '.');
  EXPECT_TRUE(timestamp[26] == '+' || timestamp[26] == '-');
  EXPECT_FALSE(suite->attributes.at("hostname").empty());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace iree_suite
