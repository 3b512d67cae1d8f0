// The malformed-input corpus: one table of bad inputs — test files, module
// files, operator configs, results files (what compare, merge-reports,
// update-goldens and update-xfails read), job summaries, and tool output
// (benchmark JSON, compile statistics) — each with the exact message it must
// give. None may throw or abort; every one names its file and, inside the
// document, its field. "<file>" in a message stands for the path written.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "checks/benchmark_json.h"
#include "checks/judgement.h"
#include "report/merge_reports.h"
#include "results/results_json.h"
#include "suite/op_suite_loader.h"
#include "suite/suite_loader.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

enum class Input {
  kTestFile,         // tests/t.json, module "m" valid
  kModuleFile,       // modules/m.json, named by a valid test
  kOpConfig,         // a config of an operator suite with one valid folder
  kResultsFile,      // --results-json output read back
  kTraceFile,        // a shard's --trace file for merge-reports
  kBenchmarkOutput,  // what iree-benchmark-module printed
  kCompileStats,     // iree-compile's statistics file
};

struct MalformedCase {
  const char* name;
  Input input;
  std::string contents;
  std::string message;  // every diagnostic, one per line
};

const std::string kHuge(400, '9');

std::vector<MalformedCase> Corpus() {
  const std::string quality = R"({"type": "quality", "markers": ["cpu"], "modules": ["m"])";
  const std::string benchmark = R"({"type": "benchmark", "markers": [], "modules": ["m"])";
  const std::string compstat = R"({"type": "compstat", "markers": [], "module": "m")";
  const std::string config = R"({"config_name": "c", "iree_compile_flags": [])";
  const std::string results = R"({"schema": "iree-suite-results", "version": 1, "tests": [)";
  const std::string entry = R"({"id": "a.json", "type": "quality", "markers": [], )";
  const std::string bench = R"({"benchmarks": [{"name": "BM", "run_type": "iteration", )";
  return {
      // Test files.
      {"test: only a huge number", Input::kTestFile, "2E605",
       "<file>: number at line 1, column 1 does not fit a double: 2E605"},
      {"test: huge golden", Input::kTestFile, benchmark + R"(, "golden_time_ms": 1e400})",
       "<file>: golden_time_ms: number at line 1, column 74 does not fit a double: 1e400"},
      {"test: 400-digit integer", Input::kTestFile,
       compstat + R"(, "golden_dispatch_count": )" + kHuge + "}",
       "<file>: golden_dispatch_count: number at line 1, column 77 does not fit a double: " +
           kHuge},
      {"test: huge number in an argspec", Input::kTestFile,
       quality + R"(, "inputs": [{"value": "1xf32=1"}, {"url": -1e999}]})",
       "<file>: inputs[1].url: number at line 1, column 100 does not fit a double: -1e999"},
      {"test: null", Input::kTestFile, "null", "<file>: expected a JSON object, got null"},
      {"test: array", Input::kTestFile, R"([{"type": "quality"}])",
       "<file>: expected a JSON object, got an array"},
      {"test: bytes after a NUL", Input::kTestFile, quality + std::string("}\0{\"x\"", 6),
       "<file>: invalid JSON at line 1, column 58: NUL byte"},
      {"test: NUL inside a string", Input::kTestFile,
       std::string(R"({"type": "qua)") + '\0' + R"(lity"})",
       "<file>: invalid JSON at line 1, column 14: NUL byte"},
      {"test: syntax error", Input::kTestFile, "{\"type\": \"quality\",\n  \"markers\": [cpu]}",
       "<file>: invalid JSON at line 2, column 15: syntax error while parsing value - invalid "
       "literal; last read: '\"markers\": [c'"},
      {"test: empty file", Input::kTestFile, "",
       "<file>: invalid JSON at line 1, column 1: syntax error while parsing value - unexpected "
       "end of input; expected '[', '{', or a literal"},
      {"test: zero golden time", Input::kTestFile, benchmark + R"(, "golden_time_ms": 0})",
       "<file>: golden_time_ms: expected a positive number, got 0"},
      {"test: negative golden time", Input::kTestFile, benchmark + R"(, "golden_time_ms": -5})",
       "<file>: golden_time_ms: expected a positive number, got -5"},
      {"test: zero dispatch count", Input::kTestFile, compstat + R"(, "golden_dispatch_count": 0})",
       "<file>: golden_dispatch_count: expected a positive integer, got 0"},
      {"test: negative binary size", Input::kTestFile, compstat + R"(, "golden_binary_size": -1})",
       "<file>: golden_binary_size: expected a positive integer, got -1"},
      {"test: golden too large for 64 bits", Input::kTestFile,
       compstat + R"(, "golden_binary_size": 18446744073709551615})",
       "<file>: golden_binary_size: expected an integer, got a number too large for 64 bits"},
      {"test: unknown type", Input::kTestFile, R"({"type": "perf", "markers": []})",
       "<file>: type: unknown test type \"perf\"; expected one of \"quality\", \"benchmark\", "
       "\"compstat\""},
      {"test: markers not strings", Input::kTestFile,
       R"({"type": "quality", "markers": [1], "modules": ["m"]})",
       "<file>: markers[0]: expected a string, got a number"},
      {"test: unknown module", Input::kTestFile,
       R"({"type": "quality", "markers": [], "modules": ["gone"]})",
       "<file>: modules[0]: module \"gone\" not found: <modules>/gone.json does not exist"},
      {"test: tolerance factor zero", Input::kTestFile, benchmark + R"(, "tolerance_factor": 0})",
       "<file>: tolerance_factor: expected a positive number"},
      {"test: weights not an array", Input::kTestFile, quality + R"(, "weights": {}})",
       "<file>: weights: expected an array of weightspec objects, got an object"},
      // Module files.
      {"module: huge number", Input::kModuleFile,
       R"({"mlir": "m.mlir", "compiler_flags": [], "x": 1e400})",
       "<file>: x: number at line 1, column 47 does not fit a double: 1e400\n"
       "<test>: modules[0]: module \"m\" is invalid: <file>: x: number at line 1, column 47 does "
       "not fit a double: 1e400"},
      {"module: only a huge number", Input::kModuleFile, "2E605",
       "<file>: number at line 1, column 1 does not fit a double: 2E605\n"
       "<test>: modules[0]: module \"m\" is invalid: <file>: number at line 1, column 1 does not "
       "fit a double: 2E605"},
      {"module: array", Input::kModuleFile, "[]",
       "<file>: expected a module object with \"mlir\" and \"compiler_flags\", got an array\n"
       "<test>: modules[0]: module \"m\" is invalid: <file>: expected a module object with "
       "\"mlir\" and \"compiler_flags\", got an array"},
      {"module: mlir not a string", Input::kModuleFile, R"({"mlir": 3, "compiler_flags": []})",
       "<file>: mlir: expected a string, got a number\n<test>: modules[0]: module \"m\" is "
       "invalid: <file>: mlir: expected a string, got a number"},
      {"module: syntax error", Input::kModuleFile, R"({"mlir": "m.mlir",})",
       "<file>: invalid JSON at line 1, column 19: syntax error while parsing object key - "
       "unexpected '}'; expected string literal\n<test>: modules[0]: module \"m\" is invalid: "
       "<file>: invalid JSON at line 1, column 19: syntax error while parsing object key - "
       "unexpected '}'; expected string literal"},
      // Operator configs.
      {"config: huge number", Input::kOpConfig,
       config + R"(, "iree_run_module_flags": [], "x": [1, 2E605]})",
       "<file>: x[1]: number at line 1, column 86 does not fit a double: 2E605"},
      {"config: only a huge number", Input::kOpConfig, "1e400",
       "<file>: number at line 1, column 1 does not fit a double: 1e400"},
      {"config: NUL", Input::kOpConfig, config + std::string(", \0}", 4),
       "<file>: invalid JSON at line 1, column 48: NUL byte"},
      {"config: not an object", Input::kOpConfig, "[]", "<file>: expected a JSON object"},
      {"config: missing name", Input::kOpConfig,
       R"({"iree_compile_flags": [], "iree_run_module_flags": []})",
       "<file>: config_name: required field is missing (string)"},
      {"config: flags not strings", Input::kOpConfig, config + R"(, "iree_run_module_flags": [7]})",
       "<file>: iree_run_module_flags[0]: expected a string, got number"},
      {"config: unterminated comment", Input::kOpConfig, config + " /* x",
       "<file>: invalid JSON at line 1, column 51: syntax error while parsing object - invalid "
       "comment; missing closing '*/'; last read: '\"iree_compile_flags\": [] /* x'; expected "
       "'}'"},
      // Results files: what compare, merge-reports, update-goldens and update-xfails read.
      {"results: huge time", Input::kResultsFile,
       results + entry + R"("outcome": "passed", "duration_s": 1e400}]})",
       "<file>: not valid JSON: tests[0].duration_s: number at line 1, column 144 does not fit a "
       "double: 1e400"},
      {"results: 400-digit sample", Input::kResultsFile,
       results + entry + R"("outcome": "passed", "benchmark": {"samples": [)" + kHuge + "]}}]}",
       "<file>: not valid JSON: tests[0].benchmark.samples[0]: number at line 1, column 156 "
       "does not fit a double: " +
           kHuge},
      {"results: only a huge number", Input::kResultsFile, "2E605",
       "<file>: not valid JSON: number at line 1, column 1 does not fit a double: 2E605"},
      {"results: NUL", Input::kResultsFile, std::string("{}\0", 3),
       "<file>: not valid JSON: invalid JSON at line 1, column 3: NUL byte"},
      {"results: other schema", Input::kResultsFile, R"({"schema": "x"})",
       "<file>: not an iree-suite results file (expected \"schema\": \"iree-suite-results\")"},
      {"results: tests not an array", Input::kResultsFile,
       R"({"schema": "iree-suite-results", "version": 1, "tests": {}})",
       "<file>: tests: expected an array"},
      {"results: entry not an object", Input::kResultsFile, results + "3]}",
       "<file>: tests[0]: expected an object"},
      // Trace files of shards, for merge-reports.
      {"trace: not an object", Input::kTraceFile, "[]",
       "<file>: traceEvents: expected an array of trace events"},
      {"trace: event without ph", Input::kTraceFile, R"({"traceEvents": [{"ph": null}]})",
       "<file>: traceEvents[0]: expected an event object with a \"ph\" string"},
      {"trace: NUL", Input::kTraceFile, std::string("{\0}", 3),
       "<file>: invalid JSON at line 1, column 2: NUL byte"},
      // Tool output.
      {"benchmark: huge real_time", Input::kBenchmarkOutput,
       bench + R"("real_time": 1e400, "time_unit": "ms"}]})",
       "invalid benchmark JSON: benchmarks[0].real_time: number at line 1, column 70 does not "
       "fit a double: 1e400"},
      {"benchmark: 400-digit iterations", Input::kBenchmarkOutput,
       bench + R"("iterations": )" + kHuge + R"(, "real_time": 1, "time_unit": "ms"}]})",
       "invalid benchmark JSON: benchmarks[0].iterations: number at line 1, column 71 does not "
       "fit a double: " +
           kHuge},
      {"benchmark: truncated", Input::kBenchmarkOutput, R"({"benchmarks": [{"name": "BM")",
       "invalid benchmark JSON: invalid JSON at line 1, column 30: syntax error while parsing "
       "object - unexpected end of input; expected '}'"},
      {"benchmark: no benchmarks", Input::kBenchmarkOutput, R"({"context": {}})",
       "benchmark JSON has no \"benchmarks\" array"},
      {"stats: huge count", Input::kCompileStats,
       R"({"stream-aggregate": {"execution": {"dispatch-count": 1e400}}})",
       "<file>: not valid JSON: stream-aggregate.execution.dispatch-count: number at line 1, "
       "column 55 does not fit a double: 1e400"},
      {"stats: no count", Input::kCompileStats, R"({"stream-aggregate": {}})",
       "<file>: no integer at stream-aggregate.execution.dispatch-count"},
  };
}

class MalformedInputTest : public testing::Test {
 protected:
  MalformedInputTest() {
    std::string pattern = (fs::temp_directory_path() / "malformed_input_XXXXXX").string();
    root_ = mkdtemp(pattern.data());
  }
  ~MalformedInputTest() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  static void Write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }

  // Every message the input gives, one per line, with paths as placeholders.
  std::string Messages(const MalformedCase& bad, const fs::path& dir) {
    const fs::path tests = dir / "tests";
    const fs::path modules = dir / "modules";
    fs::path file = dir / "input.json";
    std::vector<std::string> lines;
    std::string error;
    auto suite_errors = [&](const LoadedSuite& suite) {
      for (const Diagnostic& diagnostic : suite.errors) lines.push_back(diagnostic.ToString());
    };
    switch (bad.input) {
      case Input::kTestFile:
      case Input::kModuleFile: {
        Write(modules / "m.json", R"({"mlir": "m.mlir", "compiler_flags": []})");
        Write(tests / "t.json", R"({"type": "quality", "markers": [], "modules": ["m"]})");
        file = bad.input == Input::kTestFile ? tests / "t.json" : modules / "m.json";
        Write(file, bad.contents);
        suite_errors(LoadSuite({tests, modules, {}}));
        break;
      }
      case Input::kOpConfig: {
        Write(dir / "ops" / "a" / "model.mlir", "module {}\n");
        Write(dir / "ops" / "a" / "run_module_io_flags.txt", "");
        Write(file, bad.contents);
        OpSuiteOptions options;
        options.suite_root = dir / "ops";
        options.config_files = {file};
        suite_errors(LoadOpSuite(options));
        break;
      }
      case Input::kResultsFile:
        Write(file, bad.contents);
        if (Result<ResultsFile> read = ReadResultsJson(file); !read) lines.push_back(read.error());
        break;
      case Input::kTraceFile:
        Write(file, bad.contents);
        if (Result<std::string> trace = MergeTraceFiles({file}); !trace) {
          lines.push_back(trace.error());
        }
        break;
      case Input::kBenchmarkOutput:
        if (Result<BenchmarkRun> run = ParseBenchmarkJson(bad.contents); !run) {
          lines.push_back(run.error());
        }
        break;
      case Input::kCompileStats:
        Write(file, bad.contents);
        if (Result<int64_t> count = ReadDispatchCount(file); !count) lines.push_back(count.error());
        break;
    }
    std::string joined;
    for (const std::string& line : lines) joined += (joined.empty() ? "" : "\n") + line;
    for (const auto& [path, placeholder] : {std::pair{file.string(), "<file>"},
                                            {(tests / "t.json").string(), "<test>"},
                                            {modules.string(), "<modules>"}}) {
      for (size_t at; (at = joined.find(path)) != std::string::npos;) {
        joined.replace(at, path.size(), placeholder);
      }
    }
    return joined;
  }

  fs::path root_;
};

TEST_F(MalformedInputTest, EveryCaseGivesItsExactMessage) {
  const std::vector<MalformedCase> corpus = Corpus();
  EXPECT_GE(corpus.size(), 40u);
  for (size_t i = 0; i < corpus.size(); ++i) {
    EXPECT_EQ(Messages(corpus[i], root_ / std::to_string(i)), corpus[i].message) << corpus[i].name;
  }
}

}  // namespace
}  // namespace iree_suite
