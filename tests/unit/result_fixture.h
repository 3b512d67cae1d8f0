// Shared by report tests: builds test definitions and results that point at them.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "results/results_json.h"
#include "results/test_result.h"
#include "suite/test_definition.h"

namespace iree_suite {

class ResultFixture : public ::testing::Test {
 protected:
  // Definitions live in a deque so results may point at them.
  TestDefinition* Define(const std::string& id, TestKind kind) {
    TestDefinition& test = definitions_.emplace_back();
    test.id = id;
    test.kind = kind;
    test.markers = {TestKindName(kind)};
    return &test;
  }

  TestResult Result(const TestDefinition* test, Outcome outcome) {
    TestResult result;
    result.test = test;
    result.outcome = outcome;
    return result;
  }

  std::deque<TestDefinition> definitions_;
};

// A test and its result before a ResultsFile takes them: for the tests of
// what reads results files (compare, update-goldens, update-xfails).
struct RecordedResult {
  TestDefinition test;
  TestResult result;
};

inline RecordedResult Recorded(const std::string& id, TestKind kind, Outcome outcome) {
  RecordedResult recorded;
  recorded.test.id = id;
  recorded.test.kind = kind;
  recorded.test.markers = {TestKindName(kind)};
  recorded.result.outcome = outcome;
  return recorded;
}

// A benchmark's repetitions and their minimum, as the runner records them.
inline RecordedResult RecordedBenchmark(const std::string& id, Outcome outcome,
                                        std::vector<double> samples) {
  RecordedResult recorded = Recorded(id, TestKind::kBenchmark, outcome);
  if (!samples.empty()) {
    recorded.result.current_time_ms = *std::min_element(samples.begin(), samples.end());
  }
  recorded.result.benchmark_samples_ms = std::move(samples);
  return recorded;
}

inline ResultsFile FileOf(std::vector<RecordedResult> entries) {
  ResultsFile file;
  for (RecordedResult& entry : entries) {
    entry.result.test = &entry.test;
    file.Add(entry.result);
  }
  return file;
}

}  // namespace iree_suite
