// From a results.json (written by a run, or archived by CI and imported
// later) to the history's record of that run.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "base/result.h"
#include "history/history_store.h"
#include "results/results_json.h"

namespace iree_suite {

// The run's identity: context.run_id when the file has one, else a SHA-256
// of its context and entries, so an old file imported twice is one run.
std::string RunKeyOf(const ResultsFile& file);

// Fills every field of the record from the file's context (host, CPU, load,
// tool versions and the compiler commit, suite commit, CI variables, -m,
// shard) and entries (outcomes, samples and their statistics, compstat
// counts, goldens). Fails ("<source>: context.<field>: ...") when the
// context lacks a start time.
Result<HistoryRunRecord> RunRecordFromResults(const ResultsFile& file, const std::string& source);

// The CI variables worth keeping that are set in the environment
// (GITHUB_SHA, GITHUB_REF, GITHUB_RUN_ID, ... and GitLab's / Buildkite's).
std::map<std::string, std::string> CollectCiVariables(
    const std::function<const char*(const char*)>& getenv);

// The pull request a CI ref or variable names: "refs/pull/123/merge" -> "123".
std::string PullRequestNumber(const std::map<std::string, std::string>& ci);

// 32 random hex digits.
std::string NewRunId();

// "3.13.0rc20261016 @ 89ece87b..." -> {"3.13.0rc20261016", "89ece87b..."}.
std::pair<std::string, std::string> SplitCompilerVersion(const std::string& version);

}  // namespace iree_suite
