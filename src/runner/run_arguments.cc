#include "runner/run_arguments.h"

#include <fmt/format.h>

namespace iree_suite {

std::string ComposeArgSpec(const ArgSpec& spec, const std::optional<std::filesystem::path>& path) {
  std::string arg = spec.value.value_or("");
  if (path) arg += (spec.value ? "=@" : "@") + path->string();
  return arg;
}

Result<std::vector<std::string>> BuildRunFlags(const TestDefinition& test,
                                               const std::vector<ScopedParameters>& weights,
                                               const SourceResolver& resolve) {
  std::vector<std::string> flags;
  for (const ScopedParameters& weight : weights) {
    flags.push_back(fmt::format("--parameters={}={}", weight.scope, weight.path.string()));
  }
  const std::pair<const char*, const std::vector<ArgSpec>*> groups[] = {
      {"inputs", &test.inputs},
      {"outputs", &test.outputs},
      {"expected_outputs", &test.expected_outputs}};
  const char* flag_names[] = {"--input=", "--output=", "--expected_output="};
  for (size_t g = 0; g < std::size(groups); ++g) {
    const auto& [field, specs] = groups[g];
    for (size_t i = 0; i < specs->size(); ++i) {
      const ArgSpec& spec = (*specs)[i];
      std::optional<std::filesystem::path> path;
      if (spec.url) {
        Result<std::filesystem::path> resolved = resolve(*spec.url);
        if (!resolved) return Error{fmt::format("{}[{}].url: {}", field, i, resolved.error())};
        path = *resolved;
      }
      flags.push_back(flag_names[g] + ComposeArgSpec(spec, path));
    }
  }
  flags.insert(flags.end(), test.run_args.begin(), test.run_args.end());
  return flags;
}

}  // namespace iree_suite
