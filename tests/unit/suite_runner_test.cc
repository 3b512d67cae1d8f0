// The runner's handling of misbehaving tools. The IREE tools are replaced by
// tiny shell scripts that fail in controlled ways: this tests iree-suite's
// reactions, not IREE (the end-to-end tests use the real tools).
#include "runner/suite_runner.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "artifacts/cache_layout.h"
#include "base/file_lock.h"
#include "exec/host_name.h"
#include "exec/tool_gate.h"
#include "test_helpers.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

class SuiteRunnerTest : public testing::Test {
 protected:
  SuiteRunnerTest() {
    std::ofstream(dir_ / "model.mlir") << "module {}\n";
    // A stand-in compiler that writes what iree-compile writes: a .vmfb after
    // -o and the statistics file named by the flag.
    Script("iree-compile",
           "out=''; stats=''; prev=''\n"
           "for a in \"$@\"; do\n"
           "  [ \"$prev\" = -o ] && out=$a\n"
           "  case $a in --iree-scheduling-dump-statistics-file=*) stats=${a#*=};; esac\n"
           "  prev=$a\n"
           "done\n"
           "printf 'PK\\003\\004vmfb' > \"$out\"\n"
           "printf '{\"stream-aggregate\":{\"execution\":{\"dispatch-count\":3}}}' > \"$stats\"\n");
    modules_["m"] = {"m", dir_ / "m.json", "model.mlir", {"--flag"}};
  }

  fs::path Script(const std::string& name, const std::string& body) {
    fs::path path = dir_ / "tools" / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << "#!/bin/sh\n" << body;
    fs::permissions(path, fs::perms::owner_all);
    return path;
  }

  ToolSet Tools() const {
    ToolSet tools;
    tools.compiler.iree_compile = dir_ / "tools" / "iree-compile";
    tools.compiler.version = "stand-in 1.0";
    tools.run_module = dir_ / "tools" / "iree-run-module";
    tools.benchmark_module = dir_ / "tools" / "iree-benchmark-module";
    return tools;
  }
  RunnerConfig Config() const {
    RunnerConfig config;
    config.external_file_directory = dir_;
    config.artifact_directory = dir_ / "artifacts";
    config.fetch.quiet = true;
    return config;
  }

  std::vector<TestResult> Run(const std::vector<TestDefinition>& tests, size_t jobs = 1,
                              std::optional<double> timeout_s = std::nullopt,
                              size_t benchmark_retries = 0, TestObserver* observer = nullptr,
                              RunEvents* events = nullptr) {
    RunnerConfig config = Config();
    config.jobs = jobs;
    config.timeout_s = timeout_s;
    config.benchmark_retries = benchmark_retries;
    config.events = events;
    SuiteRunner runner(modules_, Tools(), config);
    std::vector<const TestDefinition*> pointers;
    for (const TestDefinition& test : tests) pointers.push_back(&test);
    return runner.Run(pointers, observer);
  }

  // From now on the stand-in compiler appends a line per invocation.
  void CountCompiles() {
    std::string body;
    {
      std::ifstream in(dir_ / "tools" / "iree-compile");
      body.assign(std::istreambuf_iterator<char>(in), {});
    }
    Script("iree-compile", body.substr(body.find('\n') + 1) + "echo x >> " +
                               (dir_ / "compiles.txt").string() + "\n");
  }
  int Compiles() {
    std::ifstream in(dir_ / "compiles.txt");
    std::string line;
    int lines = 0;
    while (std::getline(in, line)) ++lines;
    return lines;
  }

  static TestDefinition Quality(std::string id) {
    TestDefinition test;
    test.id = std::move(id);
    test.kind = TestKind::kQuality;
    test.modules = {"m"};
    test.run_args = {"--function=main"};
    return test;
  }

  testing_helpers::TempDir temp_{"suite_runner_test"};
  const fs::path dir_ = temp_.path();
  std::map<std::string, ModuleDefinition> modules_;
};

