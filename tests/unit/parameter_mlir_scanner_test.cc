#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "artifacts/parameters/mlir_scanner.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

bool Scan(const std::string& text, std::vector<ParameterGlobal>* globals, std::string* error) {
  std::istringstream in(text);
  return ScanMlirText(in, globals, error);
}

TEST(ParameterMlirScannerTest, FindsParameterGlobalsWithLineNumbers) {
  const std::string text =
      R"(// util.global private @commented = #stream.parameter.named<"m"::"c"> : tensor<1xf32>
module @m {
  util.global private @w1 = #stream.parameter.named<"model"::"w1"> : tensor<16x32xf16>
  util.global private @state : tensor<4xf32>
  util.global private @b1 =
      #flow.parameter.named<"b1">
      : tensor<32xbf16>
  func.func @f() {
    %w = util.global.load @w1 : tensor<16x32xf16>
    return
  }
})";
  std::vector<ParameterGlobal> globals;
  std::string error;
  ASSERT_TRUE(Scan(text, &globals, &error)) << error;
  ASSERT_EQ(globals.size(), 2u);
  EXPECT_EQ(globals[0].name, "w1");
  EXPECT_EQ(globals[0].line, 3u);
  EXPECT_EQ(globals[1].name, "b1");
  EXPECT_EQ(globals[1].line, 5u);
  EXPECT_FALSE(globals[1].scope.has_value());
  EXPECT_EQ(globals[1].byte_length, 64u);
}

// Lines far longer than the scanner keeps (inline constants, resource
// blobs) are skipped without being held, across block boundaries.
TEST(ParameterMlirScannerTest, SkipsHugeLines) {
  std::string text = "module {\n  %c = arith.constant dense<\"0x" + std::string(3 << 20, 'A') +
                     "\"> : tensor<4xf32>\n";
  text += "  util.global private @big = dense<\"0x" + std::string(3 << 20, 'B') +
          "\"> : tensor<4xf32>\n";
  text += "  util.global private @p = #stream.parameter.named<\"m\"::\"p\"> : tensor<2xi8>\n}";
  std::vector<ParameterGlobal> globals;
  std::string error;
  ASSERT_TRUE(Scan(text, &globals, &error)) << error;
  ASSERT_EQ(globals.size(), 1u);
  EXPECT_EQ(globals[0].name, "p");
  EXPECT_EQ(globals[0].line, 4u);
}

TEST(ParameterMlirScannerTest, ErrorsSayWhere) {
  std::vector<ParameterGlobal> globals;
  std::string error;
  EXPECT_FALSE(
      Scan("module {\n\n  util.global private @q = #stream.parameter.named<\"q\"> : "
           "tensor<3xi4>\n}\n",
           &globals, &error));
  EXPECT_EQ(error, "line 3: global @q: unsupported element type \"i4\"");

  EXPECT_FALSE(Scan("util.global private @open = #stream.parameter.named<\"m\"::\"x\"> : tensor<",
                    &globals, &error));
  EXPECT_EQ(error, "line 1: global @open: the util.global op never ends");
}

TEST(ParameterMlirScannerTest, ReadsFilesAndDetectsBytecode) {
  const fs::path dir = fs::path(testing::TempDir()) / "mlir_scanner_test";
  fs::create_directories(dir);
  const fs::path text = dir / "m.mlir";
  std::ofstream(text)
      << "util.global private @w = #stream.parameter.named<\"w\"> : tensor<2xf32>\n";
  std::string error;
  auto globals = ReadMlirParameters(text, {}, dir, &error);
  ASSERT_TRUE(globals) << error;
  EXPECT_EQ(globals->size(), 1u);
  EXPECT_FALSE(IsMlirBytecode(text));

  const fs::path bytecode = dir / "m.mlirbc";
  std::ofstream(bytecode, std::ios::binary) << "ML\xefR\x06rest";
  EXPECT_TRUE(IsMlirBytecode(bytecode));
  EXPECT_FALSE(ReadMlirParameters(bytecode, {}, dir, &error));
  EXPECT_NE(error.find("is MLIR bytecode, which needs iree-opt"), std::string::npos) << error;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace iree_suite
