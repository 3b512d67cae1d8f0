// `update-xfails`: brings the expected_compile_failures and
// expected_run_failures lists of operator-suite configs in line with a run's
// results.json, editing only those two arrays' text.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "results/results_json.h"
#include "suite/config_text_edit.h"

namespace iree_suite {

// The step a result failed at: the recorded one, else (results written before
// "failed_step" existed) inferred from a failure's reason text, where the
// runner's compile failures start with "iree-compile" (after
// kExpectedFailurePrefix).
Step FailedStepOf(const TestResult& result);

struct XfailListChange {
  std::string field;  // "expected_compile_failures" or "expected_run_failures"
  std::vector<std::string> added;
  std::vector<std::string> removed;
};

struct XfailEdit {
  std::filesystem::path file;
  std::string new_text;
  std::vector<XfailListChange> changes;
};

struct XfailUpdatePlan {
  std::vector<XfailEdit> edits;     // only configs whose text changes
  std::vector<std::string> errors;  // "<file>: <what>"; that config is left alone
};

XfailUpdatePlan PlanXfailUpdates(const ResultsFile& results,
                                 const std::vector<std::filesystem::path>& config_files);

// "<file>\n  <field>: + folder\n  <field>: - folder\n" per edit.
std::string RenderXfailPlan(const XfailUpdatePlan& plan);

// Writes every edit atomically; stops at the first that fails.
[[nodiscard]] Status ApplyXfailPlan(const XfailUpdatePlan& plan);

}  // namespace iree_suite
