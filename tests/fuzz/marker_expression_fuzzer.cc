// `-m` / `-k` expressions: any text parses or fails with a located message, and a parsed
// expression evaluates consistently (the marker matcher agrees with Evaluate, `not (e)` is !e).
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "suite/marker_expression.h"

using iree_suite::MarkerExpression;
using iree_suite::fuzz::Check;

namespace {

void CheckParsed(const MarkerExpression& expression, const std::string& text) {
  Check(expression.text() == text, "text() is the parsed text");
  const std::vector<std::string>& identifiers = expression.identifiers();
  for (const std::string& identifier : identifiers)
    Check(!identifier.empty(), "no empty identifier");
  const bool all_true = expression.Evaluate([](std::string_view) { return true; });
  const bool all_false = expression.Evaluate([](std::string_view) { return false; });
  Check(expression.MatchesMarkers(identifiers) == all_true, "-m with every identifier set", text);
  Check(expression.MatchesMarkers({}) == all_false, "-m with no marker", text);
  expression.MatchesKeywords(text, identifiers);

  if (text.find_first_not_of(" \t") == std::string::npos) return;  // blank: matches all
  iree_suite::Result<MarkerExpression> negated = MarkerExpression::Parse("not (" + text + ")");
  if (!negated) return;  // the parentheses may pass the nesting limit
  Check(negated->MatchesMarkers(identifiers) == !all_true, "not (e) negates e", text);
  Check(negated->MatchesMarkers({}) == !all_false, "not (e) negates e", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = iree_suite::fuzz::InputText(data, size);
  iree_suite::fuzz::NoExceptionEscapes([&] {
    iree_suite::Result<MarkerExpression> expression = MarkerExpression::Parse(text);
    if (!expression) {
      const std::string& error = expression.error();
      Check(error.rfind("at column ", 0) == 0, "a syntax error names its column", error);
      return;
    }
    CheckParsed(*expression, text);
  });
  return 0;
}