TEST_F(SuiteRunnerTest, ToolKilledBySignalIsATestFailureNamingTheSignal) {
  Script("iree-run-module", "kill -SEGV $$\n");
  std::vector<TestResult> results = Run({Quality("crash.json")});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, Outcome::kFailed);
  EXPECT_NE(results[0].reason.find("iree-run-module killed by signal 11"), std::string::npos)
      << results[0].reason;
}

// Throws from inside the job of the test named `id`, in its worker thread.
class ThrowingObserver : public TestObserver {
 public:
  explicit ThrowingObserver(std::string id) : id_(std::move(id)) {}
  void OnTestStarted(const TestDefinition& test) override {
    if (test.id == id_) throw std::runtime_error("observer failed");
  }
  void OnTestFinished(const TestResult& result) override {
    if (result.test->id == id_) throw std::runtime_error("observer failed again");
  }

 private:
  std::string id_;
};

TEST_F(SuiteRunnerTest, AnExceptionInAJobIsThatTestsFailureAndTheOthersRun) {
  Script("iree-run-module", "exit 0\n");
  ThrowingObserver observer("t2.json");
  std::vector<TestDefinition> tests;
  for (int i = 0; i < 6; ++i) tests.push_back(Quality("t" + std::to_string(i) + ".json"));
  std::vector<TestResult> results = Run(tests, 3, std::nullopt, 0, &observer);
  ASSERT_EQ(results.size(), 6u);
  for (size_t i = 0; i < results.size(); ++i) {
    if (i == 2) continue;
    EXPECT_EQ(results[i].outcome, Outcome::kPassed) << results[i].reason;
  }
  EXPECT_EQ(results[2].outcome, Outcome::kFailed);
  EXPECT_EQ(results[2].test, &tests[2]);
  EXPECT_EQ(results[2].reason, "internal error while running the test: observer failed");
}

TEST_F(SuiteRunnerTest, HangingToolTimesOut) {
  Script("iree-run-module", "sleep 30\n");
  auto start = std::chrono::steady_clock::now();
  std::vector<TestResult> results = Run({Quality("hang.json")}, 1, 0.5);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, Outcome::kFailed);
  EXPECT_NE(results[0].reason.find("timed out after 0."), std::string::npos) << results[0].reason;
  EXPECT_LT(seconds, 10);
}

TEST_F(SuiteRunnerTest, SharedModuleIsCompiledOnceAcrossWorkers) {
  Script("iree-run-module", "exit 0\n");
  CountCompiles();
  std::vector<TestDefinition> tests;
  for (int i = 0; i < 12; ++i) tests.push_back(Quality("t" + std::to_string(i) + ".json"));
  std::vector<TestResult> results = Run(tests, 4);
  ASSERT_EQ(results.size(), 12u);
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].outcome, Outcome::kPassed) << results[i].reason;
    EXPECT_EQ(results[i].test, &tests[i]);  // reported in selection order
  }
  EXPECT_EQ(Compiles(), 1);
}

TEST_F(SuiteRunnerTest, RenamedModuleReusesTheCompileOfItsContent) {
  Script("iree-run-module", "exit 0\n");
  CountCompiles();
  ASSERT_EQ(Run({Quality("a.json")})[0].outcome, Outcome::kPassed);
  // Same MLIR and flags under another name (a renamed or copied module JSON).
  modules_["renamed"] = {"renamed", dir_ / "renamed.json", "model.mlir", {"--flag"}};
  TestDefinition test = Quality("b.json");
  test.modules = {"renamed"};
  std::vector<TestResult> results = Run({test});
  ASSERT_EQ(results[0].outcome, Outcome::kPassed) << results[0].reason;
  EXPECT_EQ(Compiles(), 1);
  EXPECT_EQ(
      fs::file_size(dir_ / "artifacts/modules/renamed" /
                    fs::directory_iterator(dir_ / "artifacts/modules/renamed")->path().filename() /
                    "module.vmfb"),
      8u);  // the stand-in's "vmfb" with a ZIP header, as a .vmfb has
}

