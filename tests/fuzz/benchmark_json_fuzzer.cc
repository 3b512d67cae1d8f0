// iree-benchmark-module's JSON output: any text gives samples or an error message, never an
// exception (a tool printing "real_time": 1e400 once ended the whole run).
#include <cmath>
#include <string>

#include "checks/benchmark_json.h"
#include "fuzz_support.h"

using iree_suite::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = iree_suite::fuzz::InputText(data, size);
  iree_suite::fuzz::NoExceptionEscapes([&] {
    iree_suite::Result<iree_suite::BenchmarkRun> run = iree_suite::ParseBenchmarkJson(text);
    if (!run) {
      Check(!run.error().empty(), "a rejected output says why");
      return;
    }
    Check(!run->samples.empty(), "a parsed run has samples");
    for (const iree_suite::BenchmarkSample& sample : run->samples) {
      Check(!std::isnan(sample.real_time_ms) && !std::isnan(sample.cpu_time_ms),
            "times are numbers", sample.name);
    }
    Check(!std::isnan(iree_suite::MinRealTimeMs(*run)), "the minimum is a number");
  });
  return 0;
}
