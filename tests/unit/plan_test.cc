// The plan of a run, made without running anything, and its executor driven
// by a fake job runner that records what it was given.
#include "runner/plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "runner/plan_executor.h"
#include "suite/torch_ops_test.h"

namespace iree_suite {
namespace {

class PlanTest : public testing::Test {
 protected:
  PlanTest() {
    modules_["a"] = {"a", "a.json", "a.mlir", {}};
    modules_["b"] = {"b", "b.json", "b.mlir", {}};
    modules_["remote"] = {"remote", "remote.json", "https://example.com/remote.mlir", {}};
  }

  TestDefinition& Add(std::string id, TestKind kind, std::vector<std::string> modules) {
    TestDefinition& test = tests_.emplace_back();
    test.id = std::move(id);
    test.kind = kind;
    test.modules = std::move(modules);
    return test;
  }

  Plan Make(size_t benchmark_retries = 0) {
    std::vector<const TestDefinition*> selection;
    for (const TestDefinition& test : tests_) selection.push_back(&test);
    return MakePlan(selection, modules_, {benchmark_retries});
  }

  static std::vector<std::string> Names(const Plan& plan, const std::vector<size_t>& jobs) {
    std::vector<std::string> names;
    for (size_t index : jobs) names.push_back(plan.jobs[index].name);
    return names;
  }

  static const Job& TestJob(const Plan& plan, const std::string& id) {
    for (const Job& job : plan.jobs) {
      if (job.kind == JobKind::kTest && job.name == id) return job;
    }
    throw std::runtime_error("no test job " + id);
  }

