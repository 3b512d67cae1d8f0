#include "suite/schema.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace iree_suite {
namespace {

using nlohmann::json;

constexpr char kFile[] = "suite/dir/test.json";

// The outcome of validating one test document.
struct TestParse {
  ParseStatus status;
  TestDefinition test;
  std::vector<Diagnostic> diagnostics;
};

TestParse ParseTest(const std::string& text) {
  TestParse parse;
  parse.status = ParseTestDefinition(json::parse(text), kFile, &parse.test, &parse.diagnostics);
  return parse;
}

// "<file>: <field>: <message>" of every diagnostic, for readable comparisons.
std::vector<std::string> Lines(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> lines;
  for (const Diagnostic& diagnostic : diagnostics) lines.push_back(diagnostic.ToString());
  return lines;
}

// Expects `text` to be invalid with exactly one diagnostic on `field` saying `message`.
void ExpectSingleError(const std::string& text, const std::string& field,
                       const std::string& message) {
  TestParse parse = ParseTest(text);
  EXPECT_EQ(parse.status, ParseStatus::kInvalid) << text;
  ASSERT_EQ(parse.diagnostics.size(), 1u) << text;
  EXPECT_EQ(parse.diagnostics[0].file, kFile);
  EXPECT_EQ(parse.diagnostics[0].field, field) << text;
  EXPECT_EQ(parse.diagnostics[0].message, message) << text;
}

// A valid quality test with `extra` (a JSON fragment, with leading comma) added.
std::string Quality(const std::string& extra) {
  return R"({"type": "quality", "markers": ["cpu"], "modules": ["m"])" + extra + "}";
}

std::string Benchmark(const std::string& extra) {
  return R"({"type": "benchmark", "markers": ["cpu"], "modules": ["m"])" + extra + "}";
}

TEST(SchemaTest, NumberSpellingsTheJobSummaryRepeats) {
  TestParse integer = ParseTest(Benchmark(R"(, "tolerance_factor": 2)"));
  ASSERT_EQ(integer.status, ParseStatus::kTest);
  EXPECT_TRUE(integer.test.tolerance_factor_is_integer);
  TestParse real = ParseTest(Benchmark(R"(, "tolerance_factor": 2.0)"));
  EXPECT_FALSE(real.test.tolerance_factor_is_integer);
  TestParse compstat = ParseTest(
      R"({"type": "compstat", "markers": [], "module": "m", "golden_dispatch_count": 100.0,
          "golden_binary_size": 30000})");
  ASSERT_EQ(compstat.status, ParseStatus::kTest) << Lines(compstat.diagnostics).front();
  EXPECT_EQ(compstat.test.golden_dispatch_count, 100);
  EXPECT_TRUE(compstat.test.golden_dispatch_count_is_float);
  EXPECT_FALSE(compstat.test.golden_binary_size_is_float);
}

TEST(SchemaTest, DocumentWithoutTypeIsNotATest) {
  TestParse parse = ParseTest(R"({"mlir": "m.mlir", "compiler_flags": []})");
  EXPECT_EQ(parse.status, ParseStatus::kNotATest);
  EXPECT_TRUE(parse.diagnostics.empty());
}

TEST(SchemaTest, NonObjectDocumentIsAnError) {
  ExpectSingleError(R"(["type", "quality"])", "", "expected a JSON object, got an array");
  ExpectSingleError("null", "", "expected a JSON object, got null");
}

TEST(SchemaTest, UnknownTestType) {
  ExpectSingleError(R"({"type": "perf", "markers": [], "modules": ["m"]})", "type",
                    "unknown test type \"perf\"; expected one of \"quality\", \"benchmark\", "
                    "\"compstat\"");
}

TEST(SchemaTest, TypeNotAString) {
  ExpectSingleError(R"({"type": 3, "markers": [], "modules": ["m"]})", "type",
                    "expected a string, got a number");
}

TEST(SchemaTest, MissingMarkers) {
  ExpectSingleError(R"({"type": "quality", "modules": ["m"]})", "markers",
                    "missing required field; expected an array of strings");
}

