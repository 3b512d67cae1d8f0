// Combines the results files of a sharded run (each shard's --results-json,
// or each pytest-xdist worker's) into the results of the whole run, from
// which every report is rendered again; and the shards' --trace files into
// one timeline.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "results/results_json.h"

namespace iree_suite {

// One results file to merge and the name its problems are reported under.
struct NamedResults {
  std::string name;  // the file's path
  ResultsFile results;
};

// Merges `parts` into one results file:
// - tests: every part's tests, in part order then file order; when every part
//   is a shard of the same count (context.shard), in id order instead, the
//   order the shards were dealt from. A test id in two parts is an error
//   naming both.
// - context: the first part's (host, suite commit, CI), the union of the
//   tools (by name, in order of appearance) and of the modules, the earliest
//   start time, no shard, and the first non-empty marker expression. A fresh
//   run id when any part has one (the merged file is not any one shard's run).
// When every part is a shard of the same count, a shard that no part is
// ("shard 2 of 3 is missing: its tests are not in the merged reports") goes
// to *warnings. No parts: an empty results file.
Result<ResultsFile> MergeResults(std::vector<NamedResults> parts,
                                 std::vector<std::string>* warnings);

// Reads every file (ReadResultsJson) and merges them as MergeResults does.
Result<ResultsFile> MergeResultsFiles(const std::vector<std::filesystem::path>& files,
                                      std::vector<std::string>* warnings);

// The run's total time as the merged reports show it: the sum of the tests'
// durations (the shards ran on other machines, or at other times).
double TotalTestSeconds(const ResultsFile& results);

// Merges Chrome trace files written by --trace ({"traceEvents": [...]}) into
// one: the events of file i move to process i + 1, whose name says which
// file it came from; each file keeps its own time origin. Returns the JSON
// text, or an error naming the file and what was expected.
Result<std::string> MergeTraceFiles(const std::vector<std::filesystem::path>& files);

}  // namespace iree_suite
