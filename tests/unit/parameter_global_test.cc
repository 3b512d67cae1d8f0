#include "artifacts/parameters/parameter_global.h"

#include <gtest/gtest.h>

#include <string>

namespace iree_suite {
namespace {

struct Parsed {
  std::optional<GlobalParse> result;  // nullopt: an error
  ParameterGlobal global;
  std::string error;
};

Parsed Parse(std::string_view op) {
  Parsed parsed;
  Result<GlobalParse> result = ParseParameterGlobal(op, &parsed.global);
  if (result) {
    parsed.result = *result;
  } else {
    parsed.error = result.error();
  }
  return parsed;
}

TEST(ParameterGlobalTest, ScopedStreamParameter) {
  Parsed p = Parse(
      R"(util.global private @w1 = #stream.parameter.named<"model"::"w1"> : tensor<16x32xf32>)");
  ASSERT_EQ(p.result, GlobalParse::kParameter) << p.error;
  EXPECT_EQ(p.global.global, "w1");
  EXPECT_EQ(p.global.scope, "model");
  EXPECT_EQ(p.global.name, "w1");
  EXPECT_EQ(p.global.shape, (std::vector<int64_t>{16, 32}));
  EXPECT_EQ(p.global.type, ElementType::kF32);
  EXPECT_EQ(p.global.byte_length, 16u * 32 * 4);
}

TEST(ParameterGlobalTest, UnscopedFlowParameterWithConfigAndAttributes) {
  Parsed p = Parse(
      R"(util.global public mutable @"blk.0.attn q" {inlining_policy = #util.inline.never} = )"
      R"(#flow.parameter.named<"blk.0.attn_q.weight\22x", {some.config = "a>b, c"}> : )"
      R"(tensor<4096x4096xf8E4M3FNUZ, #iree_encoding.testing<>> loc(#loc3))");
  ASSERT_EQ(p.result, GlobalParse::kParameter) << p.error;
  EXPECT_EQ(p.global.global, "blk.0.attn q");
  EXPECT_FALSE(p.global.scope.has_value());
  EXPECT_EQ(p.global.name, "blk.0.attn_q.weight\"x");
  EXPECT_EQ(p.global.type, ElementType::kF8E4M3FNUZ);
  EXPECT_EQ(p.global.byte_length, 4096u * 4096);
}

TEST(ParameterGlobalTest, ScalarTensorAndEveryElementType) {
  for (const char* type :
       {"i1",   "i8",   "si8",  "ui8",      "i16",        "si16",   "ui16",
        "i32",  "si32", "ui32", "i64",      "si64",       "ui64",   "f16",
        "bf16", "f32",  "f64",  "f8E4M3FN", "f8E4M3FNUZ", "f8E5M2", "f8E5M2FNUZ"}) {
    Parsed p =
        Parse(std::string(R"(util.global private @s = #stream.parameter.named<"s"> : tensor<)") +
              type + ">");
    ASSERT_EQ(p.result, GlobalParse::kParameter) << type << ": " << p.error;
    EXPECT_EQ(ElementTypeName(p.global.type), type);
    EXPECT_TRUE(p.global.shape.empty());
    EXPECT_EQ(p.global.byte_length, ElementByteSize(p.global.type));
  }
}

TEST(ParameterGlobalTest, OtherGlobalsAreNotParameters) {
  for (const char* op : {
           "util.global private @x : tensor<4xf32>",
           "util.global private mutable @x = dense<0.0> : tensor<4xf32>",
           "util.global private @x = #util.byte_pattern<1> : tensor<4xi8>",
           R"(util.global private @x = dense_resource<blob> : tensor<4xf32>)",
       }) {
    EXPECT_EQ(Parse(op).result, GlobalParse::kNotParameter) << op;
  }
}

TEST(ParameterGlobalTest, OpsCutShortAreIncomplete) {
  for (const char* op : {
           "util.global private @w",
           "util.global private @w =",
           R"(util.global private @w = #stream.parameter.named<"m"::)",
           R"(util.global private @w = #stream.parameter.named<"m"::"w">)",
           R"(util.global private @w = #stream.parameter.named<"m"::"w"> :)",
           R"(util.global private @w = #stream.parameter.named<"m"::"w"> : tensor<4x)",
           R"(util.global private @w {noinline = )",
       }) {
    EXPECT_EQ(Parse(op).result, GlobalParse::kIncomplete) << op;
  }
}

TEST(ParameterGlobalTest, UnsupportedTypesNameTheGlobalAndTheType) {
  Parsed p =
      Parse(R"(util.global private @w = #stream.parameter.named<"m"::"w"> : tensor<8xf4E2M1FN>)");
  EXPECT_EQ(p.result, std::nullopt);
  EXPECT_EQ(p.error, "global @w: unsupported element type \"f4E2M1FN\"");

  p = Parse(R"(util.global private @c = #stream.parameter.named<"c"> : tensor<2xcomplex<f32>>)");
  EXPECT_EQ(p.error, "global @c: unsupported element type \"complex<f32>\"");

  p = Parse(R"(util.global private @d = #stream.parameter.named<"d"> : tensor<?x4xf32>)");
  EXPECT_EQ(p.error, "global @d: dynamic shapes are not supported");

  p = Parse(R"(util.global private @b = #stream.parameter.named<"b"> : !util.buffer)");
  EXPECT_EQ(p.error,
            "global @b: unsupported type \"!util.buffer\": expected a statically shaped "
            "tensor");
}

TEST(ParameterGlobalTest, MalformedAttributesNameTheGlobal) {
  Parsed p = Parse("util.global private @w = #stream.parameter.named<model::w> : tensor<4xf32>");
  EXPECT_EQ(p.result, std::nullopt);
  EXPECT_EQ(p.error, "global @w: expected a quoted string at \"model::w> : tensor<4xf32>\"");

  p = Parse(R"(util.global private @w = #stream.parameter.named "m"::"w" : tensor<4xf32>)");
  EXPECT_EQ(p.error,
            "global @w: expected '<' opening the parameter attribute at \"\"m\"::\"w\" : "
            "tensor<4xf32>\"");

  p = Parse(R"(util.global private @w = #stream.parameter.named<"m"::"w" : tensor<4xf32>)");
  EXPECT_EQ(p.error,
            "global @w: expected '>' closing the parameter attribute at \": tensor<4xf32>\"");
}

}  // namespace
}  // namespace iree_suite