TEST(SchemaTest, MissingModules) {
  ExpectSingleError(R"({"type": "quality", "markers": ["cpu"]})", "modules",
                    "missing required field; expected an array of strings");
  ExpectSingleError(R"({"type": "benchmark", "markers": ["cpu"]})", "modules",
                    "missing required field; expected an array of strings");
}

TEST(SchemaTest, EmptyModules) {
  ExpectSingleError(R"({"type": "quality", "markers": ["cpu"], "modules": []})", "modules",
                    "expected at least one module");
}

TEST(SchemaTest, CompstatMissingModule) {
  ExpectSingleError(R"({"type": "compstat", "markers": ["cpu"]})", "module",
                    "missing required field; expected a string");
}

TEST(SchemaTest, CompstatModuleNotAString) {
  ExpectSingleError(R"({"type": "compstat", "markers": ["cpu"], "module": ["m"]})", "module",
                    "expected a string, got an array");
}

TEST(SchemaTest, MarkersAsAString) {
  ExpectSingleError(R"({"type": "quality", "markers": "cpu", "modules": ["m"]})", "markers",
                    "expected an array of strings, got a string");
}

TEST(SchemaTest, NonStringMarkerElement) {
  ExpectSingleError(R"({"type": "quality", "markers": ["cpu", 7], "modules": ["m"]})", "markers[1]",
                    "expected a string, got a number");
}

TEST(SchemaTest, NonStringModuleElement) {
  ExpectSingleError(R"({"type": "quality", "markers": [], "modules": ["m", {}]})", "modules[1]",
                    "expected a string, got an object");
}

TEST(SchemaTest, GoldenTimeAsString) {
  ExpectSingleError(Benchmark(R"(, "golden_time_ms": "10")"), "golden_time_ms",
                    "expected a number, got a string");
}

TEST(SchemaTest, RunArgsElementNotAString) {
  ExpectSingleError(Quality(R"(, "run_args": ["--device=local-task", true])"), "run_args[1]",
                    "expected a string, got a boolean");
}

TEST(SchemaTest, RunArgsNotAnArray) {
  ExpectSingleError(Quality(R"(, "run_args": "--device=local-task")"), "run_args",
                    "expected an array of strings, got a string");
}

TEST(SchemaTest, SeedNotAnInteger) {
  ExpectSingleError(
      Quality(R"(, "weights": [{"type": "random", "module": "m", "seed": "7", "scope": "model"}])"),
      "weights[0].seed", "expected an integer, got a string");
  ExpectSingleError(
      Quality(R"(, "weights": [{"type": "random", "module": "m", "seed": 1.5, "scope": "model"}])"),
      "weights[0].seed", "expected an integer, got a number");
}

TEST(SchemaTest, RandomWeightMissingSeedAndModule) {
  TestParse parse = ParseTest(Quality(R"(, "weights": [{"type": "random", "scope": "model"}])"));
  EXPECT_EQ(parse.status, ParseStatus::kInvalid);
  EXPECT_EQ(Lines(parse.diagnostics),
            (std::vector<std::string>{
                "suite/dir/test.json: weights[0].module: missing required field; expected a string",
                "suite/dir/test.json: weights[0].seed: missing required field; expected an "
                "integer"}));
}

TEST(SchemaTest, ToleranceFactorMustBePositive) {
  ExpectSingleError(Benchmark(R"(, "golden_time_ms": 10, "tolerance_factor": 0)"),
                    "tolerance_factor", "expected a positive number");
  ExpectSingleError(Benchmark(R"(, "golden_time_ms": 10, "tolerance_factor": -1.5)"),
                    "tolerance_factor", "expected a positive number");
}

TEST(SchemaTest, GoldensMustBePositive) {
  ExpectSingleError(Benchmark(R"(, "golden_time_ms": 0)"), "golden_time_ms",
                    "expected a positive number, got 0");
  ExpectSingleError(Benchmark(R"(, "golden_time_ms": -2.5)"), "golden_time_ms",
                    "expected a positive number, got -2.5");
  ExpectSingleError(
      R"({"type": "compstat", "markers": [], "module": "m", "golden_dispatch_count": 0})",
      "golden_dispatch_count", "expected a positive integer, got 0");
  ExpectSingleError(
      R"({"type": "compstat", "markers": [], "module": "m", "golden_binary_size": -4})",
      "golden_binary_size", "expected a positive integer, got -4");
}

