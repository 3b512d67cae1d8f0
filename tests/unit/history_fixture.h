// Synthetic runs for the history tests.
#pragma once

#include <fmt/format.h>

#include <string>
#include <vector>

#include "history/history_store.h"

namespace iree_suite {

inline HistoryTestRecord BenchmarkRecord(const std::string& id, double min_ms,
                                         const std::string& outcome = "passed",
                                         std::optional<double> golden = 10.0) {
  HistoryTestRecord test;
  test.id = id;
  test.type = "benchmark";
  test.markers = {"cpu", "benchmark"};
  test.outcome = outcome;
  test.samples_ms = {min_ms, min_ms * 1.01, min_ms * 1.02};
  test.min_ms = min_ms;
  test.median_ms = min_ms * 1.01;
  test.golden_time_ms = golden;
  test.tolerance_factor = 1.1;
  if (golden) test.threshold_ms = *golden * 1.1;
  return test;
}

// Run number `index`: one day apart, compiler commit "c<commit>".
inline HistoryRunRecord MakeRun(int index, std::vector<HistoryTestRecord> tests, int commit = 0,
                                const std::string& host = "ci-1") {
  HistoryRunRecord run;
  run.run_key = fmt::format("run-{}", index);
  run.start_time = fmt::format("2025-{:02}-{:02}T12:00:00Z", 1 + index / 28, 1 + index % 28);
  run.host = host;
  run.cpu_model = "Test CPU";
  run.core_count = 8;
  run.load_average = std::array<double, 3>{0.5, 0.4, 0.3};
  run.compiler_version = "3.13.0";
  run.compiler_commit = fmt::format("c{}", commit);
  run.github_sha = "abc";
  run.source = "test";
  run.tests = std::move(tests);
  return run;
}

}  // namespace iree_suite
