#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "artifacts/parameters/mlir_scanner.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

Result<std::vector<ParameterGlobal>> Scan(const std::string& text) {
  std::istringstream in(text);
  return ScanMlirText(in);
}

// The error of scanning `text` ("" when it scans).
std::string ScanError(const std::string& text) {
  Result<std::vector<ParameterGlobal>> globals = Scan(text);
  return globals ? "" : globals.error();
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
  Result<std::vector<ParameterGlobal>> scanned = Scan(text);
  ASSERT_TRUE(scanned) << scanned.error();
  const std::vector<ParameterGlobal>& globals = *scanned;
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
  Result<std::vector<ParameterGlobal>> scanned = Scan(text);
  ASSERT_TRUE(scanned) << scanned.error();
  const std::vector<ParameterGlobal>& globals = *scanned;
  ASSERT_EQ(globals.size(), 1u);
  EXPECT_EQ(globals[0].name, "p");
  EXPECT_EQ(globals[0].line, 4u);
}

TEST(ParameterMlirScannerTest, ErrorsSayWhere) {
  EXPECT_EQ(ScanError("module {\n\n  util.global private @q = #stream.parameter.named<\"q\"> : "
                      "tensor<3xi4>\n}\n"),
            "line 3: global @q: unsupported element type \"i4\"");
  EXPECT_EQ(
      ScanError("util.global private @open = #stream.parameter.named<\"m\"::\"x\"> : tensor<"),
      "line 1: global @open: the util.global op never ends");
}

TEST(ParameterMlirScannerTest, ReadsFilesAndDetectsBytecode) {
  const fs::path dir = fs::path(testing::TempDir()) / "mlir_scanner_test";
  fs::create_directories(dir);
  const fs::path text = dir / "m.mlir";
  std::ofstream(text)
      << "util.global private @w = #stream.parameter.named<\"w\"> : tensor<2xf32>\n";
  auto globals = ReadMlirParameters(text, {}, dir);
  ASSERT_TRUE(globals) << globals.error();
  EXPECT_EQ(globals->size(), 1u);
  EXPECT_FALSE(IsMlirBytecode(text));

  const fs::path bytecode = dir / "m.mlirbc";
  std::ofstream(bytecode, std::ios::binary) << "ML\xefR\x06rest";
  EXPECT_TRUE(IsMlirBytecode(bytecode));
  auto from_bytecode = ReadMlirParameters(bytecode, {}, dir);
  ASSERT_FALSE(from_bytecode);
  EXPECT_NE(from_bytecode.error().find("is MLIR bytecode, which needs iree-opt"), std::string::npos)
      << from_bytecode.error();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace iree_suite