TEST_F(SuiteRunnerTest, EditingAFileAFlagNamesCompilesAnew) {
  Script("iree-run-module", "exit 0\n");
  CountCompiles();
  std::ofstream(dir_ / "spec.mlir") << "// tuning spec v1\n";
  // An output file named by a flag is no input: rewriting it changes nothing.
  std::ofstream(dir_ / "stats.json") << "{}";
  modules_["m"].compiler_flags = {"--iree-codegen-tuning-spec-path=spec.mlir",
                                  "--iree-scheduling-dump-statistics-file=stats.json"};
  ASSERT_EQ(Run({Quality("a.json")})[0].outcome, Outcome::kPassed);
  ASSERT_EQ(Run({Quality("a.json")})[0].outcome, Outcome::kPassed);
  std::ofstream(dir_ / "stats.json") << "{\"other\": 1}";
  ASSERT_EQ(Run({Quality("a.json")})[0].outcome, Outcome::kPassed);
  EXPECT_EQ(Compiles(), 1);  // unchanged inputs: cached
  std::ofstream(dir_ / "spec.mlir") << "// tuning spec v2\n";
  ASSERT_EQ(Run({Quality("a.json")})[0].outcome, Outcome::kPassed);
  EXPECT_EQ(Compiles(), 2);
}

// A controllable workload: the stand-in benchmark reports 5 ms on its first
// measurement and 1 ms afterwards; the golden (2 ms x 1.1) lies in between.
TEST_F(SuiteRunnerTest, BenchmarkThatPassesOnRetryIsPassedWithEveryAttempt) {
  fs::path count = dir_ / "attempts.txt";
  Script("iree-benchmark-module",
         "echo x >> " + count.string() + "\n" + "if [ $(wc -l < " + count.string() +
             ") -eq 1 ]; then t=5.0; else t=1.0; fi\n"
             "echo '{\"benchmarks\": [{\"name\": \"BM_main\", \"run_type\": \"iteration\", "
             "\"real_time\": '$t', \"cpu_time\": '$t', \"time_unit\": \"ms\"}]}'\n");
  TestDefinition test = Quality("bench.json");
  test.kind = TestKind::kBenchmark;
  test.golden_time_ms = 2.0;

  std::vector<TestResult> without_retry = Run({test});
  ASSERT_EQ(without_retry.size(), 1u);
  EXPECT_EQ(without_retry[0].outcome, Outcome::kFailed);
  fs::remove(count);

  std::vector<TestResult> results = Run({test}, 1, std::nullopt, /*benchmark_retries=*/2);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, Outcome::kPassed) << results[0].reason;
  EXPECT_EQ(results[0].benchmark_attempts_ms, (std::vector<double>{5.0, 1.0}));
  EXPECT_EQ(results[0].current_time_ms, 1.0);  // the best attempt is reported
  EXPECT_EQ(results[0].reason,
            "passed on retry: attempt 2 of up to 3 within the threshold (minimum real_time per "
            "attempt: 5.000 ms, 1.000 ms)");
}

TEST_F(SuiteRunnerTest, BenchmarkFailingEveryAttemptSaysSo) {
  Script("iree-benchmark-module",
         "echo '{\"benchmarks\": [{\"name\": \"BM_main\", \"real_time\": 5.0, "
         "\"cpu_time\": 5.0, \"time_unit\": \"ms\"}]}'\n");
  TestDefinition test = Quality("bench.json");
  test.kind = TestKind::kBenchmark;
  test.golden_time_ms = 2.0;
  std::vector<TestResult> results = Run({test}, 1, std::nullopt, 2);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, Outcome::kFailed);
  EXPECT_EQ(results[0].benchmark_attempts_ms.size(), 3u);
  EXPECT_NE(results[0].reason.find("(best of 3 attempts)"), std::string::npos);
}

