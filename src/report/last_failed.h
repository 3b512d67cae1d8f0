// What --lf reruns: the ids of tests that failed (or errored) in earlier runs
// with the same artifact directory, kept like pytest's cache/lastfailed.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "results/test_result.h"

namespace iree_suite {

// <artifact-directory>/lastfailed.json
std::filesystem::path LastFailedPath(const std::filesystem::path& artifact_directory);

// The recorded ids; empty when the file is missing or unreadable.
std::set<std::string> ReadLastFailed(const std::filesystem::path& artifact_directory);

// Tests that passed leave the set, tests that failed or errored join it,
// tests that did not run keep their state. Written atomically.
[[nodiscard]] Status UpdateLastFailed(const std::filesystem::path& artifact_directory,
                                      const std::vector<TestResult>& results);

}  // namespace iree_suite
