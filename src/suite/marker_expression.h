// pytest's `-m` / `-k` match expressions (`_pytest/mark/expression.py`), compiled once to a
// small tree so that selecting thousands of tests never reparses.
//
//   expression := expr? EOF
//   expr       := and_expr ('or' and_expr)*
//   and_expr   := not_expr ('and' not_expr)*
//   not_expr   := 'not' not_expr | '(' expr ')' | ident kwargs?
//   ident      := (word character | : + - . [ ] \ /)+
//   kwargs     := '(' name '=' value (',' name '=' value)* ')'
//
// `True`, `False`, `None`, `if`... are ordinary identifiers, as in pytest. The kwargs form
// (`mark(key="v")`) is accepted for pytest compatibility; iree-suite markers carry no
// arguments, so it never matches (what pytest's mark matcher does for argument-less marks).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace iree_suite {

class MarkerExpression {
 public:
  // An error on a syntax error, in pytest's words with a 1-based column counted in
  // characters, e.g. "at column 3: expected end of input; got identifier".
  static Result<MarkerExpression> Parse(std::string_view text);

  // Evaluates with `ident_is_true(name)` deciding each identifier. The empty expression
  // matches everything and one of only blanks nothing (pytest's -m ' ' selects no test);
  // `name(key=value)` terms are false without consulting it.
  bool Evaluate(const std::function<bool(std::string_view)>& ident_is_true) const;

  // -m: an identifier is true iff it equals one of the markers.
  bool MatchesMarkers(const std::vector<std::string>& markers) const;

  // -k: an identifier is true iff it is a case-insensitive substring of `name` or of one of
  // `markers` (pytest's KeywordMatcher also matches marker names by substring). Blanks
  // match everything: pytest strips -k.
  bool MatchesKeywords(std::string_view name, const std::vector<std::string>& markers) const;

  const std::string& text() const { return text_; }

  // Whether some term uses `name(key=value)`: pytest's -k refuses those ("Keyword
  // expressions do not support call parameters."), so the -k caller should too.
  bool has_call_arguments() const { return has_call_arguments_; }

  // The distinct identifiers the expression tests, in order of first appearance; what
  // pytest's --strict-markers validates against the registered markers.
  const std::vector<std::string>& identifiers() const { return identifiers_; }

 private:
  friend class MarkerExpressionParser;

  struct Node {
    enum class Kind { kIdent, kCall, kNot, kAnd, kOr };
    Kind kind = Kind::kIdent;
    std::string ident;  // kIdent, kCall
    int lhs = -1;       // kNot's operand; kAnd / kOr's left side
    int rhs = -1;       // kAnd / kOr's right side
  };

  bool EvaluateNode(int index, const std::function<bool(std::string_view)>& ident_is_true) const;

  std::string text_;
  std::vector<Node> nodes_;
  int root_ = -1;  // -1: the expression is empty
  bool has_call_arguments_ = false;
  std::vector<std::string> identifiers_;
};

}  // namespace iree_suite
