#include "suite/json_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "test_helpers.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

using testing_helpers::TempDir;

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

using LineColumn = std::pair<size_t, size_t>;

TEST(JsonFileTest, LineAndColumnOnMultiLineText) {
  const std::string text = "ab\ncd\n\nef";
  EXPECT_EQ(LineAndColumn(text, 0), LineColumn(1, 1));
  EXPECT_EQ(LineAndColumn(text, 1), LineColumn(1, 2));
  EXPECT_EQ(LineAndColumn(text, 2), LineColumn(1, 3));  // the '\n' ending line 1
  EXPECT_EQ(LineAndColumn(text, 3), LineColumn(2, 1));
  EXPECT_EQ(LineAndColumn(text, 4), LineColumn(2, 2));
  EXPECT_EQ(LineAndColumn(text, 6), LineColumn(3, 1));  // the empty line
  EXPECT_EQ(LineAndColumn(text, 7), LineColumn(4, 1));
  EXPECT_EQ(LineAndColumn(text, 8), LineColumn(4, 2));
}

TEST(JsonFileTest, LineAndColumnPastTheEndStopsAtTheEnd) {
  EXPECT_EQ(LineAndColumn("a\nbc", 4), LineColumn(2, 3));
  EXPECT_EQ(LineAndColumn("a\nbc", 100), LineColumn(2, 3));
  EXPECT_EQ(LineAndColumn("", 5), LineColumn(1, 1));
}

TEST(JsonFileTest, ReadsValidJson) {
  TempDir dir;
  fs::path file = dir.path() / "ok.json";
  WriteText(file, R"({"type": "quality", "markers": ["cpu"]})");
  Diagnostic diagnostic;
  std::optional<nlohmann::json> document = ReadJsonFile(file, &diagnostic);
  ASSERT_TRUE(document.has_value()) << diagnostic.ToString();
  EXPECT_EQ((*document)["type"], "quality");
  EXPECT_EQ((*document)["markers"][0], "cpu");
}

TEST(JsonFileTest, SyntaxErrorPointsAtLineAndColumn) {
  TempDir dir;
  fs::path file = dir.path() / "bad.json";
  WriteText(file, "{\n  \"a\": 1,\n  \"b\": ]\n}\n");
  Diagnostic diagnostic;
  EXPECT_FALSE(ReadJsonFile(file, &diagnostic).has_value());
  EXPECT_EQ(diagnostic.file, file.string());
  EXPECT_EQ(diagnostic.field, "");
  EXPECT_EQ(diagnostic.message,
            "invalid JSON at line 3, column 8: syntax error while parsing value - unexpected "
            "']'; expected '[', '{', or a literal");
}

TEST(JsonFileTest, TrailingCommaPointsAtClosingBrace) {
  TempDir dir;
  fs::path file = dir.path() / "comma.json";
  WriteText(file, "{\"a\": 1,}");
  Diagnostic diagnostic;
  EXPECT_FALSE(ReadJsonFile(file, &diagnostic).has_value());
  EXPECT_EQ(diagnostic.message,
            "invalid JSON at line 1, column 9: syntax error while parsing object key - "
            "unexpected '}'; expected string literal");
}

TEST(JsonFileTest, TruncatedDocumentPointsAtTheEnd) {
  TempDir dir;
  fs::path file = dir.path() / "truncated.json";
  WriteText(file, "{\n\"a\": 1\n");
  Diagnostic diagnostic;
  EXPECT_FALSE(ReadJsonFile(file, &diagnostic).has_value());
  EXPECT_EQ(diagnostic.message,
            "invalid JSON at line 3, column 1: syntax error while parsing object - unexpected "
            "end of input; expected '}'");
}

// Text that parses, or the error ParseJsonText gives for it.
std::string ParseError(std::string_view text, bool allow_comments = false) {
  JsonParseError error;
  if (ParseJsonText(text, &error, allow_comments)) return "parsed";
  return error.ToString();
}