// Issue 14: a benchmark waiting for another's exclusive turn reports only its
// own work. Each stand-in benchmark measures for 1 s; two run one after the
// other even with two workers.
TEST_F(SuiteRunnerTest, WaitingForABenchmarksTurnIsNotTestTime) {
  Script("iree-benchmark-module",
         "sleep 1\n"
         "echo '{\"benchmarks\": [{\"name\": \"BM_main\", \"real_time\": 1.0, "
         "\"cpu_time\": 1.0, \"time_unit\": \"ms\"}]}'\n");
  std::vector<TestDefinition> tests = {Quality("first.json"), Quality("second.json")};
  for (TestDefinition& test : tests) test.kind = TestKind::kBenchmark;
  const auto start = std::chrono::steady_clock::now();
  std::vector<TestResult> results = Run(tests, /*jobs=*/2);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_GE(wall_s, 2.0);  // they did not overlap
  for (const TestResult& result : results) {
    EXPECT_EQ(result.outcome, Outcome::kPassed) << result.reason;
    EXPECT_GE(result.duration_s, 1.0);
    // Without the other's measurement: ~1 s, not ~2 s.
    EXPECT_LT(result.duration_s, 1.7) << result.test->id;
  }
}

// Records the repro steps and the cached commands the runner reports.
class RecordingEvents final : public RunEvents, public ReproObserver {
 public:
  void OnCommandStarted(const ProcessSpec&) override {}
  void OnCommandCached(const ProcessSpec& spec, const std::string& note) override {
    cached.push_back({{spec.cwd, spec.argv}, note});
  }
  void OnJobProgress(const std::string&, uint64_t, uint64_t, double) override {}
  void OnJobFinished(const std::string&) override {}
  void OnNotice(const std::string&) override {}
  void OnReproStarted(const Repro& command) override { started.push_back(command); }
  void OnReproFinished(const ProcessResult& process, const std::vector<fs::path>&) override {
    finished.push_back(process);
  }
  std::vector<ShownCommand> cached;
  std::vector<Repro> started;
  std::vector<ProcessResult> finished;
};

std::string Joined(const std::vector<std::string>& argv) {
  std::string text;
  for (const std::string& arg : argv) text += (text.empty() ? "" : " ") + arg;
  return text;
}

TEST_F(SuiteRunnerTest, CommandsAreTheRunsReproLinesWithoutRunningAnything) {
  Script("iree-run-module", "exit 0\n");
  TestDefinition test = Quality("q.json");
  SuiteRunner shower(modules_, Tools(), Config());
  std::vector<ShownCommand> shown = shower.Commands(test);
  ASSERT_EQ(shown.size(), 2u);
  // Nothing ran, nothing was compiled or written into the cache.
  EXPECT_FALSE(fs::exists(dir_ / "artifacts" / "modules"));
  EXPECT_EQ(shown[0].note, "");
  EXPECT_EQ(shown[0].command.argv[0], (dir_ / "tools" / "iree-compile").string());
  EXPECT_NE(Joined(shown[0].command.argv).find(" -o " + (dir_ / "artifacts" / "repro").string()),
            std::string::npos);

  std::vector<TestResult> results = Run({test});
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(results[0].outcome, Outcome::kPassed) << results[0].reason;
  // What the run's repro line says is exactly what was shown.
  ASSERT_EQ(results[0].repros.size(), 1u);
  EXPECT_EQ(shown[1].command.argv, results[0].repros[0].argv);
  EXPECT_EQ(shown[1].command.cwd, results[0].repros[0].cwd);
  // Now the module is cached, and the compile says so.
  std::vector<ShownCommand> again = shower.Commands(test);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].note.rfind("cached: " + (dir_ / "artifacts" / "modules").string(), 0), 0u)
      << again[0].note;
}

TEST_F(SuiteRunnerTest, CommandsOfACompstatTestAreItsCompilesOnly) {
  TestDefinition test = Quality("c.json");
  test.kind = TestKind::kCompstat;
  SuiteRunner shower(modules_, Tools(), Config());
  EXPECT_EQ(shower.Commands(test).size(), 1u);
  test.modules = {"undefined"};
  std::vector<ShownCommand> shown = shower.Commands(test);
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_TRUE(shown[0].command.argv.empty());
  EXPECT_NE(shown[0].note.find("module \"undefined\" is not defined"), std::string::npos);
}

