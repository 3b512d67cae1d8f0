#include "cli/options.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "exec/iree_tools.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

// Parses `args` after the program name; *exit_code is left as is when the
// run should proceed.
bool Parse(std::vector<std::string> args, CliOptions* options, int* exit_code) {
  args.insert(args.begin(), "iree-suite");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  return ParseCommandLine(static_cast<int>(args.size()), argv.data(), options, exit_code);
}

const std::vector<std::string> kSuite = {"--test-file-directory=t", "--module-directory=m",
                                         "--external-file-directory=e"};

std::vector<std::string> With(std::vector<std::string> extra) {
  std::vector<std::string> args = kSuite;
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

class OptionsTest : public testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv(kToolsDirEnv);
    ::unsetenv(kConfigFilesEnv);
  }
  void TearDown() override { SetUp(); }
  CliOptions options_;
  int exit_code_ = -1;
};

TEST_F(OptionsTest, TheFlagsFillTheRunnerConfiguration) {
  ASSERT_TRUE(
      Parse(With({"--fetch-retries=2", "--maxfail=3", "-j", "3", "--timeout=7.5",
                  "--force-recompile", "--benchmark-retries=2", "--offline", "--url-mirror",
                  "https://a/=file:///b/", "--fetch-jobs=2", "--fetch-stall-timeout=9", "-q"}),
            &options_, &exit_code_));
  const RunnerConfig& runner = options_.runner;
  EXPECT_EQ(runner.fetch.max_attempts, 3);  // retries after the first attempt
  EXPECT_EQ(runner.max_failures, 3u);
  EXPECT_EQ(runner.jobs, 3u);
  EXPECT_EQ(runner.timeout_s, 7.5);
  EXPECT_TRUE(runner.force_recompile);
  EXPECT_EQ(runner.benchmark_retries, 2u);
  EXPECT_TRUE(runner.fetch.offline);
  ASSERT_EQ(runner.fetch.url_mirrors.size(), 1u);
  EXPECT_EQ(runner.fetch.url_mirrors[0].second, "file:///b/");
  EXPECT_EQ(runner.fetch_jobs, 2u);
  EXPECT_EQ(runner.fetch.low_speed_time_s, 9);
  EXPECT_TRUE(runner.fetch.quiet);
  EXPECT_EQ(runner.artifact_directory, fs::absolute("artifacts"));
  EXPECT_EQ(runner.external_file_directory, fs::absolute("e"));
}

TEST_F(OptionsTest, DefaultsOfTheRunnerConfiguration) {
  ASSERT_TRUE(Parse(kSuite, &options_, &exit_code_));
  EXPECT_EQ(options_.runner.fetch.max_attempts, 5);
  EXPECT_EQ(options_.runner.jobs, std::max(1u, std::thread::hardware_concurrency()));
  EXPECT_EQ(options_.runner.max_failures, 0u);
  EXPECT_FALSE(options_.runner.fetch.quiet);
  EXPECT_FALSE(options_.runner.timeout_s);
}

TEST_F(OptionsTest, ExitFirstStopsAfterOneFailure) {
  ASSERT_TRUE(Parse(With({"-x"}), &options_, &exit_code_));
  EXPECT_EQ(options_.runner.max_failures, 1u);
}

TEST_F(OptionsTest, OperatorSuitesCompileFromTheirRoot) {
  ASSERT_TRUE(
      Parse({"--test-file-directory=root", "--config-files", "c.json"}, &options_, &exit_code_));
  EXPECT_TRUE(options_.operator_suite());
  EXPECT_EQ(options_.runner.external_file_directory, fs::absolute("root"));
}

TEST_F(OptionsTest, EnvironmentStandsInForAbsentOptions) {
  ::setenv(kToolsDirEnv, "/from/env", 1);
  ::setenv(kConfigFilesEnv, "a.json;;b.json;", 1);
  ASSERT_TRUE(Parse({"--test-file-directory=root"}, &options_, &exit_code_));
  EXPECT_EQ(options_.iree_tools_dir, fs::path("/from/env"));
  EXPECT_EQ(options_.config_files, (std::vector<fs::path>{"a.json", "b.json"}));

  CliOptions flagged;
  ASSERT_TRUE(
      Parse({"--test-file-directory=root", "--iree-tools-dir=/flag", "--config-files", "c.json"},
            &flagged, &exit_code_));
  EXPECT_EQ(flagged.iree_tools_dir, fs::path("/flag"));  // the flag wins
  EXPECT_EQ(flagged.config_files, (std::vector<fs::path>{"c.json"}));
}

TEST_F(OptionsTest, ASuiteRootWithTheReferencesDefaultConfigUsesIt) {
  const fs::path root = fs::temp_directory_path() / "options_test_default_config";
  fs::create_directories(root / "configs");
  const fs::path config = root / "configs" / "torch_ops_cpu_llvm_sync.json";
  { std::ofstream(config) << "{}"; }
  ASSERT_TRUE(Parse({"--test-file-directory=" + root.string()}, &options_, &exit_code_));
  EXPECT_EQ(options_.config_files, (std::vector<fs::path>{config}));
  EXPECT_TRUE(options_.operator_suite());  // no --module-directory needed

  ::setenv(kConfigFilesEnv, "env.json", 1);  // the variable, then the flag, win
  CliOptions from_env;
  ASSERT_TRUE(Parse({"--test-file-directory=" + root.string()}, &from_env, &exit_code_));
  EXPECT_EQ(from_env.config_files, (std::vector<fs::path>{"env.json"}));
  CliOptions flagged;
  ASSERT_TRUE(Parse({"--test-file-directory=" + root.string(), "--config-files", "c.json"},
                    &flagged, &exit_code_));
  EXPECT_EQ(flagged.config_files, (std::vector<fs::path>{"c.json"}));
  fs::remove_all(root);
  ::unsetenv(kConfigFilesEnv);

  CliOptions json_suite;  // a root without it stays a JSON suite
  ASSERT_TRUE(Parse(kSuite, &json_suite, &exit_code_));
  EXPECT_FALSE(json_suite.operator_suite());
}

