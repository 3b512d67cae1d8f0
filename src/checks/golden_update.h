// `update-goldens`: new golden values from a results.json, written back into
// the test JSONs by replacing only the number's text, so reviewers see a
// one-token diff and every other byte (formatting, comments-free layout,
// field order) stays as its author wrote it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "results/results_json.h"

namespace iree_suite {

// golden_time_ms = min_ms x this, unless --time-factor says otherwise; the
// console's suggested goldens use it too.
inline constexpr double kDefaultGoldenTimeFactor = 1.1;
// golden_binary_size and golden_dispatch_count get this share on top of the
// measured value (--size-headroom): the same MLIR compiled from another path
// differed by up to 1%, and a golden at the exact value fails on that; 5%
// still catches a real growth of 10%.
inline constexpr double kDefaultSizeHeadroom = 0.05;

struct GoldenPolicy {
  enum class Direction { kBoth, kOnlyTighten, kOnlyLoosen };
  // golden_time_ms = round(min_ms * time_factor, 3 decimals), never below the
  // slowest sample (see ProposeGoldenTimeMs)
  double time_factor = kDefaultGoldenTimeFactor;
  Direction direction = Direction::kBoth;
  double size_headroom = kDefaultSizeHeadroom;  // share added to sizes and counts, rounded up
  // golden_binary_size rounded up to a multiple of this; 0: to 3 significant
  // digits (15003 -> 15100), a number a reader takes in at a glance
  int64_t size_round = 0;
  int64_t dispatch_slack = 0;  // added after the headroom
};

// A proposed golden and why it is that value, shown on the proposal line.
struct GoldenValue {
  double value = 0;
  std::string reason;  // "max of 3 samples, spread 58%"
  // Sizes and counts, exactly (a double cannot hold every int64; they are
  // written from this).
  std::optional<int64_t> integer = std::nullopt;
};

// golden_time_ms for a measured benchmark: its minimum (what is judged) x
// time_factor, 3 decimals; but never below the slowest of its repetitions and
// attempts (rounded up to 3 decimals), since a noisy benchmark's next run can
// measure that and must still pass (its threshold adds the tolerance factor on
// top). Without samples: the minimum x time_factor. `result` has
// current_time_ms.
GoldenValue ProposeGoldenTimeMs(const TestResult& result, double time_factor);
// The measured count or size plus the policy's headroom, rounded up (so any
// headroom above 0 adds at least 1), plus the slack / rounded per size_round.
GoldenValue ProposeGoldenDispatchCount(int64_t dispatch_count, const GoldenPolicy& policy);
GoldenValue ProposeGoldenBinarySize(int64_t binary_size, const GoldenPolicy& policy);
// The shortest text that reads back as `value` ("12.346", "10").
std::string FormatGoldenNumber(double value);

// Where a value's text lies in a JSON document.
struct TextSpan {
  size_t offset = 0;
  size_t length = 0;
};

// The span of the value of `key` in the top-level object of `json_text`, when
// that value is a number. Keys of nested objects and key-like text inside
// strings are never matched; with duplicate keys the last wins (as parsers
// do). nullopt when absent or not a number; an error only for malformed text.
Result<std::optional<TextSpan>> FindTopLevelNumber(std::string_view json_text,
                                                   std::string_view key);

// One field whose golden would change.
struct GoldenChange {
  std::string test_id;
  std::filesystem::path json_path;
  std::string field;  // "golden_time_ms", "golden_dispatch_count", "golden_binary_size"
  std::string old_text;
  std::string new_text;
  bool held_back = false;   // the policy (only tighten/loosen) keeps the old value
  std::string reason = {};  // why new_text: "max of 3 samples, spread 58%"; may be empty
};

// A measured test whose JSON has no golden field: the value it could get.
struct MissingGolden {
  std::string test_id;
  std::string field;
  std::string suggested_text;
  std::string reason = {};
};

// A test JSON with its goldens rewritten.
struct GoldenFileEdit {
  std::filesystem::path path;
  std::string contents;
};

struct GoldenUpdatePlan {
  std::vector<GoldenChange> changes;
  std::vector<MissingGolden> missing;
  std::vector<std::string> errors;    // unreadable or unparsable test JSONs
  std::vector<GoldenFileEdit> edits;  // only files with an applied change
};

// Rewrites the numbers of `fields` in one test JSON's text; pure, for tests.
// Returns the new text, or an error when the text is malformed.
struct FieldUpdate {
  std::string field;
  std::string new_text;
  std::string reason = {};  // shown with the change; may be empty
};
Result<std::string> RewriteTopLevelNumbers(std::string_view json_text,
                                           const std::vector<FieldUpdate>& updates);

// Plans rewriting `proposals` in one test JSON: a field the JSON lacks goes
// to plan->missing, a changed one to plan->changes (held back when
// `direction` forbids it), the rewritten text to plan->edits.
void PlanFieldUpdates(const std::string& test_id, const std::filesystem::path& json_path,
                      const std::vector<FieldUpdate>& proposals, GoldenPolicy::Direction direction,
                      GoldenUpdatePlan* plan);

// Plans the updates for every measured benchmark and compstat test of
// `results` (test id = JSON path relative to `test_file_directory`). Only
// fields the test JSON already has are rewritten; tests without them go to
// `missing` with a suggestion. Tests without measurements are ignored.
GoldenUpdatePlan PlanGoldenUpdates(const ResultsFile& results,
                                   const std::filesystem::path& test_file_directory,
                                   const GoldenPolicy& policy);

// "test | field | old -> new" lines, held-back changes marked, then the tests
// without goldens.
std::string RenderGoldenPlan(const GoldenUpdatePlan& plan);

// Writes every edit atomically; stops at the first that fails.
[[nodiscard]] Status ApplyGoldenPlan(const GoldenUpdatePlan& plan);

}  // namespace iree_suite
