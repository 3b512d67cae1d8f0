#include "runner/run_arguments.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_helpers.h"

namespace iree_suite {
namespace {

ArgSpec Spec(std::optional<std::string> url, std::optional<std::string> value) {
  ArgSpec spec;
  spec.url = std::move(url);
  spec.value = std::move(value);
  return spec;
}

// Resolves "https://host/<name>" to "/cache/<name>" and records every URL asked for.
struct FakeResolver {
  std::vector<std::string> asked;
  std::string failing_url;  // this one fails with "HTTP 404"

  SourceResolver Get() {
    return [this](const std::string& url) -> Result<std::filesystem::path> {
      asked.push_back(url);
      if (url == failing_url) return Error{"HTTP 404"};
      return std::filesystem::path("/cache") / url.substr(url.rfind('/') + 1);
    };
  }
};

TEST(RunArgumentsTest, ComposeValueOnly) {
  EXPECT_EQ(ComposeArgSpec(Spec(std::nullopt, "1x2xf32=1,2"), std::nullopt), "1x2xf32=1,2");
}

TEST(RunArgumentsTest, ComposeUrlOnly) {
  EXPECT_EQ(
      ComposeArgSpec(Spec("https://host/in.npy", std::nullopt), std::filesystem::path("/p/in.npy")),
      "@/p/in.npy");
}

TEST(RunArgumentsTest, ComposeValueAndUrl) {
  EXPECT_EQ(
      ComposeArgSpec(Spec("https://host/in.bin", "1x4xf16"), std::filesystem::path("/p/in.bin")),
      "1x4xf16=@/p/in.bin");
}

TEST(RunArgumentsTest, FlagsInReferenceOrder) {
  TestDefinition test;
  test.run_args = {"--device=local-task", "--function=main", "--expected_f16_threshold=0.05f"};
  test.expected_outputs = {Spec("https://host/expected.npy", std::nullopt)};
  test.outputs = {Spec("https://host/out.npy", std::nullopt)};
  test.inputs = {Spec(std::nullopt, "1x2xf32=1,2"), Spec("https://host/in1.npy", std::nullopt),
                 Spec("https://host/in2.bin", "2x2xi8")};
  std::vector<ScopedParameters> weights = {{"model", "/store/w.irpa"},
                                           {"clip", "/store/random/clip.irpa"}};
  FakeResolver resolver;
  Result<std::vector<std::string>> flags = BuildRunFlags(test, weights, resolver.Get());
  ASSERT_TRUE(flags) << flags.error();
  EXPECT_EQ(*flags, (std::vector<std::string>{
                        "--parameters=model=/store/w.irpa",
                        "--parameters=clip=/store/random/clip.irpa",
                        "--input=1x2xf32=1,2",
                        "--input=@/cache/in1.npy",
                        "--input=2x2xi8=@/cache/in2.bin",
                        "--output=@/cache/out.npy",
                        "--expected_output=@/cache/expected.npy",
                        "--device=local-task",
                        "--function=main",
                        "--expected_f16_threshold=0.05f",
                    }));
  // Only URLs are resolved, in flag order.
  EXPECT_EQ(resolver.asked,
            (std::vector<std::string>{"https://host/in1.npy", "https://host/in2.bin",
                                      "https://host/out.npy", "https://host/expected.npy"}));
}

TEST(RunArgumentsTest, RunArgsAreVerbatim) {
  TestDefinition test;
  test.run_args = {"--input=already here", "", "--parameters=x=y"};
  FakeResolver resolver;
  Result<std::vector<std::string>> flags = BuildRunFlags(test, {}, resolver.Get());
  ASSERT_TRUE(flags) << flags.error();
  EXPECT_EQ(*flags, test.run_args);
  EXPECT_TRUE(resolver.asked.empty());
}

TEST(RunArgumentsTest, FailingInputNamesTheField) {
  TestDefinition test;
  test.inputs = {Spec("https://host/in0.npy", std::nullopt), Spec("https://host/in1.npy", "1xf32")};
  test.expected_outputs = {Spec("https://host/expected.npy", std::nullopt)};
  FakeResolver resolver;
  resolver.failing_url = "https://host/in1.npy";
  EXPECT_EQ(testing_helpers::ErrorOf(BuildRunFlags(test, {}, resolver.Get())),
            "inputs[1].url: HTTP 404");
  // Stops at the first failure.
  EXPECT_EQ(resolver.asked,
            (std::vector<std::string>{"https://host/in0.npy", "https://host/in1.npy"}));
}

TEST(RunArgumentsTest, FailingExpectedOutputNamesTheField) {
  TestDefinition test;
  test.inputs = {Spec("https://host/in0.npy", std::nullopt)};
  test.outputs = {Spec("https://host/out.npy", std::nullopt)};
  test.expected_outputs = {Spec("https://host/expected.npy", std::nullopt)};
  FakeResolver resolver;
  resolver.failing_url = "https://host/expected.npy";
  EXPECT_EQ(testing_helpers::ErrorOf(BuildRunFlags(test, {}, resolver.Get())),
            "expected_outputs[0].url: HTTP 404");
}

TEST(RunArgumentsTest, FailingOutputNamesTheField) {
  TestDefinition test;
  test.outputs = {Spec(std::nullopt, "1xf32"), Spec("https://host/out.npy", std::nullopt)};
  FakeResolver resolver;
  resolver.failing_url = "https://host/out.npy";
  EXPECT_EQ(testing_helpers::ErrorOf(BuildRunFlags(test, {}, resolver.Get())),
            "outputs[1].url: HTTP 404");
}

}  // namespace
}  // namespace iree_suite
