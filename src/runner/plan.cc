#include "runner/plan.h"

#include <optional>
#include <tuple>

#include "artifacts/local_source.h"
#include "checks/test_verdict.h"
#include "exec/tool_gate.h"
#include "suite/torch_ops_test.h"

namespace iree_suite {

namespace {

// Adds each job once, by what it produces.
class PlanBuilder {
 public:
  PlanBuilder(const std::map<std::string, ModuleDefinition>& modules, const PlanOptions& options)
      : modules_(modules), options_(options) {}

  void AddTest(const TestDefinition& test, size_t index);
  Plan Finish();

 private:
  size_t Add(Job job) {
    plan_.jobs.push_back(std::move(job));
    return plan_.jobs.size() - 1;
  }
  // The fetch job of a remote URL; nullopt for a local path.
  std::optional<size_t> Fetch(const std::string& url);
  std::optional<size_t> Compile(const std::string& module_name);
  std::optional<size_t> Parameters(const WeightSpec& weight);
  // What a run of the test's tool reads: weights, argspecs, torch_ops outputs.
  void AddRunInputs(const TestDefinition& test, Job* job);

  const std::map<std::string, ModuleDefinition>& modules_;
  const PlanOptions& options_;
  Plan plan_;
  std::vector<size_t> compiles_, tests_;
  std::map<std::string, size_t> fetch_of_, compile_of_;
  std::map<std::tuple<std::string, int, int64_t, double>, size_t> parameters_of_;
};

std::optional<size_t> PlanBuilder::Fetch(const std::string& url) {
  if (!IsRemoteUrl(url)) return std::nullopt;
  if (auto found = fetch_of_.find(url); found != fetch_of_.end()) return found->second;
  Job job;
  job.kind = JobKind::kFetch;
  job.name = url;
  const size_t index = Add(std::move(job));
  plan_.fetches.push_back(index);
  return fetch_of_[url] = index;
}

std::optional<size_t> PlanBuilder::Compile(const std::string& module_name) {
  if (auto found = compile_of_.find(module_name); found != compile_of_.end()) return found->second;
  auto module = modules_.find(module_name);
  if (module == modules_.end()) return std::nullopt;
  Job job;
  job.kind = JobKind::kCompile;
  job.name = module_name;
  job.module = &module->second;
  if (std::optional<size_t> mlir = Fetch(module->second.mlir)) job.needs.push_back(*mlir);
  const size_t index = Add(std::move(job));
  compiles_.push_back(index);
  return compile_of_[module_name] = index;
}

std::optional<size_t> PlanBuilder::Parameters(const WeightSpec& weight) {
  auto module = modules_.find(weight.module);
  if (module == modules_.end()) return std::nullopt;
  // The archive depends on the module's globals and how they are filled, not on the scope.
  auto key = std::make_tuple(weight.module, static_cast<int>(weight.kind),
                             weight.kind == WeightSpec::Kind::kRandom ? weight.seed : 0,
                             weight.kind == WeightSpec::Kind::kSplat ? weight.value : 0.0);
  if (auto found = parameters_of_.find(key); found != parameters_of_.end()) return found->second;
  Job job;
  job.kind = JobKind::kGenerateParameters;
  job.name = weight.module;
  job.module = &module->second;
  job.weight = &weight;
  if (std::optional<size_t> mlir = Fetch(module->second.mlir)) job.needs.push_back(*mlir);
  const size_t index = Add(std::move(job));
  plan_.parameter_archives.push_back(index);
  return parameters_of_[key] = index;
}

void PlanBuilder::AddRunInputs(const TestDefinition& test, Job* job) {
  auto need = [&](std::optional<size_t> index) {
    if (index) job->needs.push_back(*index);
  };
  for (const WeightSpec& weight : test.weights) {
    need(weight.kind == WeightSpec::Kind::kUrl ? Fetch(weight.url) : Parameters(weight));
  }
  for (const auto* specs : {&test.inputs, &test.outputs, &test.expected_outputs}) {
    for (const ArgSpec& spec : *specs) {
      if (spec.url) need(Fetch(*spec.url));
    }
  }
  if (test.torch_ops) {
    for (const ArgSpec& spec : test.torch_ops->expected_outputs) {
      if (spec.url) need(Fetch(*spec.url));
    }
  }
}

void PlanBuilder::AddTest(const TestDefinition& test, size_t index) {
  Job job;
  job.kind = JobKind::kTest;
  job.name = test.id;
  job.test = &test;
  job.test_index = index;
  for (const std::string& name : test.modules) {
    if (std::optional<size_t> compile = Compile(name)) job.needs.push_back(*compile);
  }
  job.runs_tool = RunsTool(test);
  if (job.runs_tool) {
    AddRunInputs(test, &job);
    ToolTurn turn = TurnOf(test);
    job.exclusivity = turn.exclusivity;
    job.gpu_device = std::move(turn.gpu_device);
    job.measurements = test.kind == TestKind::kBenchmark
                           ? BenchmarkAttemptsAllowed(options_.benchmark_retries)
                           : 1;
  }
  tests_.push_back(Add(std::move(job)));
}

Plan PlanBuilder::Finish() {
  plan_.work = compiles_;
  plan_.work.insert(plan_.work.end(), tests_.begin(), tests_.end());
  return std::move(plan_);
}

}  // namespace

bool RunsTool(const TestDefinition& test) {
  return !test.compile_only && test.kind != TestKind::kCompstat;
}

ToolTurn TurnOf(const TestDefinition& test) {
  if (test.kind == TestKind::kBenchmark) return {Exclusivity::kExclusive, ""};
  return {Exclusivity::kShared, GpuDeviceOf(test.run_args)};
}

Plan MakePlan(const std::vector<const TestDefinition*>& tests,
              const std::map<std::string, ModuleDefinition>& modules, const PlanOptions& options) {
  PlanBuilder builder(modules, options);
  for (size_t i = 0; i < tests.size(); ++i) builder.AddTest(*tests[i], i);
  return builder.Finish();
}

}  // namespace iree_suite