TEST_F(SuiteRunnerTest, ACachedModuleStillReportsTheCompileItStandsFor) {
  Script("iree-run-module", "exit 0\n");
  RecordingEvents first;
  Run({Quality("q.json")}, 1, std::nullopt, 0, nullptr, &first);
  EXPECT_TRUE(first.cached.empty());  // it compiled
  RecordingEvents second;
  Run({Quality("q.json")}, 1, std::nullopt, 0, nullptr, &second);
  ASSERT_EQ(second.cached.size(), 1u);
  EXPECT_EQ(second.cached[0].command.argv[0], (dir_ / "tools" / "iree-compile").string());
  EXPECT_EQ(second.cached[0].note.rfind("cached: ", 0), 0u) << second.cached[0].note;
}

TEST_F(SuiteRunnerTest, ReproCompilesIntoTheScratchDirectoryAndNeverTheCache) {
  Script("iree-run-module", "echo ran \"$@\"; exit 3\n");
  TestDefinition test = Quality("q.json");
  CountCompiles();
  ASSERT_EQ(Run({test})[0].outcome, Outcome::kFailed);
  const fs::path entry = *fs::directory_iterator(dir_ / "artifacts" / "modules" / "m");
  const auto published = fs::last_write_time(entry / "module.vmfb");
  SuiteRunner runner(modules_, Tools(), Config());
  RecordingEvents events;
  Result<ProcessResult> last = runner.Reproduce(test, dir_ / "scratch", events);
  ASSERT_TRUE(last) << last.error();
  EXPECT_EQ(last->exit_code, 3);  // the run tool's status
  EXPECT_EQ(Compiles(), 2);       // compiled again, although cached
  EXPECT_TRUE(fs::is_regular_file(dir_ / "scratch" / "m" / "module.vmfb"));
  EXPECT_EQ(fs::last_write_time(entry / "module.vmfb"), published);
  ASSERT_EQ(events.started.size(), 2u);
  EXPECT_EQ(events.started[1].argv[1],
            "--module=" + (dir_ / "scratch" / "m" / "module.vmfb").string());
  std::ifstream log(dir_ / "scratch" / "run.log");
  std::string line;
  std::getline(log, line);
  EXPECT_EQ(line, "ran --module=" + (dir_ / "scratch" / "m" / "module.vmfb").string() +
                      " --function=main");
}

TEST_F(SuiteRunnerTest, ReproStopsAtAFailedCompile) {
  Script("iree-compile", "exit 7\n");
  SuiteRunner runner(modules_, Tools(), Config());
  RecordingEvents events;
  Result<ProcessResult> last = runner.Reproduce(Quality("q.json"), dir_ / "scratch", events);
  ASSERT_TRUE(last) << last.error();
  EXPECT_EQ(last->exit_code, 7);
  EXPECT_EQ(events.started.size(), 1u);
  EXPECT_FALSE(fs::exists(dir_ / "artifacts" / "modules"));
}