TEST_F(OptionsTest, EveryEnvironmentVariableNamesItsOption) {
  ASSERT_EQ(kOptionsFromEnvironment.size(), 2u);
  EXPECT_STREQ(kOptionsFromEnvironment[0].variable, "IREE_SUITE_TOOLS_DIR");
  EXPECT_STREQ(kOptionsFromEnvironment[0].option, "--iree-tools-dir");
  EXPECT_STREQ(kOptionsFromEnvironment[1].variable, "IREE_TEST_CONFIG_FILES");
  EXPECT_STREQ(kOptionsFromEnvironment[1].option, "--config-files");
}

TEST_F(OptionsTest, JsonSuitesNeedTheirDirectories) {
  testing::internal::CaptureStderr();
  EXPECT_FALSE(Parse({"--test-file-directory=t", "--module-directory=m"}, &options_, &exit_code_));
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(exit_code_, kExitUsageError);
  EXPECT_NE(err.find("--external-file-directory is required"), std::string::npos) << err;
}

TEST_F(OptionsTest, LogCliLevelInfoOrDebugLogsCommands) {
  for (const char* level : {"INFO", "info", "DEBUG", "debug"}) {
    CliOptions options;
    ASSERT_TRUE(Parse(With({std::string("--log-cli-level=") + level}), &options, &exit_code_));
    EXPECT_TRUE(options.log_commands()) << level;
  }
  ASSERT_TRUE(Parse(With({"--log-cli-level=WARNING"}), &options_, &exit_code_));
  EXPECT_FALSE(options_.log_commands());
}

TEST_F(OptionsTest, OverrideIniAndPluginsTakeOneValueEach) {
  ASSERT_TRUE(Parse(With({"-o", "log_cli=True", "a.json", "-p", "no:cacheprovider", "b"}),
                    &options_, &exit_code_));
  EXPECT_EQ(options_.paths, (std::vector<fs::path>{"a.json", "b"}));
}

TEST_F(OptionsTest, ConfigFilesKeepOnlyJsonFiles) {
  ASSERT_TRUE(Parse({"--test-file-directory=t", "--config-files", "cpu.json", "ops/add",
                     "ops/mul::cpu", "gpu.json"},
                    &options_, &exit_code_));
  EXPECT_EQ(options_.config_files, (std::vector<fs::path>{"cpu.json", "gpu.json"}));
  EXPECT_EQ(options_.paths, (std::vector<fs::path>{"ops/add", "ops/mul::cpu"}));
}

TEST_F(OptionsTest, UnknownLongFlagIsAUsageErrorBeforeMissingRequiredOnes) {
  testing::internal::CaptureStderr();
  EXPECT_FALSE(Parse({"--test-file-dir=.", "--module-directory=m"}, &options_, &exit_code_));
  const std::string error = testing::internal::GetCapturedStderr();
  EXPECT_EQ(exit_code_, kExitUsageError);
  EXPECT_NE(error.find("unrecognized arguments: --test-file-dir=. (did you mean "
                       "--test-file-directory?)"),
            std::string::npos)
      << error;
}

TEST_F(OptionsTest, WordsAfterDoubleDashAreNotFlags) {
  ASSERT_TRUE(Parse(With({"--", "--odd-name.json"}), &options_, &exit_code_));
  EXPECT_EQ(options_.paths, (std::vector<fs::path>{"--odd-name.json"}));
}

TEST_F(OptionsTest, ColorAndReportCharacters) {
  ASSERT_TRUE(Parse(With({}), &options_, &exit_code_));
  EXPECT_EQ(options_.color, "auto");
  EXPECT_EQ(options_.report_chars, "fE");
  CliOptions other;
  ASSERT_TRUE(Parse(With({"--color=no", "-rA", "--strict-markers"}), &other, &exit_code_));
  EXPECT_EQ(other.color, "no");
  EXPECT_EQ(other.report_chars, "A");
  EXPECT_TRUE(other.strict_markers);
}

TEST_F(OptionsTest, ShowCommandsAndCollectOnlyVerboseListCommands) {
  ASSERT_TRUE(Parse(With({"--show-commands"}), &options_, &exit_code_));
  EXPECT_TRUE(options_.lists_commands());
  CliOptions collect_verbose;
  ASSERT_TRUE(Parse(With({"--collect-only", "-v"}), &collect_verbose, &exit_code_));
  EXPECT_TRUE(collect_verbose.lists_commands());
  CliOptions collect;
  ASSERT_TRUE(Parse(With({"--collect-only"}), &collect, &exit_code_));
  EXPECT_FALSE(collect.lists_commands());
}

TEST_F(OptionsTest, OnlyReproTakesOutput) {
  EXPECT_FALSE(Parse(With({"--output=scratch"}), &options_, &exit_code_));
  EXPECT_EQ(exit_code_, kExitUsageError);
  CliOptions repro;
  repro.repro = true;
  ASSERT_TRUE(Parse(With({"--output=scratch", "x.json::x.json"}), &repro, &exit_code_));
  EXPECT_EQ(repro.repro_output, fs::path("scratch"));
  EXPECT_EQ(repro.paths, std::vector<fs::path>{"x.json::x.json"});
}

}  // namespace
}  // namespace iree_suite