TEST(SchemaTest, ToleranceFactorNotANumber) {
  ExpectSingleError(Benchmark(R"(, "tolerance_factor": "1.2")"), "tolerance_factor",
                    "expected a number, got a string");
}

TEST(SchemaTest, UnknownWeightType) {
  ExpectSingleError(Quality(R"(, "weights": [{"type": "zeros", "scope": "model"}])"),
                    "weights[0].type",
                    "unknown weight type \"zeros\"; expected one of \"url\", \"random\", "
                    "\"splat\"");
}

TEST(SchemaTest, WeightMissingTypeAndScope) {
  TestParse parse = ParseTest(Quality(R"(, "weights": [{"url": "https://x/w.irpa"}])"));
  EXPECT_EQ(parse.status, ParseStatus::kInvalid);
  EXPECT_EQ(Lines(parse.diagnostics),
            (std::vector<std::string>{
                "suite/dir/test.json: weights[0].type: missing required field; expected a string",
                "suite/dir/test.json: weights[0].scope: missing required field; expected a "
                "string"}));
}

TEST(SchemaTest, UrlWeightMissingUrl) {
  ExpectSingleError(Quality(R"(, "weights": [{"type": "url", "scope": "model"}])"),
                    "weights[0].url", "missing required field; expected a string");
}

TEST(SchemaTest, SplatWeightMissingValue) {
  ExpectSingleError(Quality(R"(, "weights": [{"type": "splat", "module": "m", "scope": "s"}])"),
                    "weights[0].value", "missing required field; expected a number");
}

TEST(SchemaTest, WeightsNotAnArray) {
  ExpectSingleError(Quality(R"(, "weights": {"type": "url", "url": "u", "scope": "model"})"),
                    "weights", "expected an array of weightspec objects, got an object");
}

TEST(SchemaTest, WeightElementNotAnObject) {
  ExpectSingleError(Quality(R"(, "weights": ["w.irpa"])"), "weights[0]",
                    "expected a weightspec object, got a string");
}

TEST(SchemaTest, ArgSpecWithNeitherUrlNorValue) {
  ExpectSingleError(Quality(R"(, "inputs": [{"value": "1xf32=1"}, {}])"), "inputs[1]",
                    "expected at least one of \"url\" and \"value\"");
  ExpectSingleError(Quality(R"(, "expected_outputs": [{"other": "x"}])"), "expected_outputs[0]",
                    "expected at least one of \"url\" and \"value\"");
}

TEST(SchemaTest, ArgSpecUrlNotAString) {
  ExpectSingleError(Quality(R"(, "inputs": [{"url": 5, "value": "1xf32"}])"), "inputs[0].url",
                    "expected a string, got a number");
}

TEST(SchemaTest, ArgSpecValueNotAString) {
  ExpectSingleError(Quality(R"(, "outputs": [{"url": "u", "value": ["1xf32"]}])"),
                    "outputs[0].value", "expected a string, got an array");
}

// With the only field present of the wrong type, only the type error is reported
// (not also a misleading "expected at least one of").
TEST(SchemaTest, ArgSpecOnlyFieldOfWrongType) {
  TestParse parse = ParseTest(Quality(R"(, "outputs": [{"value": ["1xf32"]}])"));
  EXPECT_EQ(parse.status, ParseStatus::kInvalid);
  EXPECT_EQ(Lines(parse.diagnostics),
            (std::vector<std::string>{
                "suite/dir/test.json: outputs[0].value: expected a string, got an array"}));
}

TEST(SchemaTest, ArgSpecsNotAnArray) {
  ExpectSingleError(Quality(R"(, "inputs": "1xf32=1")"), "inputs",
                    "expected an array of argspec objects ({\"url\", \"value\"}), got a string");
}

TEST(SchemaTest, ArgSpecNotAnObject) {
  ExpectSingleError(Quality(R"(, "inputs": ["1xf32=1"])"), "inputs[0]",
                    "expected an argspec object with \"url\" and/or \"value\", got a string");
}

TEST(SchemaTest, CompstatGoldenCountsMustBeIntegers) {
  ExpectSingleError(
      R"({"type": "compstat", "markers": [], "module": "m", "golden_dispatch_count": 1.5})",
      "golden_dispatch_count", "expected an integer, got a number");
  ExpectSingleError(
      R"({"type": "compstat", "markers": [], "module": "m", "golden_binary_size": "100"})",
      "golden_binary_size", "expected an integer, got a string");
}

TEST(SchemaTest, ReportsEveryErrorOfOneDocument) {
  TestParse parse = ParseTest(R"({
    "type": "benchmark",
    "markers": "cpu",
    "inputs": [{}],
    "run_args": [1],
    "golden_time_ms": "fast",
    "tolerance_factor": 0
  })");
  EXPECT_EQ(parse.status, ParseStatus::kInvalid);
  EXPECT_EQ(Lines(parse.diagnostics),
            (std::vector<std::string>{
                "suite/dir/test.json: markers: expected an array of strings, got a string",
                "suite/dir/test.json: modules: missing required field; expected an array of "
                "strings",
                "suite/dir/test.json: inputs[0]: expected at least one of \"url\" and \"value\"",
                "suite/dir/test.json: run_args[0]: expected a string, got a number",
                "suite/dir/test.json: golden_time_ms: expected a number, got a string",
                "suite/dir/test.json: tolerance_factor: expected a positive number"}));
}

TEST(SchemaTest, AppendsToExistingDiagnostics) {
  std::vector<Diagnostic> diagnostics = {{"other.json", "x", "earlier problem"}};
  TestDefinition test;
  EXPECT_EQ(ParseTestDefinition(json::parse(Quality("")), kFile, &test, &diagnostics),
            ParseStatus::kTest);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].message, "earlier problem");
}

