// results.json: every measurement of a run with the context needed to trust
// it later (which tools, which host, how loaded, which suite commit). It is
// what `update-goldens` and `compare` read.
//
// Schema "iree-suite-results", version 1 (fields are never renamed within a
// version; readers ignore fields they do not know):
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
//       }
//     }]
//   }
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "checks/test_result.h"
#include "suite/test_definition.h"

namespace iree_suite {

inline constexpr const char* kResultsSchemaName = "iree-suite-results";
inline constexpr int kResultsSchemaVersion = 1;

struct ToolInfo {
  std::string name;
  std::filesystem::path path;
  std::string version;
};

struct ModuleInfo {
  std::string mlir;
  std::vector<std::string> compiler_flags;
};

// Where and with what a run happened.
struct RunContext {
  std::string iree_suite_version;
  std::vector<ToolInfo> tools;
  std::map<std::string, ModuleInfo> modules;  // by module name
  std::string host_name;
  std::string cpu_model;  // empty when unknown
  unsigned core_count = 0;
  std::optional<std::array<double, 3>> load_average;
  std::string start_time;  // ISO 8601 UTC, e.g. "2025-01-31T12:00:00Z"
  std::optional<std::string> suite_git_commit;
  // Rendered only when set (run_id non-empty).
  std::string run_id;
  std::string marker_expression;
  std::optional<std::array<size_t, 2>> shard;  // index, count
  std::map<std::string, std::string> ci;       // CI variables of the run's environment
};

// Fills a RunContext from this host: host name, /proc/cpuinfo, core count,
// getloadavg(), `git -C <test_file_directory> rev-parse HEAD`, and the build's
// version. `modules` contributes each module's MLIR and compiler flags.
RunContext CollectRunContext(const std::filesystem::path& test_file_directory,
                             std::vector<ToolInfo> tools,
                             const std::vector<ModuleDefinition>& modules,
                             std::chrono::system_clock::time_point start_time);

// "2025-01-31T12:00:00Z".
std::string FormatIso8601Utc(std::chrono::system_clock::time_point time);
// The first "model name" of a /proc/cpuinfo-formatted file, or "".
std::string ReadCpuModel(const std::filesystem::path& cpuinfo = "/proc/cpuinfo");
// HEAD of the git checkout holding `dir`, or nullopt (not a repository, no git).
std::optional<std::string> GitHeadCommit(const std::filesystem::path& dir);

struct BenchmarkStats {
  size_t count = 0;  // all other fields are 0 when count is 0
  double min = 0;
  double median = 0;  // mean of the two middle values for an even count
  double mean = 0;
  double stddev = 0;  // sample standard deviation (n - 1); 0 for a single sample
  double cv = 0;      // stddev / mean; 0 when mean is 0
};

BenchmarkStats ComputeStats(const std::vector<double>& samples);

// One element of "tests" above (result.test must be set).
nlohmann::ordered_json RenderResultEntry(const TestResult& result);

nlohmann::ordered_json RenderResultsJson(const std::vector<TestResult>& results,
                                         const RunContext& context);

// Writes the rendered JSON atomically. Returns an error message, empty on success.
std::string WriteResultsJson(const std::filesystem::path& path,
                             const std::vector<TestResult>& results, const RunContext& context);

// One test of a results.json, as read back.
struct ResultEntry {
  std::string id;
  std::string type;  // "quality" | "benchmark" | "compstat"
  std::vector<std::string> markers;
  std::string outcome;
  std::string reason;
  std::string failed_step;  // "compile", "run" or "" (none, or a file from before the field)
  double duration_s = 0;
  // benchmark
  std::vector<double> samples_ms;
  std::optional<double> golden_time_ms;
  std::optional<double> tolerance_factor;
  std::optional<double> threshold_ms;
  // compstat
  std::optional<int64_t> dispatch_count;
  std::optional<int64_t> binary_size;
  std::optional<int64_t> golden_dispatch_count;
  std::optional<int64_t> golden_binary_size;

  // The minimum of the samples: what a benchmark is judged on.
  std::optional<double> MinMs() const;
};

struct ResultsFile {
  int version = 0;
  nlohmann::ordered_json context;  // kept as read: only shown, never interpreted
  std::vector<ResultEntry> tests;

  const ResultEntry* Find(const std::string& id) const;
};

// Reads and validates a results.json. Returns nullopt and "<path>: <what>" in
// *error when unreadable, of another schema or version, or malformed.
std::optional<ResultsFile> ReadResultsJson(const std::filesystem::path& path, std::string* error);
// The same from text; `name` prefixes error messages.
std::optional<ResultsFile> ParseResultsJson(const std::string& text, const std::string& name,
                                            std::string* error);

}  // namespace iree_suite
