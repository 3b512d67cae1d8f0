#include "suite/marker_expression.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace iree_suite {
namespace {

// Parses `text`, failing the test on a syntax error.
MarkerExpression MustParse(std::string_view text) {
  Result<MarkerExpression> expression = MarkerExpression::Parse(text);
  EXPECT_TRUE(expression) << text << ": " << expression.error();
  return expression ? *expression : *MarkerExpression::Parse("");
}

// The error message for `text`, or "" when it parses.
std::string ParseError(std::string_view text) {
  Result<MarkerExpression> expression = MarkerExpression::Parse(text);
  return expression ? "" : expression.error();
}

bool Marks(std::string_view text, const std::vector<std::string>& markers) {
  return MustParse(text).MatchesMarkers(markers);
}

TEST(MarkerExpressionTest, AndBindsTighterThanOr) {
  // a or (b and c)
  EXPECT_TRUE(Marks("a or b and c", {"a"}));
  EXPECT_FALSE(Marks("a or b and c", {"b"}));
  EXPECT_TRUE(Marks("a or b and c", {"b", "c"}));
  EXPECT_FALSE(Marks("a or b and c", {"c"}));
}

TEST(MarkerExpressionTest, NotBindsTighterThanAnd) {
  // (not a) and b
  EXPECT_TRUE(Marks("not a and b", {"b"}));
  EXPECT_FALSE(Marks("not a and b", {"a", "b"}));
  EXPECT_FALSE(Marks("not a and b", {}));
  EXPECT_TRUE(Marks("not not a", {"a"}));
  EXPECT_FALSE(Marks("not not a", {}));
  EXPECT_TRUE(Marks("not not not a", {}));
}

TEST(MarkerExpressionTest, ParenthesesGroup) {
  EXPECT_FALSE(Marks("(a or b) and c", {"a"}));
  EXPECT_TRUE(Marks("(a or b) and c", {"b", "c"}));
  EXPECT_TRUE(Marks("not (a and b)", {"a"}));
  EXPECT_FALSE(Marks("not (a and b)", {"a", "b"}));
  EXPECT_TRUE(Marks("((a))", {"a"}));
  EXPECT_TRUE(Marks("\t(a)or(b)", {"b"}));
}

TEST(MarkerExpressionTest, OddIdentifiers) {
  EXPECT_TRUE(Marks("llvm-cpu", {"llvm-cpu"}));
  EXPECT_FALSE(Marks("llvm-cpu", {"llvm"}));
  EXPECT_TRUE(Marks("gfx1201", {"gfx1201"}));
  EXPECT_TRUE(Marks("hip and not gfx1201", {"hip", "gfx942"}));
  EXPECT_FALSE(Marks("hip and not gfx1201", {"hip", "gfx1201"}));
  EXPECT_TRUE(Marks("x.y:z+w[0]/q", {"x.y:z+w[0]/q"}));
  EXPECT_TRUE(Marks(R"(a\b)", {R"(a\b)"}));
  // Keywords only as whole words; pytest also takes Python's constants as identifiers.
  EXPECT_TRUE(Marks("notandor", {"notandor"}));
  EXPECT_TRUE(Marks("android", {"android"}));
  EXPECT_TRUE(Marks("True", {"True"}));
  EXPECT_FALSE(Marks("True", {}));
  EXPECT_TRUE(Marks("None or False", {"False"}));
  EXPECT_TRUE(Marks("אבגד", {"אבגד"}));
}

TEST(MarkerExpressionTest, KeywordsAreCaseSensitive) {
  EXPECT_EQ(ParseError("a AND"), "at column 3: expected end of input; got identifier");
  EXPECT_TRUE(Marks("NOT", {"NOT"}));
}

TEST(MarkerExpressionTest, EmptyExpressionMatchesEverything) {
  EXPECT_TRUE(Marks("", {}));
  EXPECT_TRUE(Marks("", {"a"}));
  // pytest strips -k, so blanks are no filter there.
  EXPECT_TRUE(MustParse(" ").MatchesKeywords("x", {}));
}

TEST(MarkerExpressionTest, BlankMarkerExpressionMatchesNothingAsInPytest) {
  // pytest's -m is not stripped: "  " compiles to an empty expression, which is false.
  EXPECT_FALSE(Marks(" ", {}));
  EXPECT_FALSE(Marks("  \t ", {"a"}));
}

TEST(MarkerExpressionTest, SyntaxErrorsNameTheColumn) {
  EXPECT_EQ(ParseError("(a"), "at column 3: expected right parenthesis; got end of input");
  EXPECT_EQ(ParseError("a)"), "at column 2: expected end of input; got right parenthesis");
  EXPECT_EQ(ParseError("a or "),
            "at column 6: expected not OR left parenthesis OR identifier; got end of input");
  EXPECT_EQ(ParseError("not"),
            "at column 4: expected not OR left parenthesis OR identifier; got end of input");
  EXPECT_EQ(ParseError("and a"),
            "at column 1: expected not OR left parenthesis OR identifier; got and");
  EXPECT_EQ(ParseError("a b"), "at column 3: expected end of input; got identifier");
  EXPECT_EQ(ParseError("()"),
            "at column 2: expected not OR left parenthesis OR identifier; got right parenthesis");
  EXPECT_EQ(ParseError("@"), "at column 1: unexpected character \"@\"");
  EXPECT_EQ(ParseError("a and ~b"), "at column 7: unexpected character \"~\"");
  EXPECT_EQ(ParseError("a == b"), "at column 3: expected end of input; got =");
  EXPECT_EQ(ParseError("a or 'b"), "at column 6: closing quote \"'\" is missing");
  // Columns count characters, not UTF-8 bytes.
  EXPECT_EQ(ParseError("é ←"), "at column 3: unexpected character \"←\"");
  // A syntax error wins over a bad character further right, as in pytest's lazy lexer.
  EXPECT_EQ(ParseError(") @"),
            "at column 1: expected not OR left parenthesis OR identifier; got right parenthesis");
}

TEST(MarkerExpressionTest, CallArgumentsParseButNeverMatchArgumentlessMarkers) {
  MarkerExpression expression = MustParse("a or b(k='v', n=-1, t=True)");
  EXPECT_TRUE(expression.has_call_arguments());
  EXPECT_FALSE(expression.MatchesMarkers({"b"}));
  EXPECT_TRUE(expression.MatchesMarkers({"a"}));
  EXPECT_FALSE(MustParse("a").has_call_arguments());
  EXPECT_EQ(ParseError("b(if=1)"), "at column 3: unexpected reserved python keyword `if`");
  EXPECT_EQ(ParseError("b(k=v)"), "at column 5: unexpected character/s \"v\"");
  EXPECT_EQ(ParseError("b(x)"), "at column 4: expected =; got right parenthesis");
}

TEST(MarkerExpressionTest, KeywordsMatchCaseInsensitiveSubstrings) {
  const std::string name = "sdxl/clip_Quality_CPU.json";
  EXPECT_TRUE(MustParse("clip").MatchesKeywords(name, {}));
  EXPECT_TRUE(MustParse("quality_cpu").MatchesKeywords(name, {}));
  EXPECT_TRUE(MustParse("SDXL and not vae").MatchesKeywords(name, {}));
  EXPECT_FALSE(MustParse("unet").MatchesKeywords(name, {}));
  // Markers count too, also by substring (pytest's KeywordMatcher).
  EXPECT_TRUE(MustParse("benchmark").MatchesKeywords(name, {"benchmark"}));
  EXPECT_TRUE(MustParse("BENCH").MatchesKeywords(name, {"benchmark"}));
  EXPECT_FALSE(MustParse("compstat").MatchesKeywords(name, {"benchmark"}));
}

TEST(MarkerExpressionTest, KeepsTextAndIdentifiers) {
  MarkerExpression expression = MustParse("a and (b or not a)");
  EXPECT_EQ(expression.text(), "a and (b or not a)");
  EXPECT_EQ(expression.identifiers(), (std::vector<std::string>{"a", "b"}));
  int calls = 0;
  // Short-circuits: the right side of a satisfied `or` is never asked.
  EXPECT_TRUE(MustParse("a or b").Evaluate([&](std::string_view) { return ++calls > 0; }));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace iree_suite