TEST(SchemaTest, ValidQuality) {
  TestParse parse = ParseTest(R"({
    "type": "quality",
    "markers": ["cpu", "llvm-cpu"],
    "modules": ["sdxl/modules/clip_cpu", "sdxl/modules/unet_cpu"],
    "weights": [
      {"type": "url", "url": "https://example.com/w.irpa", "scope": "model"},
      {"type": "random", "module": "sdxl/modules/clip_cpu", "seed": 42, "scope": "clip"},
      {"type": "splat", "module": "sdxl/modules/unet_cpu", "value": 0.5, "scope": "unet"}
    ],
    "inputs": [{"value": "1x2xf32=1"}, {"url": "https://example.com/in.npy"}],
    "outputs": [{"url": "https://example.com/out.npy", "value": "1x2xf32"}],
    "expected_outputs": [{"url": "https://example.com/expected.npy"}],
    "run_args": ["--device=local-task", "--expected_f16_threshold=0.05f"]
  })");
  ASSERT_EQ(parse.status, ParseStatus::kTest) << testing::PrintToString(Lines(parse.diagnostics));
  EXPECT_TRUE(parse.diagnostics.empty());
  const TestDefinition& test = parse.test;
  EXPECT_EQ(test.kind, TestKind::kQuality);
  EXPECT_EQ(test.json_path, std::filesystem::path(kFile));
  EXPECT_EQ(test.markers, (std::vector<std::string>{"cpu", "llvm-cpu", "quality"}));
  EXPECT_EQ(test.modules,
            (std::vector<std::string>{"sdxl/modules/clip_cpu", "sdxl/modules/unet_cpu"}));

  ASSERT_EQ(test.weights.size(), 3u);
  EXPECT_EQ(test.weights[0].kind, WeightSpec::Kind::kUrl);
  EXPECT_EQ(test.weights[0].url, "https://example.com/w.irpa");
  EXPECT_EQ(test.weights[0].scope, "model");
  EXPECT_EQ(test.weights[1].kind, WeightSpec::Kind::kRandom);
  EXPECT_EQ(test.weights[1].module, "sdxl/modules/clip_cpu");
  EXPECT_EQ(test.weights[1].seed, 42);
  EXPECT_EQ(test.weights[1].scope, "clip");
  EXPECT_EQ(test.weights[2].kind, WeightSpec::Kind::kSplat);
  EXPECT_EQ(test.weights[2].module, "sdxl/modules/unet_cpu");
  EXPECT_DOUBLE_EQ(test.weights[2].value, 0.5);
  EXPECT_EQ(test.weights[2].scope, "unet");

  ASSERT_EQ(test.inputs.size(), 2u);
  EXPECT_EQ(test.inputs[0].value, "1x2xf32=1");
  EXPECT_FALSE(test.inputs[0].url.has_value());
  EXPECT_EQ(test.inputs[1].url, "https://example.com/in.npy");
  EXPECT_FALSE(test.inputs[1].value.has_value());
  ASSERT_EQ(test.outputs.size(), 1u);
  EXPECT_EQ(test.outputs[0].url, "https://example.com/out.npy");
  EXPECT_EQ(test.outputs[0].value, "1x2xf32");
  ASSERT_EQ(test.expected_outputs.size(), 1u);
  EXPECT_EQ(test.expected_outputs[0].url, "https://example.com/expected.npy");
  EXPECT_EQ(test.run_args,
            (std::vector<std::string>{"--device=local-task", "--expected_f16_threshold=0.05f"}));
  EXPECT_FALSE(test.golden_time_ms.has_value());
}

