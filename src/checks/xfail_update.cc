#include "checks/xfail_update.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/atomic_file.h"
#include "suite/op_suite_loader.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

// Adds `folder` to `list` (sorted insertion when the list is sorted, else
// appended); returns whether it was missing.
bool AddFolder(std::vector<std::string>* list, const std::string& folder) {
  if (std::find(list->begin(), list->end(), folder) != list->end()) return false;
  if (std::is_sorted(list->begin(), list->end())) {
    list->insert(std::lower_bound(list->begin(), list->end(), folder), folder);
  } else {
    list->push_back(folder);
  }
  return true;
}

bool RemoveFolder(std::vector<std::string>* list, const std::string& folder) {
  auto it = std::find(list->begin(), list->end(), folder);
  if (it == list->end()) return false;
  list->erase(it);
  return true;
}

}  // namespace

Step FailedStepOf(const TestResult& result) {
  // An expected compile failure that compiled but did not run is xpassed.
  if (result.failed_step != Step::kNone) return result.failed_step;
  if (result.outcome != Outcome::kFailed && result.outcome != Outcome::kXFailed) {
    return Step::kNone;
  }
  // Results written before "failed_step" existed: the reason names the tool.
  std::string_view reason = result.reason;
  if (reason.substr(0, kExpectedFailurePrefix.size()) == kExpectedFailurePrefix) {
    reason.remove_prefix(kExpectedFailurePrefix.size());
  }
  return reason.rfind("iree-compile", 0) == 0 ? Step::kCompile : Step::kRun;
}

XfailUpdatePlan PlanXfailUpdates(const ResultsFile& results,
                                 const std::vector<fs::path>& config_files) {
  XfailUpdatePlan plan;
  for (const fs::path& file : config_files) {
    std::vector<Diagnostic> errors;
    std::vector<Diagnostic> warnings;
    std::optional<OpSuiteConfig> config = ReadOpSuiteConfig(file, &errors, &warnings);
    if (!config) {
      for (const Diagnostic& error : errors) plan.errors.push_back(error.ToString());
      continue;
    }
    std::vector<std::string> compile = config->expected_compile_failures;
    std::vector<std::string> run = config->expected_run_failures;
    XfailListChange compile_change{"expected_compile_failures", {}, {}};
    XfailListChange run_change{"expected_run_failures", {}, {}};
    const std::string suffix = "::" + config->name;
    std::vector<const TestResult*> entries;
    for (const TestResult& entry : results.tests) {
      const std::string& id = entry.test->id;
      if (id.size() > suffix.size() &&
          id.compare(id.size() - suffix.size(), suffix.size(), suffix) == 0) {
        entries.push_back(&entry);
      }
    }
    // Sorted, so that appended entries come in a stable order.
    std::sort(entries.begin(), entries.end(),
              [](const TestResult* a, const TestResult* b) { return a->test->id < b->test->id; });
    for (const TestResult* entry : entries) {
      const std::string folder = entry->test->id.substr(0, entry->test->id.size() - suffix.size());
      auto add = [&](std::vector<std::string>* list, XfailListChange* change) {
        if (AddFolder(list, folder)) change->added.push_back(folder);
      };
      auto remove = [&](std::vector<std::string>* list, XfailListChange* change) {
        if (RemoveFolder(list, folder)) change->removed.push_back(folder);
      };
      const bool passed =
          (entry->outcome == Outcome::kPassed || entry->outcome == Outcome::kXPassed) &&
          FailedStepOf(*entry) == Step::kNone;
      if (passed && entry->reason == kCompileOnlyReason) {
        remove(&compile, &compile_change);  // compiled; whether it runs is unknown
      } else if (passed) {
        remove(&compile, &compile_change);
        remove(&run, &run_change);
      } else if (Step step = FailedStepOf(*entry); step == Step::kCompile) {
        add(&compile, &compile_change);
        remove(&run, &run_change);
      } else if (step == Step::kRun) {
        add(&run, &run_change);
        remove(&compile, &compile_change);
      }
      // error / skipped: nothing is known about the test.
    }
    Result<std::string> text = ReadSmallFile(file);
    if (!text) {
      plan.errors.push_back(text.error());
      continue;
    }
    XfailEdit edit{file, *text, {}};
    bool ok = true;
    for (auto& [change, list] : {std::pair{&compile_change, &compile}, {&run_change, &run}}) {
      if (change->added.empty() && change->removed.empty()) continue;
      Result<std::string> updated = ReplaceTopLevelArray(edit.new_text, change->field, *list);
      if (!updated) {
        plan.errors.push_back(fmt::format("{}: {}", file.string(), updated.error()));
        ok = false;
        break;
      }
      edit.new_text = std::move(*updated);
      edit.changes.push_back(*change);
    }
    if (ok && edit.new_text != *text) plan.edits.push_back(std::move(edit));
  }
  return plan;
}

std::string RenderXfailPlan(const XfailUpdatePlan& plan) {
  std::string out;
  for (const XfailEdit& edit : plan.edits) {
    out += edit.file.string() + "\n";
    for (const XfailListChange& change : edit.changes) {
      for (const std::string& folder : change.added) {
        out += fmt::format("  {}: + {}\n", change.field, folder);
      }
      for (const std::string& folder : change.removed) {
        out += fmt::format("  {}: - {}\n", change.field, folder);
      }
    }
  }
  return out;
}

Status ApplyXfailPlan(const XfailUpdatePlan& plan) {
  for (const XfailEdit& edit : plan.edits) {
    if (Status written = WriteFileAtomically(edit.file, edit.new_text); !written) return written;
  }
  return {};
}

}  // namespace iree_suite
