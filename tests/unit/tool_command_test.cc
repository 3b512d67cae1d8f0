// The one builder of a test's tool command: what a run executes, what its
// repro line shows and what --show-commands and `iree-suite repro` print.
#include "runner/tool_command.h"

#include <gtest/gtest.h>

#include <memory>

#include "runner/plan.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

// Files at "/located/<url>", archives at "/params/<scope>.irpa", torch_ops
// inputs at "/inputs/<i>.npy"; `failing` fails with "HTTP 404".
class FakeInputs final : public TestInputs {
 public:
  Result<fs::path> File(const std::string& url) override {
    if (url == failing) return Error{"HTTP 404"};
    return fs::path("/located") / fs::path(url).relative_path();
  }
  Result<fs::path> Parameters(const WeightSpec& weight) override {
    return fs::path("/params") / (weight.scope + ".irpa");
  }
  Result<std::vector<fs::path>> TorchOpsInputs(const TorchOpsTest& test) override {
    std::vector<fs::path> paths;
    for (size_t i = 0; i < test.args.size(); ++i) {
      paths.push_back(fs::path("/inputs") / (std::to_string(i) + ".npy"));
    }
    return paths;
  }
  std::string failing;
};

ToolSet Tools() {
  ToolSet tools;
  tools.run_module = "/venv/bin/iree-run-module";
  tools.run_module_executable = "/venv/lib/iree/_runtime_libs/iree-run-module";
  tools.benchmark_module = "/venv/bin/iree-benchmark-module";
  return tools;
}

TestDefinition Quality() {
  TestDefinition test;
  test.id = "q.json";
  test.json_path = "/suite/q.json";
  test.kind = TestKind::kQuality;
  test.run_args = {"--function=main"};
  ArgSpec input;
  input.url = "in.npy";
  test.inputs = {input};
  WeightSpec weight;
  weight.kind = WeightSpec::Kind::kRandom;
  weight.scope = "model";
  test.weights = {weight};
  return test;
}

TEST(ToolCommandTest, RunsTheRealBinaryAndShowsTheToolAsFound) {
  FakeInputs inputs;
  Result<ToolCommand> command =
      BuildToolCommand(Quality(), {"/a/m1.vmfb", "/a/m2.vmfb"}, Tools(), "/ext", "/logs", inputs);
  ASSERT_TRUE(command) << command.error();
  const std::vector<std::string> flags = {"--module=/a/m1.vmfb", "--module=/a/m2.vmfb",
                                          "--parameters=model=/params/model.irpa",
                                          "--input=@/located/in.npy", "--function=main"};
  std::vector<std::string> runs = {"/venv/lib/iree/_runtime_libs/iree-run-module"};
  runs.insert(runs.end(), flags.begin(), flags.end());
  std::vector<std::string> shown = {"/venv/bin/iree-run-module"};
  shown.insert(shown.end(), flags.begin(), flags.end());
  EXPECT_EQ(command->spec.argv, runs);
  EXPECT_EQ(command->repro.argv, shown);
  EXPECT_EQ(command->spec.cwd, "/ext");
  EXPECT_EQ(command->repro.cwd, "/ext");
  EXPECT_EQ(command->stdout_log, "/logs/run.log");
  EXPECT_TRUE(command->stderr_log.empty());
}

TEST(ToolCommandTest, ABenchmarkWritesJsonAndItsOwnStderrLog) {
  TestDefinition test = Quality();
  test.kind = TestKind::kBenchmark;
  test.working_directory = "/suite/ops/add";
  FakeInputs inputs;
  Result<ToolCommand> command =
      BuildToolCommand(test, {"/a/m.vmfb"}, Tools(), "/ext", "/s", inputs);
  ASSERT_TRUE(command) << command.error();
  EXPECT_EQ(command->spec.argv[0], "/venv/bin/iree-benchmark-module");
  EXPECT_EQ(command->spec.argv[1], "--benchmark_format=json");
  EXPECT_EQ(command->spec.cwd, "/suite/ops/add");
  EXPECT_EQ(command->spec.stdout_path, "/s/benchmark.json");
  EXPECT_EQ(command->spec.stderr_path, "/s/benchmark.log");
}

TEST(ToolCommandTest, TorchOpsOutputsGoToTheOutputDirectory) {
  auto torch = std::make_shared<TorchOpsTest>();
  torch->folder = "/suite/AB/t";
  torch->args.resize(2);
  ArgSpec expected;
  expected.value = "out.npy";
  torch->expected_outputs = {expected};
  TestDefinition test = Quality();
  test.weights.clear();
  test.inputs.clear();
  test.torch_ops = torch;
  FakeInputs inputs;
  Result<ToolCommand> command =
      BuildToolCommand(test, {"/a/m.vmfb"}, Tools(), "/ext", "/scratch", inputs);
  ASSERT_TRUE(command) << command.error();
  const std::vector<std::string> tail(command->spec.argv.end() - 3, command->spec.argv.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"--input=@/inputs/0.npy", "--input=@/inputs/1.npy",
                                            "--output=@/scratch/output_0.npy"}));
  EXPECT_EQ(command->outputs, std::vector<fs::path>{"/scratch/output_0.npy"});
  EXPECT_EQ(command->expected, std::vector<fs::path>{"/located/suite/AB/t/out.npy"});
}

TEST(ToolCommandTest, AnInputThatCannotBeHadNamesTheFileAndField) {
  FakeInputs inputs;
  inputs.failing = "in.npy";
  Result<ToolCommand> command = BuildToolCommand(Quality(), {}, Tools(), "/ext", "/l", inputs);
  ASSERT_FALSE(command);
  EXPECT_EQ(command.error(), "/suite/q.json: inputs[0].url: HTTP 404");
}

TEST(ToolCommandTest, OnlyQualityAndBenchmarkTestsRunATool) {
  TestDefinition test = Quality();
  EXPECT_TRUE(RunsTool(test));
  test.compile_only = true;
  EXPECT_FALSE(RunsTool(test));
  test.compile_only = false;
  test.kind = TestKind::kCompstat;
  EXPECT_FALSE(RunsTool(test));
}

}  // namespace
}  // namespace iree_suite