TEST(SchemaTest, NullOptionalFieldsAreAbsent) {
  TestParse parse = ParseTest(Quality(R"(, "weights": null, "inputs": null, "run_args": null)"));
  ASSERT_EQ(parse.status, ParseStatus::kTest);
  EXPECT_TRUE(parse.test.weights.empty());
  EXPECT_TRUE(parse.test.inputs.empty());
  EXPECT_TRUE(parse.test.run_args.empty());
}

TEST(SchemaTest, ValidBenchmarkDefaultsToleranceFactor) {
  TestParse parse = ParseTest(Benchmark(R"(, "golden_time_ms": 12.5)"));
  ASSERT_EQ(parse.status, ParseStatus::kTest);
  EXPECT_EQ(parse.test.kind, TestKind::kBenchmark);
  EXPECT_EQ(parse.test.markers, (std::vector<std::string>{"cpu", "benchmark"}));
  ASSERT_TRUE(parse.test.golden_time_ms.has_value());
  EXPECT_DOUBLE_EQ(*parse.test.golden_time_ms, 12.5);
  EXPECT_DOUBLE_EQ(parse.test.tolerance_factor, 1.1);
}

TEST(SchemaTest, ValidBenchmarkWithToleranceFactor) {
  TestParse parse = ParseTest(Benchmark(R"(, "golden_time_ms": 30, "tolerance_factor": 1.25)"));
  ASSERT_EQ(parse.status, ParseStatus::kTest);
  EXPECT_DOUBLE_EQ(*parse.test.golden_time_ms, 30.0);
  EXPECT_DOUBLE_EQ(parse.test.tolerance_factor, 1.25);
}

TEST(SchemaTest, ValidCompstat) {
  TestParse parse = ParseTest(R"({
    "type": "compstat",
    "markers": ["hip", "gfx942"],
    "module": "sdxl/modules/unet_hip",
    "golden_dispatch_count": 1500000.0,
    "golden_binary_size": 2048
  })");
  ASSERT_EQ(parse.status, ParseStatus::kTest) << testing::PrintToString(Lines(parse.diagnostics));
  EXPECT_EQ(parse.test.kind, TestKind::kCompstat);
  EXPECT_EQ(parse.test.markers, (std::vector<std::string>{"hip", "gfx942", "compstat"}));
  EXPECT_EQ(parse.test.modules, (std::vector<std::string>{"sdxl/modules/unet_hip"}));
  EXPECT_EQ(parse.test.golden_dispatch_count, std::optional<int64_t>(1500000));
  EXPECT_EQ(parse.test.golden_binary_size, std::optional<int64_t>(2048));
}