  std::map<std::string, ModuleDefinition> modules_;
  std::deque<TestDefinition> tests_;  // stable addresses
};

TEST_F(PlanTest, SharedModulesAreCompiledOnceAheadOfTheTests) {
  Add("t1.json", TestKind::kQuality, {"a"});
  Add("t2.json", TestKind::kQuality, {"b", "a"});
  Add("t3.json", TestKind::kBenchmark, {"a"});
  Plan plan = Make();
  EXPECT_EQ(Names(plan, plan.work),
            (std::vector<std::string>{"a", "b", "t1.json", "t2.json", "t3.json"}));
  EXPECT_EQ(plan.jobs[plan.work[0]].module, &modules_["a"]);
  EXPECT_EQ(Names(plan, TestJob(plan, "t2.json").needs), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(TestJob(plan, "t3.json").test_index, 2u);
  EXPECT_EQ(TestJob(plan, "t3.json").test, &tests_[2]);
  EXPECT_TRUE(plan.fetches.empty());  // local MLIR needs no download
}

TEST_F(PlanTest, RemoteFilesAreFetchedOnceAndBeforeWhatUsesThem) {
  TestDefinition& first = Add("t1.json", TestKind::kQuality, {"remote"});
  first.inputs = {{"https://example.com/in.npy", std::nullopt}, {std::nullopt, "1xf32=1"}};
  first.weights = {{WeightSpec::Kind::kUrl, "model", "https://example.com/w.irpa", "", 0, 0},
                   {WeightSpec::Kind::kUrl, "local", "w.irpa", "", 0, 0}};
  TestDefinition& second = Add("t2.json", TestKind::kQuality, {"remote"});
  second.expected_outputs = {{"https://example.com/in.npy", std::nullopt}};
  Plan plan = Make();
  EXPECT_EQ(Names(plan, plan.fetches),
            (std::vector<std::string>{"https://example.com/remote.mlir",
                                      "https://example.com/w.irpa", "https://example.com/in.npy"}));
  const Job& compile = plan.jobs[plan.work[0]];
  ASSERT_EQ(compile.kind, JobKind::kCompile);
  EXPECT_EQ(Names(plan, compile.needs),
            (std::vector<std::string>{"https://example.com/remote.mlir"}));
  EXPECT_EQ(Names(plan, TestJob(plan, "t1.json").needs),
            (std::vector<std::string>{"remote", "https://example.com/w.irpa",
                                      "https://example.com/in.npy"}));
  EXPECT_EQ(Names(plan, TestJob(plan, "t2.json").needs),
            (std::vector<std::string>{"remote", "https://example.com/in.npy"}));
  // Every job a job needs comes before it.
  for (size_t i = 0; i < plan.jobs.size(); ++i) {
    for (size_t need : plan.jobs[i].needs) EXPECT_LT(need, i);
  }
}

TEST_F(PlanTest, BenchmarksRunAloneAndOtherRunsTakeTheirGpuDevicesSlot) {
  Add("bench.json", TestKind::kBenchmark, {"a"}).run_args = {"--device=hip"};
  Add("gpu.json", TestKind::kQuality, {"a"}).run_args = {"--device=hip", "--function=f"};
  Add("cpu.json", TestKind::kQuality, {"a"}).run_args = {"--device=local-task"};
  Plan plan = Make(/*benchmark_retries=*/2);
  const Job& bench = TestJob(plan, "bench.json");
  EXPECT_EQ(bench.exclusivity, Exclusivity::kExclusive);
  EXPECT_EQ(bench.gpu_device, "");  // alone already
  EXPECT_EQ(bench.measurements, 3u);
  const Job& gpu = TestJob(plan, "gpu.json");
  EXPECT_EQ(gpu.exclusivity, Exclusivity::kShared);
  EXPECT_EQ(gpu.gpu_device, "hip");
  EXPECT_EQ(gpu.measurements, 1u);
  EXPECT_EQ(TestJob(plan, "cpu.json").gpu_device, "");
}

TEST_F(PlanTest, TestsThatDoNotRunTheirModulesNeedOnlyTheirCompiles) {
  // skip_run_tests and --skip-all-runs make compile_only tests; compstat runs no tool.
  TestDefinition& skipped = Add("skipped", TestKind::kQuality, {"a"});
  skipped.compile_only = true;
  skipped.inputs = {{"https://example.com/unused.npy", std::nullopt}};
  Add("compstat.json", TestKind::kCompstat, {"b"}).inputs = skipped.inputs;
  TestDefinition& expected = Add("expected", TestKind::kQuality, {"a"});
  expected.expectation = TestDefinition::Expectation::kCompileFailure;
  Plan plan = Make();
  EXPECT_FALSE(TestJob(plan, "skipped").runs_tool);
  EXPECT_EQ(TestJob(plan, "skipped").measurements, 0u);
  EXPECT_EQ(Names(plan, TestJob(plan, "skipped").needs), (std::vector<std::string>{"a"}));
  EXPECT_FALSE(TestJob(plan, "compstat.json").runs_tool);
  EXPECT_TRUE(plan.fetches.empty());
  // An expected compile failure that compiles after all is run, to tell which list it is on.
  EXPECT_TRUE(TestJob(plan, "expected").runs_tool);
}

TEST_F(PlanTest, ParameterArchivesAreGeneratedOncePerModuleAndFill) {
  const WeightSpec random{WeightSpec::Kind::kRandom, "model", "", "remote", 7, 0};
  Add("t1.json", TestKind::kQuality, {"a"}).weights = {random};
  Add("t2.json", TestKind::kQuality, {"a"}).weights = {random};
  WeightSpec other_seed = random;
  other_seed.seed = 8;
  Add("t3.json", TestKind::kQuality, {"a"}).weights = {other_seed};
  Plan plan = Make();
  ASSERT_EQ(plan.parameter_archives.size(), 2u);
  const Job& archive = plan.jobs[plan.parameter_archives[0]];
  EXPECT_EQ(archive.kind, JobKind::kGenerateParameters);
  EXPECT_EQ(archive.module, &modules_["remote"]);
  EXPECT_EQ(archive.weight->seed, 7);
  // The archive reads the module's MLIR, fetched first; it is not queued itself.
  EXPECT_EQ(Names(plan, archive.needs),
            (std::vector<std::string>{"https://example.com/remote.mlir"}));
  EXPECT_EQ(TestJob(plan, "t2.json").needs.back(), plan.parameter_archives[0]);
  for (size_t index : plan.parameter_archives) {
    EXPECT_EQ(std::count(plan.work.begin(), plan.work.end(), index), 0);
  }
}

TEST_F(PlanTest, AnUndefinedModuleGetsNoCompile) {
  Add("t1.json", TestKind::kQuality, {"missing"});
  Plan plan = Make();
  EXPECT_EQ(Names(plan, plan.work), (std::vector<std::string>{"t1.json"}));
  EXPECT_TRUE(TestJob(plan, "t1.json").needs.empty());
}

// Records the jobs it is given, from any thread.
struct FakeJobRunner {
  std::mutex mutex;
  std::vector<std::string> ran;
  void operator()(const Job& job) {
    std::lock_guard<std::mutex> lock(mutex);
    ran.push_back(job.name);
  }
};

TEST_F(PlanTest, ExecutorRunsEveryQueuedJobOnceAndTheWorkInOrder) {
  for (int i = 0; i < 6; ++i) {
    Add("t" + std::to_string(i), TestKind::kQuality, {i % 2 ? "a" : "remote"}).inputs = {
        {"https://example.com/" + std::to_string(i), std::nullopt}};
  }
  Plan plan = Make();
  FakeJobRunner fetches, work;
  ExecutorOptions options;
  options.fetch_jobs = 2;
  ExecutePlan(plan, options, [&](const Job& job) {
    if (job.kind == JobKind::kFetch) return fetches(job);
    // The last test waits for every download: they go on in their own pool
    // (queued downloads are dropped once the work is done).
    if (job.name == "t5") {
      for (int i = 0; i < 1000; ++i) {
        {
          std::lock_guard<std::mutex> lock(fetches.mutex);
          if (fetches.ran.size() == plan.fetches.size()) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
    work(job);
  });
  EXPECT_EQ(work.ran, Names(plan, plan.work));  // one worker: the queue's order
  std::vector<std::string> fetched = fetches.ran;
  std::sort(fetched.begin(), fetched.end());
  std::vector<std::string> planned = Names(plan, plan.fetches);
  std::sort(planned.begin(), planned.end());
  EXPECT_EQ(fetched, planned);
}

TEST_F(PlanTest, ExecutorSpreadsTheWorkOverWorkersAndOutlivesAFailingJob) {
  for (int i = 0; i < 8; ++i) Add("t" + std::to_string(i), TestKind::kQuality, {"a"});
  Plan plan = Make();
  FakeJobRunner runner;
  std::atomic<int> in_flight{0}, most_in_flight{0};
  ExecutorOptions options;
  options.jobs = 4;
  ExecutePlan(plan, options, [&](const Job& job) {
    const int now = ++in_flight;
    int most = most_in_flight.load();
    while (now > most && !most_in_flight.compare_exchange_weak(most, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    runner(job);
    --in_flight;
    if (job.name == "t3") throw std::runtime_error("job failed");
  });
  EXPECT_EQ(runner.ran.size(), plan.work.size());
  EXPECT_GT(most_in_flight.load(), 1);
  EXPECT_LE(most_in_flight.load(), 4);
}

TEST_F(PlanTest, ExecutorTakesNoJobOnceStopped) {
  for (int i = 0; i < 5; ++i) Add("t" + std::to_string(i), TestKind::kQuality, {"a"});
  Plan plan = Make();
  FakeJobRunner runner;
  ExecutorOptions options;
  options.stop = [&] {
    std::lock_guard<std::mutex> lock(runner.mutex);
    return runner.ran.size() >= 3;  // e.g. --maxfail reached
  };
  ExecutePlan(plan, options, std::ref(runner));
  EXPECT_EQ(runner.ran, (std::vector<std::string>{"a", "t0", "t1"}));
}

}  // namespace
}  // namespace iree_suite