TEST(ParseJsonTextTest, NumberTooLargeForADoubleNamesItsField) {
  EXPECT_EQ(ParseError("{\n  \"golden_time_ms\": 1e400\n}"),
            "golden_time_ms: number at line 2, column 21 does not fit a double: 1e400");
  EXPECT_EQ(ParseError(R"({"inputs": [{"url": "a"}, {"value": -1e999}]})"),
            "inputs[1].value: number at line 1, column 37 does not fit a double: -1e999");
  EXPECT_EQ(ParseError("[1, 2, " + std::string(400, '9') + "]"),
            "[2]: number at line 1, column 8 does not fit a double: " + std::string(400, '9'));
  EXPECT_EQ(ParseError("2E605"), "number at line 1, column 1 does not fit a double: 2E605");
  EXPECT_EQ(ParseError("{\"a\": {\"b\": [[0, 1e309]]}}", /*allow_comments=*/true),
            "a.b[0][1]: number at line 1, column 18 does not fit a double: 1e309");
}

TEST(ParseJsonTextTest, BytesAfterANulAreAnError) {
  EXPECT_EQ(ParseError(std::string("{}\0{\"x\"", 6)), "invalid JSON at line 1, column 3: NUL byte");
  EXPECT_EQ(ParseError(std::string("{\"a\":\n\"x\0\"}", 11)),
            "invalid JSON at line 2, column 3: NUL byte");
}

TEST(ParseJsonTextTest, OrderedJsonKeepsMemberOrder) {
  JsonParseError error;
  std::optional<nlohmann::ordered_json> parsed =
      ParseJsonText<nlohmann::ordered_json>(R"({"b": 1, "a": 2})", &error);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->begin().key(), "b");
}

TEST(JsonFileTest, FileHoldingAHugeNumberIsADiagnostic) {
  TempDir dir;
  fs::path file = dir.path() / "huge.json";
  WriteText(file, "2E605");
  Diagnostic diagnostic;
  EXPECT_FALSE(ReadJsonFile(file, &diagnostic).has_value());
  EXPECT_EQ(diagnostic.ToString(),
            file.string() + ": number at line 1, column 1 does not fit a double: 2E605");
}

TEST(JsonFileTest, UnreadableFile) {
  TempDir dir;
  fs::path file = dir.path() / "missing.json";
  Diagnostic diagnostic;
  EXPECT_FALSE(ReadJsonFile(file, &diagnostic).has_value());
  EXPECT_EQ(diagnostic.file, file.string());
  EXPECT_EQ(diagnostic.field, "");
  EXPECT_EQ(diagnostic.message, "cannot open: No such file or directory");
  EXPECT_EQ(diagnostic.ToString(), file.string() + ": cannot open: No such file or directory");
}

TEST(BlankTrailingCommasTest, OnlyCommasBeforeAClosingBracket) {
  EXPECT_EQ(BlankTrailingCommas(R"({"a": [1, 2,], "b": 3,})"), R"({"a": [1, 2 ], "b": 3 })");
  EXPECT_EQ(BlankTrailingCommas("[1,\n  // last\n]"), "[1 \n  // last\n]");
  EXPECT_EQ(BlankTrailingCommas("[1, /* , */ ]"), "[1  /* , */ ]");
  // Inside strings and comments, and between values, commas stay.
  EXPECT_EQ(BlankTrailingCommas(R"(["a,]", "b\",]"])"), R"(["a,]", "b\",]"])");
  EXPECT_EQ(BlankTrailingCommas("[1, // ,]\n 2]"), "[1, // ,]\n 2]");
  // A line comment ends at '\r' (and NUL) as nlohmann reads it: the ']' after it is seen.
  EXPECT_EQ(BlankTrailingCommas("[1, // c\r]"), "[1  // c\r]");
  // Not after a value: left for the parser to report where it is.
  EXPECT_EQ(BlankTrailingCommas("[1,,]"), "[1,,]");
  EXPECT_EQ(BlankTrailingCommas("[,]"), "[,]");
  const std::string parsed = nlohmann::json::parse(BlankTrailingCommas(R"({"x": ["a",],})")).dump();
  EXPECT_EQ(parsed, R"({"x":["a"]})");
}

}  // namespace
}  // namespace iree_suite
