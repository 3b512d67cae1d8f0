#include "runner/suite_runner.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "artifacts/cache_layout.h"
#include "artifacts/local_source.h"
#include "base/atomic_file.h"
#include "checks/benchmark_json.h"
#include "checks/judgement.h"
#include "exec/host_name.h"
#include "exec/subprocess.h"
#include "runner/run_arguments.h"
#include "suite/torch_ops_test.h"

namespace iree_suite {
namespace fs = std::filesystem;

namespace {

// Runs `job`, turning whatever it throws into the failure of `test`: an
// exception escaping a worker thread would end the process (std::terminate)
// before any report is written.
template <typename Job>
TestResult Guarded(const TestDefinition& test, Job&& job) {
  std::string what;
  try {
    return job();
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "an exception that is not a std::exception";
  }
  TestResult result;
  result.test = &test;
  result.outcome = Outcome::kFailed;
  result.reason = fmt::format("internal error while running the test: {}", what);
  return result;
}

// Runs a job whose failure is not a test's: the tests that depend on it meet
// the same failure in their own (guarded) jobs.
template <typename Job>
void IgnoringExceptions(Job&& job) {
  try {
    job();
  } catch (...) {
  }
}

}  // namespace

SuiteRunner::SuiteRunner(const std::map<std::string, ModuleDefinition>& modules, ToolSet tools,
                         RunnerConfig config)
    : modules_(modules),
      tools_(std::move(tools)),
      config_(std::move(config)),
      progress_(config_.fetch.quiet ? nullptr : std::make_unique<ProgressPrinter>(stderr)),
      fetch_progress_(progress_ ? std::make_unique<ConsoleFetchProgress>(progress_.get())
                                : nullptr),
      fetcher_(config_.artifact_directory, config_.external_file_directory, config_.fetch,
               fetch_progress_.get()),
      compiler_(
          config_.artifact_directory, config_.external_file_directory, tools_.compiler,
          config_.force_recompile,
          // Compiles hold their turn already.
          [this](const std::string& url, std::string* error) {
            return Fetch(url, "", error, /*take_turn=*/false);
          },
          config_.trace),
      parameters_({config_.artifact_directory, tools_.iree_opt, /*threads=*/0, progress_.get(),
                   [] { return InterruptSignal() != 0; }}) {
  // Runners on this host that share the artifact directory (pytest-xdist
  // workers, shards) keep each other's benchmarks undisturbed too; per host,
  // in case the directory is on a network file system.
  const CacheLayout layout(config_.artifact_directory);
  const fs::path host_lock = layout.HostLockDirectory(HostName());
  // A refused (symlinked) locks/ leaves the gate to this process alone.
  if (layout.PrepareDirectory(host_lock).empty()) gate_.ShareAcrossProcesses(host_lock);
}

std::vector<TestResult> SuiteRunner::Run(const std::vector<const TestDefinition*>& tests,
                                         TestObserver* observer) {
  std::vector<std::optional<TestResult>> slots(tests.size());
  std::atomic<size_t> next{0};
  std::atomic<size_t> failures{0};
  std::mutex observer_mutex;
  auto stop = [&] {
    return InterruptSignal() != 0 ||
           (config_.max_failures != 0 && failures.load() >= config_.max_failures);
  };
  // The queue holds every distinct module's compile first, then the tests: a
  // test whose module is still compiling waits for it, while the other
  // workers compile the next modules instead of queueing behind the same one.
  std::vector<const ModuleDefinition*> compiles;
  std::set<std::string> seen;
  for (const TestDefinition* test : tests) {
    for (const std::string& name : test->modules) {
      if (seen.insert(name).second) compiles.push_back(&modules_.at(name));
    }
  }
  std::atomic<int> lanes{0};
  // Downloads have their own pool: every remote file is fetched ahead while
  // the workers compile and run. A worker that needs a file still in flight
  // waits for it; a failed download is remembered for the test that needs it.
  const std::vector<std::string> urls = RemoteUrlsOf(tests);
  std::atomic<size_t> next_url{0};
  std::atomic<bool> tests_done{false};
  auto downloader = [&] {
    SetTraceLane(lanes.fetch_add(1));
    while (!stop() && !tests_done.load()) {
      size_t index = next_url.fetch_add(1);
      if (index >= urls.size()) return;
      std::string error;
      IgnoringExceptions([&] { (void)Fetch(urls[index], "", &error); });
    }
  };
  std::vector<std::thread> downloaders;
  for (size_t i = 0; i < std::min(config_.fetch_jobs, urls.size()); ++i) {
    downloaders.emplace_back(downloader);
  }
  auto worker = [&] {
    SetTraceLane(lanes.fetch_add(1));
    while (!stop()) {
      size_t job = next.fetch_add(1);
      if (job < compiles.size()) {
        IgnoringExceptions([&] {
          auto turn = gate_.Shared();
          compiler_.Compile(*compiles[job], config_.timeout_s);
        });
        continue;
      }
      size_t index = job - compiles.size();
      if (index >= tests.size()) return;
      const TestDefinition& test = *tests[index];
      TestResult result = Guarded(test, [&] {
        if (observer) {
          std::lock_guard<std::mutex> lock(observer_mutex);
          observer->OnTestStarted(test);
        }
        return RunOne(test);
      });
      if (InterruptSignal() != 0) {
        // The test was cut short: it neither passed nor failed on its merits.
        result.outcome = Outcome::kError;
        result.reason = fmt::format("interrupted by signal {}", InterruptSignal());
      }
      if (IsFailure(result.outcome)) ++failures;
      std::lock_guard<std::mutex> lock(observer_mutex);
      slots[index] = std::move(result);
      // The reports are written from `slots` after the run, whatever the observer does.
      if (observer) IgnoringExceptions([&] { observer->OnTestFinished(*slots[index]); });
    }
  };
  const size_t threads = std::max<size_t>(1, std::min(config_.jobs, tests.size()));
  std::vector<std::thread> pool;
  for (size_t i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (std::thread& thread : pool) thread.join();
  tests_done = true;  // what is still queued is no longer needed
  for (std::thread& thread : downloaders) thread.join();

  std::vector<TestResult> results;
  for (std::optional<TestResult>& slot : slots) {
    if (slot) results.push_back(std::move(*slot));
  }
  return results;
}

std::vector<std::string> SuiteRunner::RemoteUrlsOf(
    const std::vector<const TestDefinition*>& tests) const {
  std::vector<std::string> urls;
  std::set<std::string> seen;
  auto add = [&](const std::string& url) {
    if (IsRemoteUrl(url) && seen.insert(url).second) urls.push_back(url);
  };
  auto add_module = [&](const std::string& name) {
    if (auto module = modules_.find(name); module != modules_.end()) add(module->second.mlir);
  };
  for (const TestDefinition* test : tests) {
    for (const std::string& name : test->modules) add_module(name);
    for (const WeightSpec& weight : test->weights) {
      if (weight.kind == WeightSpec::Kind::kUrl) {
        add(weight.url);
      } else {
        add_module(weight.module);
      }
    }
    for (const auto* specs : {&test->inputs, &test->outputs, &test->expected_outputs}) {
      for (const ArgSpec& spec : *specs) {
        if (spec.url) add(*spec.url);
      }
    }
    if (test->torch_ops) {
      for (const ArgSpec& spec : test->torch_ops->expected_outputs) {
        if (spec.url) add(*spec.url);
      }
    }
  }
  return urls;
}

fs::path SuiteRunner::LogDirectory(const TestDefinition& test) const {
  return CacheLayout(config_.artifact_directory).LogDirectory(test.id);
}

TestResult SuiteRunner::RunOne(const TestDefinition& test) {
  TestResult result;
  result.test = &test;
  auto start = std::chrono::steady_clock::now();

  std::vector<const CompiledModule*> compiled;
  for (const std::string& name : test.modules) {
    auto turn = gate_.Shared();
    const CompiledModule& module = compiler_.Compile(modules_.at(name), config_.timeout_s);
    if (!module.ok) {
      result.outcome = Outcome::kFailed;
      result.failed_step = Step::kCompile;
      result.reason = module.error;
      result.output_tail = module.output_tail;
      result.repros.push_back(module.repro);
      if (!module.log.empty()) result.logs.push_back(module.log);
      break;
    }
    compiled.push_back(&module);
  }
  const bool compiled_all = compiled.size() == test.modules.size();
  using Expectation = TestDefinition::Expectation;
  if (compiled_all && test.expectation == Expectation::kCompileFailure) {
    // Unexpectedly compiled: the run tells which list, if any, it belongs on.
    if (!test.compile_only) RunModules(test, compiled, config_.timeout_s, &result);
    if (result.outcome == Outcome::kFailed && result.failed_step == Step::kCheck) {
      // Ran, and its outputs or time were judged wrong: a failure on any list.
    } else if (result.outcome == Outcome::kFailed) {
      result.outcome = Outcome::kXPassed;
      result.reason = fmt::format(
          "compiled although listed in expected_compile_failures of {}, then failed to run: "
          "move it to expected_run_failures\n{}",
          test.expectation_source, result.reason);
    } else if (result.outcome != Outcome::kError) {
      result.outcome = Outcome::kXPassed;
      result.reason = fmt::format(
          "compiled{} although listed in expected_compile_failures of {}: remove it from that "
          "list",
          test.compile_only ? "" : " and ran", test.expectation_source);
    }
  } else if (compiled_all && test.compile_only) {
    result.outcome = Outcome::kPassed;
    result.reason = kCompileOnlyReason;
  } else if (compiled_all) {
    if (test.kind == TestKind::kCompstat) {
      RunCompstat(test, *compiled.front(), &result);
    } else {
      RunModules(test, compiled, config_.timeout_s, &result);
    }
  }
  ApplyExpectation(test, compiled_all, &result);
  result.duration_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

void SuiteRunner::ApplyExpectation(const TestDefinition& test, bool compiled, TestResult* result) {
  using Expectation = TestDefinition::Expectation;
  const bool expected_here = (test.expectation == Expectation::kCompileFailure && !compiled) ||
                             (test.expectation == Expectation::kRunFailure && compiled);
  if (!expected_here || result->failed_step == Step::kCheck) return;
  if (result->outcome == Outcome::kFailed) {
    result->outcome = Outcome::kXFailed;
    result->reason = std::string(kExpectedFailurePrefix) + result->reason;
  } else if (result->outcome == Outcome::kPassed) {
    result->outcome = Outcome::kXPassed;
    result->reason = fmt::format(
        "passed although listed in expected_run_failures of {}: remove it from that list",
        test.expectation_source);
  }
}

void SuiteRunner::RunCompstat(const TestDefinition& test, const CompiledModule& module,
                              TestResult* result) {
  result->repros.push_back(module.repro);
  result->logs.push_back(module.log);
  std::string error;
  result->dispatch_count = ReadDispatchCount(module.stats_json, &error);
  std::error_code ec;
  uintmax_t size = fs::file_size(module.vmfb, ec);
  if (ec) {
    result->outcome = Outcome::kError;
    result->reason =
        fmt::format("cannot read the size of {}: {}", module.vmfb.string(), ec.message());
    return;
  }
  result->binary_size = static_cast<int64_t>(size);
  if (!result->dispatch_count && test.golden_dispatch_count) {
    result->outcome = Outcome::kError;
    result->reason = error;
    return;
  }
  Verdict verdict = JudgeCompstat(test, result->dispatch_count, *result->binary_size);
  result->outcome = verdict.passed ? Outcome::kPassed : Outcome::kFailed;
  result->reason = verdict.reason;
}

std::optional<fs::path> SuiteRunner::Fetch(const std::string& url, const std::string& test_id,
                                           std::string* error, bool take_turn) {
  ToolGate::Turn turn;
  if (take_turn) turn = gate_.Shared();  // a download would disturb a benchmark too
  TraceSpan span(config_.trace, "fetch", url, test_id, url);
  return fetcher_.Fetch(url, error);
}

std::optional<fs::path> SuiteRunner::GeneratedWeights(const WeightSpec& weight,
                                                      const std::string& test_id,
                                                      std::string* error) {
  auto module = modules_.find(weight.module);
  if (module == modules_.end()) {
    *error = fmt::format("module \"{}\" is not defined", weight.module);
    return std::nullopt;
  }
  std::optional<fs::path> mlir = Fetch(module->second.mlir, test_id, error);
  if (!mlir) {
    *error = fmt::format("module \"{}\": mlir: {}", weight.module, *error);
    return std::nullopt;
  }
  std::lock_guard<std::mutex> one_at_a_time(parameters_mutex_);
  auto turn = gate_.Shared();
  TraceSpan span(config_.trace, "generate-parameters", weight.module, test_id, weight.module);
  return parameters_.Get(weight, weight.module, *mlir, error);
}

void SuiteRunner::RunModules(const TestDefinition& test,
                             const std::vector<const CompiledModule*>& modules,
                             std::optional<double> timeout_s, TestResult* result) {
  SourceResolver resolve = [&](const std::string& url, std::string* error) {
    return Fetch(url, test.id, error);
  };
  std::vector<ScopedParameters> weights;
  for (size_t i = 0; i < test.weights.size(); ++i) {
    const WeightSpec& weight = test.weights[i];
    std::string error;
    std::optional<fs::path> path;
    if (weight.kind == WeightSpec::Kind::kUrl) {
      path = resolve(weight.url, &error);
    } else {
      path = GeneratedWeights(weight, test.id, &error);
    }
    if (!path) {
      result->outcome = Outcome::kError;
      result->reason = fmt::format("{}: weights[{}]: {}", test.json_path.string(), i, error);
      return;
    }
    weights.push_back({weight.scope, *path});
  }
  std::string error;
  std::optional<std::vector<std::string>> flags = BuildRunFlags(test, weights, resolve, &error);
  if (!flags) {
    result->outcome = Outcome::kError;
    result->reason = fmt::format("{}: {}", test.json_path.string(), error);
    return;
  }

  const bool benchmark = test.kind == TestKind::kBenchmark;
  TorchOpsFiles torch_ops;
  if (test.torch_ops && !PrepareTorchOps(test, &*flags, &torch_ops, result)) return;
  const fs::path& tool = benchmark ? tools_.benchmark_module : tools_.run_module;
  const fs::path& executable =
      benchmark ? tools_.benchmark_module_executable : tools_.run_module_executable;
  std::vector<std::string> argv = {(executable.empty() ? tool : executable).string()};
  if (benchmark) argv.push_back("--benchmark_format=json");
  for (const CompiledModule* module : modules) argv.push_back("--module=" + module->vmfb.string());
  argv.insert(argv.end(), flags->begin(), flags->end());

  const fs::path log_dir = LogDirectory(test);
  if (std::string prepare_error = CacheLayout(config_.artifact_directory).PrepareDirectory(log_dir);
      !prepare_error.empty()) {
    result->outcome = Outcome::kError;
    result->reason = fmt::format("logs: {}", prepare_error);
    return;
  }
  std::error_code ec;
  const fs::path stdout_log = log_dir / (benchmark ? "benchmark.json" : "run.log");
  const fs::path stderr_log = benchmark ? log_dir / "benchmark.log" : fs::path();
  // The tool writes to this process's own temp names, renamed into place
  // afterwards: runners sharing an artifact directory never mix their logs.
  ProcessSpec spec{
      argv,
      test.working_directory.empty() ? config_.external_file_directory : test.working_directory,
      TempPathFor(stdout_log), benchmark ? TempPathFor(stderr_log) : fs::path(), timeout_s};
  Repro repro{spec.cwd, argv};
  repro.argv[0] = tool.string();
  result->repros.push_back(std::move(repro));
  result->logs.push_back(stdout_log);
  if (benchmark) result->logs.push_back(stderr_log);

  MeasureAndJudge(test, spec, benchmark, result);
  fs::rename(spec.stdout_path, stdout_log, ec);
  if (benchmark) fs::rename(spec.stderr_path, stderr_log, ec);
  if (test.torch_ops) JudgeTorchOps(test, torch_ops, result);
}

void SuiteRunner::MeasureAndJudge(const TestDefinition& test, const ProcessSpec& spec,
                                  bool benchmark, TestResult* result) {
  const std::vector<std::string>& argv = spec.argv;
  // A benchmark over its threshold is measured again, up to
  // --benchmark-retries times; it passes if any measurement is within it.
  const size_t attempts = benchmark ? 1 + config_.benchmark_retries : 1;
  Verdict verdict;
  for (size_t attempt = 0; attempt < attempts; ++attempt) {
    ProcessResult process;
    if (benchmark) {
      auto alone = gate_.Exclusive();  // nothing else runs while a benchmark measures
      TraceSpan span(config_.trace, "benchmark", test.id, test.id, "");
      process = RunProcess(spec);
    } else {
      auto device = gate_.Device(GpuDeviceOf(test.run_args));
      auto turn = gate_.Shared();
      TraceSpan span(config_.trace, "run", test.id, test.id, "");
      process = RunProcess(spec);
    }
    const fs::path& diagnostics_log = benchmark ? spec.stderr_path : spec.stdout_path;
    if (!process.Succeeded()) {
      result->outcome = Outcome::kFailed;
      result->failed_step = Step::kRun;
      result->output_tail = TailOfFile(diagnostics_log);
      std::string tool = fs::path(argv[0]).filename().string();
      result->reason = fmt::format("{} {}", tool, process.Describe());
      // The tool's own verdict ("[FAILED] result[0]: element at index ...") goes
      // first, so the one-line summaries show what did not match.
      std::string mismatch = ExtractMismatchLines(TailOfFile(diagnostics_log, 200, 65536));
      if (!mismatch.empty()) result->reason = mismatch + "\n(" + result->reason + ")";
      return;
    }
    if (!benchmark) {
      result->outcome = Outcome::kPassed;
      return;
    }
    std::string json_text;
    std::string read_error;
    std::optional<BenchmarkRun> run;
    if (ReadSmallFile(spec.stdout_path, &json_text, &read_error)) {
      run = ParseBenchmarkJson(json_text, &read_error);
    }
    if (!run) {
      result->outcome = Outcome::kFailed;
      result->reason = fmt::format("cannot read the benchmark results: {}", read_error);
      result->output_tail = TailOfFile(spec.stderr_path);
      return;
    }
    const double measured = MinRealTimeMs(*run);
    result->benchmark_attempts_ms.push_back(measured);
    if (!result->current_time_ms || measured < *result->current_time_ms) {
      // Report the best attempt, with its repetitions.
      result->current_time_ms = measured;
      result->benchmark_samples_ms.clear();
      for (const BenchmarkSample& sample : run->samples) {
        result->benchmark_samples_ms.push_back(sample.real_time_ms);
      }
    }
    result->threshold_ms = BenchmarkThresholdMs(test);
    // Judged on the best attempt so far, so the reason names the time the
    // reports show (passing on any attempt within the threshold is the same).
    verdict = JudgeBenchmark(test, *result->current_time_ms);
    if (verdict.passed) break;
  }
  result->outcome = verdict.passed ? Outcome::kPassed : Outcome::kFailed;
  result->reason = verdict.reason;
  const std::vector<double>& measured_ms = result->benchmark_attempts_ms;
  if (!verdict.passed && measured_ms.size() > 1) {
    result->reason += fmt::format(" (best of {} attempts)", measured_ms.size());
  } else if (verdict.passed && measured_ms.size() > 1) {
    // Reports and results files say that it took a retry, and what each measured.
    result->reason = fmt::format(
        "passed on retry: attempt {} of up to {} within the threshold (minimum real_time per "
        "attempt: {:.3f} ms)",
        measured_ms.size(), attempts, fmt::join(measured_ms, " ms, "));
  }
}

}  // namespace iree_suite
