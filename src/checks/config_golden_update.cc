#include "checks/config_golden_update.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "suite/config_text_edit.h"
#include "suite/op_suite_loader.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;
constexpr const char* kField = "golden_times_ms";

// The golden_times_ms object of one config's text.
struct GoldensObject {
  const fs::path& file;
  std::string_view object;  // "" when the config has none
  size_t offset = 0;        // of `object` in the file's text
};

// The name of a measured benchmark of config `config_name`, else nullopt.
std::optional<std::string> MeasuredBenchmarkName(const TestResult& result,
                                                 const std::string& config_name) {
  const std::string& id = result.test->id;
  const std::string suffix = "::" + config_name;
  if (result.test->kind != TestKind::kBenchmark || result.outcome == Outcome::kSkipped ||
      !result.current_time_ms || id.size() <= suffix.size() || !id.ends_with(suffix)) {
    return std::nullopt;
  }
  return id.substr(0, id.size() - suffix.size());
}

// Plans the new golden of benchmark `name`; returns the replacement of its
// number's text (offset in the file -> length, text) when it is to be written.
std::optional<std::pair<size_t, std::pair<size_t, std::string>>> PlanOneGolden(
    const TestResult& result, const std::string& name, const GoldensObject& goldens,
    const GoldenPolicy& policy, GoldenUpdatePlan* plan) {
  const std::string& id = result.test->id;
  const std::string field = fmt::format("{}.{}", kField, name);
  const GoldenValue golden_value = ProposeGoldenTimeMs(result, policy.time_factor);
  const std::string new_text = FormatGoldenNumber(golden_value.value);
  Result<std::optional<ConfigMember>> found = goldens.object.empty()
                                                  ? std::optional<ConfigMember>()
                                                  : FindConfigMember(goldens.object, name);
  if (!found) {
    plan->errors.push_back(fmt::format("{}: {}: {}", goldens.file.string(), kField, found.error()));
    return std::nullopt;
  }
  const std::optional<ConfigMember>& golden = *found;
  if (!golden) {
    plan->missing.push_back({id, field, new_text, golden_value.reason});
    return std::nullopt;
  }
  const size_t length = golden->value_end - golden->value_begin;
  const std::string old_text(goldens.object.substr(golden->value_begin, length));
  const nlohmann::json old_json = nlohmann::json::parse(old_text, nullptr, false);
  if (!old_json.is_number()) {
    plan->errors.push_back(
        fmt::format("{}: {}: not a number: {}", goldens.file.string(), field, old_text));
    return std::nullopt;
  }
  const double old_value = old_json.get<double>();
  const double new_value = std::stod(new_text);
  if (new_value == old_value) return std::nullopt;
  const bool allowed =
      policy.direction == GoldenPolicy::Direction::kBoth ||
      (policy.direction == GoldenPolicy::Direction::kOnlyTighten ? new_value < old_value
                                                                 : new_value > old_value);
  plan->changes.push_back(
      {id, goldens.file, field, old_text, new_text, !allowed, golden_value.reason});
  if (!allowed) return std::nullopt;
  return std::pair{goldens.offset + golden->value_begin, std::pair{length, new_text}};
}

// The changes of one config's golden_times_ms text; appends to `plan`.
void PlanOneConfig(const ResultsFile& results, const fs::path& file, const GoldenPolicy& policy,
                   GoldenUpdatePlan* plan) {
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
  std::optional<OpSuiteConfig> config = ReadOpSuiteConfig(file, &errors, &warnings);
  Result<std::string> read = config ? ReadSmallFile(file) : Error{};
  if (!read) {
    for (const Diagnostic& diagnostic : errors) plan->errors.push_back(diagnostic.ToString());
    if (!read.error().empty()) plan->errors.push_back(read.error());
    return;
  }
  std::string text = std::move(*read);
  // Configs are JSON with comments and trailing commas, as the loader reads
  // them: every byte but the numbers' stays.
  Result<std::optional<ConfigMember>> found = FindConfigMember(text, kField);
  if (!found) {
    plan->errors.push_back(fmt::format("{}: {}", file.string(), found.error()));
    return;
  }
  const std::optional<ConfigMember>& member = *found;
  GoldensObject goldens{file, "", 0};
  if (member) {
    goldens.offset = member->value_begin;
    goldens.object =
        std::string_view(text).substr(member->value_begin, member->value_end - member->value_begin);
  }
  std::map<size_t, std::pair<size_t, std::string>, std::greater<>> replacements;
  for (const TestResult& result : results.tests) {
    std::optional<std::string> name = MeasuredBenchmarkName(result, config->name);
    if (!name) continue;
    if (auto replacement = PlanOneGolden(result, *name, goldens, policy, plan)) {
      replacements.insert(*replacement);
    }
  }
  if (replacements.empty()) return;
  for (const auto& [offset, replacement] : replacements) {  // from the back: offsets stay valid
    text.replace(offset, replacement.first, replacement.second);
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
