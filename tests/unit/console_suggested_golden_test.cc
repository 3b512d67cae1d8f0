// The console's suggested golden_time_ms is update-goldens' proposal: for a
// noisy benchmark, not below its slowest repetition.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "report/console.h"

namespace iree_suite {
namespace {

std::string LineOf(const TestResult& result) {
  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  {
    ConsoleReporter console(out, /*smart_terminal=*/false, /*verbosity=*/0,
                            /*log_commands=*/false);
    console.Collected(1, 0, {});
    console.OnTestFinished(result);
  }
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

TEST(ConsoleSuggestedGoldenTest, ANoisyBenchmarkIsNotSuggestedAGoldenBelowItsSlowestSample) {
  TestDefinition test;
  test.id = "b.json";
  test.kind = TestKind::kBenchmark;
  TestResult result;
  result.test = &test;
  result.outcome = Outcome::kPassed;
  result.benchmark_samples_ms = {0.027, 0.0301, 0.04266};
  result.current_time_ms = 0.027;
  const std::string noisy = LineOf(result);
  EXPECT_NE(noisy.find("; suggested golden_time_ms 0.043"), std::string::npos) << noisy;

  result.benchmark_samples_ms = {0.027, 0.0271, 0.0272};  // quiet: min x 1.1
  const std::string quiet = LineOf(result);
  EXPECT_NE(quiet.find("; suggested golden_time_ms 0.030"), std::string::npos) << quiet;
}

}  // namespace
}  // namespace iree_suite
