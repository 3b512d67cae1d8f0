#include "checks/config_golden_update.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "suite/op_suite_loader.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;
constexpr const char* kField = "golden_times_ms";

// The changes of one config's golden_times_ms text; appends to `plan`.
void PlanOneConfig(const ResultsFile& results, const fs::path& file, const GoldenPolicy& policy,
                   GoldenUpdatePlan* plan) {
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
  std::optional<OpSuiteConfig> config = ReadOpSuiteConfig(file, &errors, &warnings);
  std::string text;
  std::string error;
  if (!config || !ReadSmallFile(file, &text, &error)) {
    for (const Diagnostic& diagnostic : errors) plan->errors.push_back(diagnostic.ToString());
    if (!error.empty()) plan->errors.push_back(error);
    return;
  }
  std::optional<TextSpan> goldens = FindTopLevelValue(text, kField, &error);
  if (!error.empty()) {
    plan->errors.push_back(fmt::format("{}: {}", file.string(), error));
    return;
  }
  const std::string_view object =
      goldens ? std::string_view(text).substr(goldens->offset, goldens->length) : "";
  const std::string suffix = "::" + config->name;
  std::map<size_t, std::pair<TextSpan, std::string>, std::greater<>> replacements;
  for (const TestResult& result : results.tests) {
    const std::string& id = result.test->id;
    std::optional<double> min_ms = result.current_time_ms;
    if (result.test->kind != TestKind::kBenchmark || result.outcome == Outcome::kSkipped ||
        !min_ms || id.size() <= suffix.size() || !id.ends_with(suffix)) {
      continue;
    }
    const std::string name = id.substr(0, id.size() - suffix.size());
    const std::string new_text = FormatGoldenNumber(NewGoldenTimeMs(*min_ms, policy.time_factor));
    std::optional<TextSpan> span = goldens ? FindTopLevelNumber(object, name) : std::nullopt;
    if (!span) {
      plan->missing.push_back({id, fmt::format("{}.{}", kField, name), new_text});
      continue;
    }
    const std::string old_text(object.substr(span->offset, span->length));
    const nlohmann::json old_json = nlohmann::json::parse(old_text, nullptr, false);
    if (!old_json.is_number()) {
      plan->errors.push_back(
          fmt::format("{}: {}.{}: not a number: {}", file.string(), kField, name, old_text));
      continue;
    }
    const double old_value = old_json.get<double>();
    const double new_value = std::stod(new_text);
    if (new_value == old_value) continue;
    const bool allowed =
        policy.direction == GoldenPolicy::Direction::kBoth ||
        (policy.direction == GoldenPolicy::Direction::kOnlyTighten ? new_value < old_value
                                                                   : new_value > old_value);
    plan->changes.push_back(
        {id, file, fmt::format("{}.{}", kField, name), old_text, new_text, !allowed});
    if (allowed) {
      replacements[goldens->offset + span->offset] = {
          {goldens->offset + span->offset, span->length}, new_text};
    }
  }
  if (replacements.empty()) return;
  for (const auto& [offset, replacement] : replacements) {  // from the back: offsets stay valid
    text.replace(offset, replacement.first.length, replacement.second);
  }
  plan->edits.push_back({file, std::move(text)});
}

}  // namespace

GoldenUpdatePlan PlanConfigGoldenUpdates(const ResultsFile& results,
                                         const std::vector<fs::path>& config_files,
                                         const GoldenPolicy& policy) {
  GoldenUpdatePlan plan;
  for (const fs::path& file : config_files) PlanOneConfig(results, file, policy, &plan);
  return plan;
}

}  // namespace iree_suite