// An unsigned JSON integer above INT64_MAX must not wrap to a negative golden.
TEST(SchemaTest, GoldenCountAboveInt64MaxIsRejected) {
  TestParse parse = ParseTest(
      R"({"type": "compstat", "markers": [], "module": "m", "golden_dispatch_count": 18446744073709551615})");
  EXPECT_EQ(parse.status, ParseStatus::kInvalid);
  ASSERT_EQ(parse.diagnostics.size(), 1u);
  EXPECT_EQ(parse.diagnostics[0].field, "golden_dispatch_count");
  EXPECT_FALSE(parse.test.golden_dispatch_count.has_value());
}

TEST(SchemaTest, CompstatWithoutGoldens) {
  TestParse parse = ParseTest(R"({"type": "compstat", "markers": [], "module": "m"})");
  ASSERT_EQ(parse.status, ParseStatus::kTest);
  EXPECT_EQ(parse.test.markers, (std::vector<std::string>{"compstat"}));
  EXPECT_FALSE(parse.test.golden_dispatch_count.has_value());
  EXPECT_FALSE(parse.test.golden_binary_size.has_value());
}

TEST(SchemaTest, DiagnosticToString) {
  EXPECT_EQ((Diagnostic{"a.json", "inputs[2].url", "bad"}).ToString(),
            "a.json: inputs[2].url: bad");
  EXPECT_EQ((Diagnostic{"a.json", "", "bad"}).ToString(), "a.json: bad");
}

// Module documents.

struct ModuleParse {
  bool ok;
  ModuleDefinition module;
  std::vector<Diagnostic> diagnostics;
};

ModuleParse ParseModule(const std::string& text) {
  ModuleParse parse;
  parse.ok =
      ParseModuleDefinition(json::parse(text), "modules/m.json", &parse.module, &parse.diagnostics);
  return parse;
}

TEST(SchemaTest, ValidModule) {
  ModuleParse parse = ParseModule(
      R"({"mlir": "https://example.com/m.mlir", "compiler_flags": ["--iree-hal-target-device=llvm-cpu", "-O3"]})");
  ASSERT_TRUE(parse.ok);
  EXPECT_TRUE(parse.diagnostics.empty());
  EXPECT_EQ(parse.module.mlir, "https://example.com/m.mlir");
  EXPECT_EQ(parse.module.compiler_flags,
            (std::vector<std::string>{"--iree-hal-target-device=llvm-cpu", "-O3"}));
  EXPECT_EQ(parse.module.json_path, std::filesystem::path("modules/m.json"));
}

TEST(SchemaTest, ModuleMissingMlirAndFlags) {
  ModuleParse parse = ParseModule(R"({"name": "m"})");
  EXPECT_FALSE(parse.ok);
  EXPECT_EQ(
      Lines(parse.diagnostics),
      (std::vector<std::string>{
          "modules/m.json: mlir: missing required field; expected a string",
          "modules/m.json: compiler_flags: missing required field; expected an array of strings"}));
}

TEST(SchemaTest, ModuleFieldsOfWrongType) {
  ModuleParse parse = ParseModule(R"({"mlir": ["m.mlir"], "compiler_flags": ["-O3", 3]})");
  EXPECT_FALSE(parse.ok);
  EXPECT_EQ(Lines(parse.diagnostics),
            (std::vector<std::string>{
                "modules/m.json: mlir: expected a string, got an array",
                "modules/m.json: compiler_flags[1]: expected a string, got a number"}));
}

TEST(SchemaTest, ModuleNotAnObject) {
  ModuleParse parse = ParseModule(R"(["m.mlir"])");
  EXPECT_FALSE(parse.ok);
  EXPECT_EQ(Lines(parse.diagnostics),
            (std::vector<std::string>{"modules/m.json: expected a module object with \"mlir\" "
                                      "and \"compiler_flags\", got an array"}));
}

}  // namespace
}  // namespace iree_suite
