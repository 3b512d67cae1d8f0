// results.json: every measurement of a run with the context needed to trust
// it later (which tools, which host, how loaded, which suite commit). It is
// what `update-goldens`, `update-xfails`, `compare` and `merge-reports` read,
// losslessly: a file read back renders the same reports as the run did.
//
// Schema "iree-suite-results", version 1 (fields are never renamed within a
// version; readers ignore fields they do not know; "output_tail", "repros"
// and "logs" came later and may be missing):
//
//   {
//     "schema": "iree-suite-results",
//     "version": 1,
//     "context": {
//       "iree_suite_version": "0.1.0",
//       "tools": [{"name": "iree-compile", "path": "/...", "version": "3.13.0 @ ..."}],
//       "modules": {"sdxl/modules/clip_cpu": {"mlir": "...", "compiler_flags": ["..."]}},
//       "host_name": "ci-runner-7",
//       "cpu_model": "AMD EPYC 9454 48-Core Processor",  // "" when unknown
//       "core_count": 96,
//       "load_average": [1.5, 1.2, 0.9],                  // 1/5/15 min; null when unknown
//       "start_time": "2025-01-31T12:00:00Z",             // ISO 8601, UTC
//       "suite_git_commit": "0123abcd...",                // null when not a git checkout
//       // Written by runs since the history store; absent in older files:
//       "run_id": "5f0c...",                 // unique per run: the history's identity of it
//       "marker_expression": "cpu",          // the run's -m
//       "shard": {"index": 0, "count": 2},   // null when not sharded
//       "ci": {"GITHUB_SHA": "...", "GITHUB_REF": "refs/pull/7/merge", ...}  // set CI variables
//     },
//     "tests": [{
//       "id": "sdxl/clip_benchmark_cpu.json",
//       "type": "benchmark",                 // "quality" | "benchmark" | "compstat"
//       "markers": ["cpu", "benchmark"],
//       "outcome": "passed",                 // "passed" | "failed" | "error" | "skipped"
//                                            // | "xfailed" | "xpassed" (operator suites)
//       "reason": "",
//       "failed_step": null,                 // "compile" | "run" when a tool failed
//       "duration_s": 12.5,
//       "benchmark": {                       // benchmark tests only
//         "unit": "ms",
//         "samples": [10.1, 10.3, 10.2],     // every repetition, in order
//         "min": 10.1, "median": 10.2, "mean": 10.2,
//         "stddev": 0.1,                     // sample standard deviation (n - 1)
//         "cv": 0.0098,                      // stddev / mean
//         "golden_time_ms": 11.0,            // null when the test has none
//         "tolerance_factor": 1.1,
//         "threshold_ms": 12.1,              // null when the test has no golden
//         "attempts_ms": [10.1]              // each measurement's minimum (retries add more)
//       },                                   // stats are null when there are no samples
//       "compstat": {                        // compstat tests only; nulls when unmeasured
//         "dispatch_count": 12, "binary_size": 4096,
//         "golden_dispatch_count": 12, "golden_binary_size": 5000
//       },
//       "output_tail": "",                   // last lines of the failing tool's output
//       "repros": [{"cwd": "/...", "argv": ["iree-run-module", "..."]}],  // cwd "" when none
//       "logs": ["/.../logs/sdxl_clip_benchmark_cpu.json/benchmark.json"]
//     }]
//   }
#pragma once

#include <deque>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "results/benchmark_stats.h"
#include "results/run_context.h"
#include "results/test_result.h"
#include "suite/test_definition.h"

namespace iree_suite {

inline constexpr const char* kResultsSchemaName = "iree-suite-results";
inline constexpr int kResultsSchemaVersion = 1;

// A results file as read back, or merged from several: the run's context and
// one TestResult per test, in file order. It owns the definitions its results
// point to, holding what results.json records of a test: id, kind, markers,
// golden values and tolerance factor.
class ResultsFile {
 public:
  ResultsFile() = default;
  // Moving keeps the definitions where they are (std::deque), so the
  // results' pointers stay valid; a copy would not.
  ResultsFile(ResultsFile&&) = default;
  ResultsFile& operator=(ResultsFile&&) = default;
  ResultsFile(const ResultsFile&) = delete;
  ResultsFile& operator=(const ResultsFile&) = delete;

  RunContext context;
  std::vector<TestResult> tests;

  // Appends `result` (result.test must be set) with a copy of its definition
  // that this file owns. Returns the stored result.
  TestResult& Add(TestResult result);
  // The result of test `id`, or nullptr.
  const TestResult* Find(const std::string& id) const;

 private:
  std::deque<TestDefinition> definitions_;
};

// The "context" object above.
nlohmann::ordered_json RenderRunContext(const RunContext& context);

// One element of "tests" above (result.test must be set).
nlohmann::ordered_json RenderResultEntry(const TestResult& result);

nlohmann::ordered_json RenderResultsJson(const std::vector<TestResult>& results,
                                         const RunContext& context);

// Writes the rendered JSON atomically.
[[nodiscard]] Status WriteResultsJson(const std::filesystem::path& path,
                                      const std::vector<TestResult>& results,
                                      const RunContext& context);

// Reads and validates a results.json. The error reads
// "<path>: <field>: <what was expected>" when it is unreadable, of another
// schema or version, or malformed.
Result<ResultsFile> ReadResultsJson(const std::filesystem::path& path);
// The same from text; `name` prefixes error messages.
Result<ResultsFile> ParseResultsJson(const std::string& text, const std::string& name);

}  // namespace iree_suite
