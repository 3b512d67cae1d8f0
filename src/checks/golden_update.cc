#include "checks/golden_update.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "results/benchmark_stats.h"
#include "suite/json_file.h"

namespace iree_suite {
namespace {

// Just enough of a JSON tokenizer to walk the top-level object's members and
// skip over values: strings (with escapes), nested containers and scalars.
class TopLevelScanner {
 public:
  explicit TopLevelScanner(std::string_view text) : text_(text) {}

  // Calls `visit(key_raw, value_span)` for each top-level member. Returns an
  // error message, empty on success.
  template <typename Visit>
  std::string ForEachMember(Visit visit) {
    // A UTF-8 byte order mark is not part of the JSON.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    SkipWhitespace();
    if (!Consume('{')) return Error("expected '{' at the start");
    SkipWhitespace();
    if (Consume('}')) return "";
    while (true) {
      SkipWhitespace();
      size_t key_begin = pos_;
      if (!SkipString()) return Error("expected a quoted key");
      std::string_view key = text_.substr(key_begin + 1, pos_ - key_begin - 2);
      SkipWhitespace();
      if (!Consume(':')) return Error("expected ':'");
      SkipWhitespace();
      size_t value_begin = pos_;
      if (!SkipValue()) return Error("expected a value");
      visit(key, TextSpan{value_begin, pos_ - value_begin});
      SkipWhitespace();
      if (Consume(',')) continue;
      if (Consume('}')) return "";
      return Error("expected ',' or '}'");
    }
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  bool Consume(char c) {
    if (AtEnd() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  void SkipWhitespace() {
    while (!AtEnd() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
                        text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool SkipString() {
    if (!Consume('"')) return false;
    while (!AtEnd()) {
      char c = text_[pos_++];
      if (c == '\\') {
        ++pos_;  // the escaped character, e.g. \" which must not end the string
      } else if (c == '"') {
        return true;
      }
    }
    return false;
  }
  bool SkipValue() {
    if (AtEnd()) return false;
    char c = text_[pos_];
    if (c == '"') return SkipString();
    if (c == '{' || c == '[') return SkipContainer();
    size_t begin = pos_;
    while (!AtEnd() && std::string_view(",}] \t\r\n").find(text_[pos_]) == std::string_view::npos) {
      ++pos_;
    }
    return pos_ > begin;
  }
  bool SkipContainer() {
    int depth = 0;
    while (!AtEnd()) {
      char c = text_[pos_];
      if (c == '"') {
        if (!SkipString()) return false;
        continue;
      }
      ++pos_;
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return true;
    }
    return false;
  }
  std::string Error(const std::string& what) const {
    return fmt::format("{} at byte {}", what, pos_);
  }

  std::string_view text_;
  size_t pos_ = 0;
};

bool IsNumberText(std::string_view text) {
  return !text.empty() && (text[0] == '-' || (text[0] >= '0' && text[0] <= '9'));
}

// The value of a JSON number token; nullopt for anything else (including a
// number too large for a double).
std::optional<double> ParseNumberText(const std::string& text) {
  JsonParseError error;
  std::optional<nlohmann::json> value = ParseJsonText(text, &error);
  if (!value || !value->is_number()) return std::nullopt;
  return value->get<double>();
}

bool PolicyAllows(GoldenPolicy::Direction direction, double old_value, double new_value) {
  switch (direction) {
    case GoldenPolicy::Direction::kOnlyTighten:
      return new_value < old_value;
    case GoldenPolicy::Direction::kOnlyLoosen:
      return new_value > old_value;
    case GoldenPolicy::Direction::kBoth:
      return true;
  }
  return true;
}

}  // namespace

namespace {

// Decimal rounding of goldens: they are written with at most 3 decimals. The
// tiny offset keeps a value already on the grid (0.043 read as 0.04300000001)
// from moving up a step.
double RoundMs(double ms) { return std::round(ms * 1000.0) / 1000.0; }
double RoundUpMs(double ms) { return std::ceil(ms * 1000.0 - 1e-6) / 1000.0; }

constexpr int64_t kLargestGolden = std::numeric_limits<int64_t>::max();

// a + b for a, b >= 0, saturating rather than overflowing (a size from a damaged results
// file, a huge --size-headroom or --dispatch-slack).
int64_t SaturatingAdd(int64_t a, int64_t b) {
  return a > kLargestGolden - b ? kLargestGolden : a + b;
}

// value + ceil(value x headroom): any headroom above 0 adds at least 1.
int64_t WithHeadroom(int64_t value, double headroom) {
  if (value <= 0 || headroom <= 0) return value;
  // The offset keeps 20 x 0.05 (1.0000000000000002) from becoming 2.
  const double extra = std::ceil(static_cast<double>(value) * headroom - 1e-9);
  // 2^63 as a double: the first value that no longer converts.
  if (!(extra < static_cast<double>(kLargestGolden))) return kLargestGolden;
  return SaturatingAdd(value, static_cast<int64_t>(extra));
}

// Rounded up to a multiple of `step` (step >= 1); `value` itself when no such multiple fits.
int64_t RoundUpTo(int64_t value, int64_t step) {
  if (value > kLargestGolden - (step - 1)) return value;
  return (value + step - 1) / step * step;
}

// The step that rounds `value` to 3 significant digits: 15003 -> 100 (15100), 999 -> 1.
int64_t ThreeDigitStep(int64_t value) {
  int64_t step = 1;
  while (value / step >= 1000) step *= 10;
  return step;
}

std::string HeadroomText(double headroom) { return fmt::format("{:g}%", headroom * 100); }

// An integer golden: exact in `integer`, approximately in `value`.
GoldenValue IntegerGolden(int64_t golden, std::string reason) {
  return {static_cast<double>(golden), std::move(reason), golden};
}

}  // namespace

GoldenValue ProposeGoldenTimeMs(const TestResult& result, double time_factor) {
  const double min_ms = *result.current_time_ms;
  const double scaled = RoundMs(min_ms * time_factor);
  // Every measurement of this run: the judged attempt's repetitions, and the
  // minimum of each attempt when it was retried.
  std::vector<double> samples = result.benchmark_samples_ms;
  if (result.benchmark_attempts_ms.size() > 1) {
    samples.insert(samples.end(), result.benchmark_attempts_ms.begin(),
                   result.benchmark_attempts_ms.end());
  }
  if (samples.empty()) return {scaled, fmt::format("min x {:g}", time_factor)};
  const BenchmarkStats stats = ComputeStats(samples);
  const std::string counted =
      result.benchmark_attempts_ms.size() > 1
          ? fmt::format("{} samples and {} attempts", result.benchmark_samples_ms.size(),
                        result.benchmark_attempts_ms.size())
          : fmt::format("{} sample{}", stats.count, stats.count == 1 ? "" : "s");
  // Spread: how much slower the slowest sample is than the fastest.
  const std::string spread =
      stats.count > 1 && stats.min > 0
          ? fmt::format(", spread {:.0f}%", 100 * (stats.max - stats.min) / stats.min)
          : "";
  const double floor = RoundUpMs(stats.max);
  if (floor > scaled) {
    return {floor, fmt::format("max of {}{}; min x {:g} would be {}", counted, spread, time_factor,
                               FormatGoldenNumber(scaled))};
  }
  return {scaled, fmt::format("min of {} x {:g}{}", counted, time_factor, spread)};
}

GoldenValue ProposeGoldenDispatchCount(int64_t dispatch_count, const GoldenPolicy& policy) {
  const int64_t golden =
      SaturatingAdd(WithHeadroom(dispatch_count, policy.size_headroom), policy.dispatch_slack);
  std::string reason = fmt::format("{} + {} headroom, rounded up", dispatch_count,
                                   HeadroomText(policy.size_headroom));
  if (policy.dispatch_slack > 0) reason += fmt::format(", + {} slack", policy.dispatch_slack);
  return IntegerGolden(golden, std::move(reason));
}

GoldenValue ProposeGoldenBinarySize(int64_t binary_size, const GoldenPolicy& policy) {
  const int64_t with_headroom = WithHeadroom(binary_size, policy.size_headroom);
  const std::string added =
      fmt::format("{} + {} headroom", binary_size, HeadroomText(policy.size_headroom));
  if (policy.size_round == 1) return IntegerGolden(with_headroom, added);
  const int64_t step = policy.size_round > 1 ? policy.size_round : ThreeDigitStep(with_headroom);
  const int64_t rounded = RoundUpTo(with_headroom, step);
  if (rounded % step != 0) return IntegerGolden(rounded, added + ", too large to round up");
  return IntegerGolden(
      rounded, policy.size_round > 1
                   ? fmt::format("{}, rounded up to a multiple of {}", added, policy.size_round)
                   : added + ", rounded up to 3 digits");
}

std::string FormatGoldenNumber(double value) { return fmt::format("{}", value); }

namespace {

// The span of top-level `key`'s value, of any kind; nullopt when absent.
Result<std::optional<TextSpan>> FindTopLevelValue(std::string_view json_text,
                                                  std::string_view key) {
  std::optional<TextSpan> found;
  std::string problem =
      TopLevelScanner(json_text).ForEachMember([&](std::string_view member, TextSpan span) {
        if (member == key) found = span;
      });
  if (!problem.empty()) return Error{problem};
  return found;
}

}  // namespace

Result<std::optional<TextSpan>> FindTopLevelNumber(std::string_view json_text,
                                                   std::string_view key) {
  Result<std::optional<TextSpan>> found = FindTopLevelValue(json_text, key);
  if (found && *found && !IsNumberText(json_text.substr((*found)->offset, (*found)->length))) {
    return std::optional<TextSpan>();
  }
  return found;
}

Result<std::string> RewriteTopLevelNumbers(std::string_view json_text,
                                           const std::vector<FieldUpdate>& updates) {
  // Replace from the back so earlier offsets stay valid.
  std::map<size_t, std::pair<TextSpan, std::string>, std::greater<>> replacements;
  for (const FieldUpdate& update : updates) {
    Result<std::optional<TextSpan>> span = FindTopLevelNumber(json_text, update.field);
    if (!span) return Error{span.error()};
    if (!*span) return Error{fmt::format("no top-level number \"{}\"", update.field)};
    replacements[span->value().offset] = {**span, update.new_text};
  }
  std::string text(json_text);
  for (const auto& [offset, replacement] : replacements) {
    text.replace(offset, replacement.first.length, replacement.second);
  }
  return text;
}

void PlanFieldUpdates(const std::string& test_id, const std::filesystem::path& json_path,
                      const std::vector<FieldUpdate>& proposals, GoldenPolicy::Direction direction,
                      GoldenUpdatePlan* plan_out) {
  GoldenUpdatePlan& plan = *plan_out;
  Result<std::string> read = ReadSmallFile(json_path);
  if (!read) {
    plan.errors.push_back(fmt::format("{}: {}", test_id, read.error()));
    return;
  }
  const std::string& text = *read;
  std::vector<FieldUpdate> applied;
  for (const FieldUpdate& proposal : proposals) {
    Result<std::optional<TextSpan>> found = FindTopLevelNumber(text, proposal.field);
    if (!found) {
      plan.errors.push_back(fmt::format("{}: {}", json_path.string(), found.error()));
      break;
    }
    const std::optional<TextSpan>& span = *found;
    if (!span) {
      plan.missing.push_back({test_id, proposal.field, proposal.new_text, proposal.reason});
      continue;
    }
    std::string old_text = text.substr(span->offset, span->length);
    std::optional<double> old_value = ParseNumberText(old_text);
    std::optional<double> new_value = ParseNumberText(proposal.new_text);
    if (!old_value || !new_value) {
      plan.errors.push_back(fmt::format("{}: {}: not a number: {}", json_path.string(),
                                        proposal.field, old_value ? proposal.new_text : old_text));
      continue;
    }
    if (*new_value == *old_value) continue;
    GoldenChange change{test_id,           json_path,
                        proposal.field,    old_text,
                        proposal.new_text, !PolicyAllows(direction, *old_value, *new_value),
                        proposal.reason};
    if (!change.held_back) applied.push_back(proposal);
    plan.changes.push_back(std::move(change));
  }
  if (applied.empty()) return;
  Result<std::string> rewritten = RewriteTopLevelNumbers(text, applied);
  if (!rewritten) {
    plan.errors.push_back(fmt::format("{}: {}", json_path.string(), rewritten.error()));
    return;
  }
  plan.edits.push_back({json_path, std::move(*rewritten)});
}
namespace {
// (field, proposed text, why) for every measured value of a test.
std::vector<FieldUpdate> ProposeGoldens(const TestResult& result, const GoldenPolicy& policy) {
  std::vector<FieldUpdate> proposals;
  // Counts and sizes are written as integers, as today (never "1e+16").
  auto propose = [&proposals](const char* field, GoldenValue golden) {
    std::string text =
        golden.integer ? std::to_string(*golden.integer) : FormatGoldenNumber(golden.value);
    proposals.push_back({field, std::move(text), std::move(golden.reason)});
  };
  if (result.test->kind == TestKind::kBenchmark) {
    if (result.current_time_ms) {
      propose("golden_time_ms", ProposeGoldenTimeMs(result, policy.time_factor));
    }
  } else if (result.test->kind == TestKind::kCompstat) {
    if (result.dispatch_count) {
      propose("golden_dispatch_count", ProposeGoldenDispatchCount(*result.dispatch_count, policy));
    }
    if (result.binary_size) {
      propose("golden_binary_size", ProposeGoldenBinarySize(*result.binary_size, policy));
    }
  }
  return proposals;
}
}  // namespace

GoldenUpdatePlan PlanGoldenUpdates(const ResultsFile& results,
                                   const std::filesystem::path& test_file_directory,
                                   const GoldenPolicy& policy) {
  GoldenUpdatePlan plan;
  for (const TestResult& result : results.tests) {
    if (result.outcome == Outcome::kSkipped) continue;
    const std::string& id = result.test->id;
    std::vector<FieldUpdate> proposals = ProposeGoldens(result, policy);
    if (proposals.empty()) continue;

    PlanFieldUpdates(id, test_file_directory / id, proposals, policy.direction, &plan);
  }
  return plan;
}

namespace {

// A golden cut to less than half: more often a noisy or broken measurement
// than a real improvement, so it is pointed out before --write.
std::string TighteningWarnings(const GoldenUpdatePlan& plan) {
  constexpr double kWarnRatio = 2;
  std::string out;
  for (const GoldenChange& change : plan.changes) {
    const double old_value = std::strtod(change.old_text.c_str(), nullptr);
    const double new_value = std::strtod(change.new_text.c_str(), nullptr);
    if (change.held_back || !(new_value > 0) || old_value <= kWarnRatio * new_value) continue;
    out += fmt::format(
        "warning: {}: {} {} -> {} tightens it {:.1f}x; check the measurement (its spread, more "
        "repetitions) before --write\n",
        change.test_id, change.field, change.old_text, change.new_text, old_value / new_value);
  }
  return out;
}

// " (why)", or nothing without a reason.
std::string Parenthesized(const std::string& reason) {
  return reason.empty() ? "" : " (" + reason + ")";
}

}  // namespace

std::string RenderGoldenPlan(const GoldenUpdatePlan& plan) {
  std::string out;
  if (plan.changes.empty()) out += "no golden changes\n";
  for (const GoldenChange& change : plan.changes) {
    out += fmt::format("{} | {} | {} -> {}{}{}\n", change.test_id, change.field, change.old_text,
                       change.new_text, Parenthesized(change.reason),
                       change.held_back ? " (kept by policy)" : "");
  }
  out += TighteningWarnings(plan);
  if (!plan.missing.empty()) {
    out += "\ntests without a golden (add the field to start tracking):\n";
    for (const MissingGolden& missing : plan.missing) {
      out += fmt::format("{} | \"{}\": {}{}\n", missing.test_id, missing.field,
                         missing.suggested_text, Parenthesized(missing.reason));
    }
  }
  return out;
}

Status ApplyGoldenPlan(const GoldenUpdatePlan& plan) {
  for (const GoldenFileEdit& edit : plan.edits) {
    if (Status written = WriteFileAtomically(edit.path, edit.contents); !written) return written;
  }
  return {};
}

}  // namespace iree_suite
