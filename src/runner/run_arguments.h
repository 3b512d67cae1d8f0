// Turns a test's weights, argspecs and run_args into the flags that
// iree-run-module / iree-benchmark-module receive, in the reference order:
// --parameters, --input, --output, --expected_output, then run_args verbatim.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "suite/test_definition.h"

namespace iree_suite {

// Maps an argspec/weight "url" to a local file.
using SourceResolver = std::function<Result<std::filesystem::path>(const std::string& url)>;

// "<value>=@<path>", "<value>" or "@<path>".
std::string ComposeArgSpec(const ArgSpec& spec, const std::optional<std::filesystem::path>& path);

struct ScopedParameters {
  std::string scope;
  std::filesystem::path path;
};

// Returns the flags, or an error naming the JSON field at fault.
Result<std::vector<std::string>> BuildRunFlags(const TestDefinition& test,
                                               const std::vector<ScopedParameters>& weights,
                                               const SourceResolver& resolve);

}  // namespace iree_suite