TEST_F(SuiteRunnerTest, ReproOfABenchmarkTakesItsTurnAloneOnThisHost) {
  const fs::path started = dir_ / "benchmark-started";
  Script("iree-benchmark-module", "touch " + started.string() + "\necho '{}'\n");
  TestDefinition test = Quality("b.json");
  test.kind = TestKind::kBenchmark;
  // Another run on this host (sharing the artifact directory's lock files)
  // has a tool running.
  ToolGate other_run;
  other_run.ShareAcrossProcesses(CacheLayout(dir_ / "artifacts").HostLockDirectory(HostName()));
  std::optional<ToolGate::Turn> running = other_run.Shared();
  CountCompiles();
  SuiteRunner runner(modules_, Tools(), Config());
  RecordingEvents events;  // read only once the repro is done (its thread writes it)
  std::future<Result<ProcessResult>> repro = std::async(
      std::launch::async, [&] { return runner.Reproduce(test, dir_ / "scratch", events); });
  // The compile runs beside the other run's tool (however slow the machine); the benchmark
  // then waits for its turn.
  for (int i = 0; i < 600 && Compiles() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(Compiles(), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(fs::exists(started));
  running.reset();
  Result<ProcessResult> last = repro.get();
  ASSERT_TRUE(last) << last.error();
  EXPECT_TRUE(last->Succeeded()) << last->Describe();
  EXPECT_TRUE(fs::exists(started));
  EXPECT_EQ(events.started.size(), 2u);  // the compile, then the benchmark
}

// Under --force-recompile, a compile that waited for another runner's lock takes what that
// runner just compiled, but never an older twin (the same key under another module name).
TEST_F(SuiteRunnerTest, UnderForceRecompileAWaitedCompileNeverLinksATwin) {
  Script("iree-run-module", "exit 0\n");
  CountCompiles();
  modules_["m2"] = {"m2", dir_ / "m2.json", "model.mlir", {"--flag"}};
  ASSERT_EQ(Run({Quality("a.json")})[0].outcome, Outcome::kPassed);  // module m
  ASSERT_EQ(Compiles(), 1);
  const fs::path twin = *fs::directory_iterator(dir_ / "artifacts" / "modules" / "m");
  const fs::path entry = dir_ / "artifacts" / "modules" / "m2" / twin.filename();
  fs::create_directories(entry.parent_path());
  std::optional<FileLock> other_runner(std::in_place);
  ASSERT_TRUE(other_runner->Acquire(CacheLayout::ModuleLock(entry)));
  RunnerConfig forced = Config();
  forced.force_recompile = true;
  SuiteRunner runner(modules_, Tools(), forced);
  TestDefinition test = Quality("b.json");
  test.modules = {"m2"};
  std::future<std::vector<TestResult>> run =
      std::async(std::launch::async, [&] { return runner.Run({&test}, nullptr); });
  // It waits for the other runner's lock (the path under test), not yet compiling.
  EXPECT_EQ(run.wait_for(std::chrono::milliseconds(500)), std::future_status::timeout);
  EXPECT_EQ(Compiles(), 1);
  other_runner.reset();  // it finished without publishing m2
  std::vector<TestResult> results = run.get();
  ASSERT_EQ(results[0].outcome, Outcome::kPassed) << results[0].reason;
  EXPECT_EQ(Compiles(), 2);
}

TEST_F(SuiteRunnerTest, UnderForceRecompileNoCompileIsShownAsCached) {
  Script("iree-run-module", "exit 0\n");
  TestDefinition test = Quality("q.json");
  ASSERT_EQ(Run({test})[0].outcome, Outcome::kPassed);
  SuiteRunner shower(modules_, Tools(), Config());
  EXPECT_EQ(shower.Commands(test)[0].note.rfind("cached: ", 0), 0u);
  RunnerConfig forced = Config();
  forced.force_recompile = true;
  SuiteRunner forced_shower(modules_, Tools(), forced);
  EXPECT_EQ(forced_shower.Commands(test)[0].note, "");  // a run would compile it
}

TEST_F(SuiteRunnerTest, OnlyAFailureRecordARunReadsIsShownAsACachedFailure) {
  Script("iree-compile", "echo x >> " + (dir_ / "compiles.txt").string() +
                             "\necho 'model.mlir:1:1: error: unsupported op'; exit 1\n");
  TestDefinition test = Quality("q.json");
  ASSERT_EQ(Run({test})[0].outcome, Outcome::kFailed);
  SuiteRunner shower(modules_, Tools(), Config());
  EXPECT_EQ(shower.Commands(test)[0].note.rfind("cached failure: ", 0), 0u)
      << shower.Commands(test)[0].note;
  // A record this version cannot read: the next run compiles, so not "cached".
  fs::path record;
  for (const fs::directory_entry& file :
       fs::recursive_directory_iterator(dir_ / "artifacts" / "modules")) {
    if (file.path().filename() == "failure.json") record = file.path();
  }
  ASSERT_FALSE(record.empty());
  std::ofstream(record) << "{\"error\": 1}\n";
  EXPECT_EQ(shower.Commands(test)[0].note, "");
  ASSERT_EQ(Run({test})[0].outcome, Outcome::kFailed);
  EXPECT_EQ(Compiles(), 2);
}

}  // namespace
}  // namespace iree_suite
