#include "artifacts/parameters/irpa_format.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "artifacts/parameters/irpa_reader.h"
#include "test_helpers.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

using testing_helpers::ReadFile;

std::string FromHex(const std::string& hex) {
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return bytes;
}

// The start of the archive IREE's own tool writes for
//   iree-create-parameters --splat=a=4096xf32=4.1 --splat=b=2x3xi16=123 --data=d=3xi8
constexpr char kIreeSplatArchiveHead[] =
    "4952504100000000580000000000000000000000000000000000000000000000030000000000000060000000000000"
    "00"
    "0c010000000000006c0100000000000003000000000000008001000000000000030000000000000000000000000000"
    "00"
    "5500000000000000010000000000000000000000000000000000000001000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000040000000000000333383400000000000000000000000000400000000000000000000"
    "00"
    "5500000000000000010000000000000000000000010000000000000001000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000c000000000000007b0000000000000000000000000000000200000000000000000000"
    "00"
    "4c00000000000000020000000000000000000000020000000000000001000000000000000000000000000000000000"
    "00"
    "00000000400000000000000000000000000000000300000000000000616264";

TEST(IrpaFormatTest, SplatAndDataEntriesMatchIreesOwnWriter) {
  const float value = 4.1f;
  std::vector<uint8_t> f32(4);
  std::memcpy(f32.data(), &value, 4);
  Result<IrpaLayout> layout = LayoutIrpa({{"a", 16384, f32}, {"b", 12, {123, 0}}, {"d", 3, {}}});
  ASSERT_TRUE(layout) << layout.error();
  EXPECT_EQ(layout->head, FromHex(kIreeSplatArchiveHead));
  EXPECT_EQ(layout->data_offsets, (std::vector<uint64_t>{0, 0, 384}));
  EXPECT_EQ(layout->file_size, 4096u);
}

// examples/mlp/data/mlp_weights.irpa was written by IREE's Python
// create_archive_file: our layout of the same entries is byte-identical.
TEST(IrpaFormatTest, DataEntriesMatchIreesPythonWriter) {
  const std::string file =
      ReadFile(fs::path(IREE_SUITE_SOURCE_DIR) / "examples/mlp/data/mlp_weights.irpa");
  ASSERT_EQ(file.size(), 4096u);
  Result<IrpaLayout> layout = LayoutIrpa(
      {{"w1", 16 * 32 * 4, {}}, {"b1", 32 * 4, {}}, {"w2", 32 * 8 * 4, {}}, {"b2", 8 * 4, {}}});
  ASSERT_TRUE(layout) << layout.error();
  EXPECT_EQ(layout->head, file.substr(0, layout->head.size()));
  EXPECT_EQ(layout->data_offsets, (std::vector<uint64_t>{448, 2496, 2624, 3648}));
  EXPECT_EQ(layout->file_size, file.size());
}

TEST(IrpaFormatTest, AlignsDataAndFile) {
  Result<IrpaLayout> layout =
      LayoutIrpa({{"odd", 3, {}}, {"next", 5000, {}}, {"s", 8, {1, 2, 3, 4, 5, 6, 7, 8}}});
  ASSERT_TRUE(layout) << layout.error();
  for (uint64_t offset : {layout->data_offsets[0], layout->data_offsets[1]}) {
    EXPECT_EQ(offset % kIrpaDataAlignment, 0u);
  }
  EXPECT_EQ(layout->data_offsets[1] - layout->data_offsets[0], 64u);
  EXPECT_EQ(layout->file_size % kIrpaFileAlignment, 0u);
  EXPECT_GE(layout->file_size, layout->data_offsets[1] + 5000);
}

TEST(IrpaFormatTest, RejectsBadSplatPatterns) {
  std::string error;
  error = testing_helpers::ErrorOf(LayoutIrpa({{"x", 12, {1, 2, 3}}}));
  EXPECT_EQ(error, "parameter \"x\": a splat pattern of 3 bytes cannot fill 12 bytes");
  error = testing_helpers::ErrorOf(LayoutIrpa({{"y", 6, {1, 2, 3, 4}}}));
}

TEST(IrpaFormatTest, RejectsSizesThatWouldWrap) {
  std::string error;
  // Two tensor<1073741824x1073741824x8xi8>: 2^63 + 2^63 wraps to 0 in 64 bits.
  const uint64_t two_to_63 = uint64_t{1} << 63;
  error = testing_helpers::ErrorOf(LayoutIrpa({{"a", two_to_63, {}}, {"b", two_to_63, {}}}));
  EXPECT_EQ(error,
            "parameter \"a\": 9223372036854775808 bytes would make the archive larger than "
            "4611686018427387904 bytes");
  const uint64_t two_to_61 = uint64_t{1} << 61;
  error = testing_helpers::ErrorOf(
      LayoutIrpa({{"a", two_to_61, {}}, {"b", two_to_61, {}}, {"c", 64, {}}}));
  EXPECT_EQ(error.rfind("parameter \"c\": 64 bytes would make the archive larger", 0), 0u) << error;
  // Splats take no storage, however large they are.
  EXPECT_TRUE(LayoutIrpa({{"a", two_to_63, {1}}, {"b", two_to_63, {1}}}));
}

TEST(IrpaFormatTest, ReaderReadsWhatTheLayoutWrites) {
  std::string error;
  Result<IrpaLayout> layout =
      LayoutIrpa({{"w", 100, {}}, {"s", 32, {0, 0, 0x80, 0x3F}}, {"", 0, {}}});
  ASSERT_TRUE(layout) << layout.error();
  const fs::path path = fs::path(testing::TempDir()) / "reader_test.irpa";
  {
    std::ofstream out(path, std::ios::binary);
    std::string bytes = layout->head;
    bytes.resize(layout->file_size, '\0');
    out << bytes;
  }
  auto entries = ReadIrpaIndex(path);
  ASSERT_TRUE(entries) << entries.error();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].name, "w");
  EXPECT_EQ((*entries)[0].length, 100u);
  EXPECT_EQ((*entries)[0].data_offset, layout->data_offsets[0]);
  EXPECT_EQ((*entries)[0].minimum_alignment, 64u);
  EXPECT_EQ((*entries)[1].splat_pattern, (std::vector<uint8_t>{0, 0, 0x80, 0x3F}));
  EXPECT_EQ((*entries)[1].length, 32u);
  EXPECT_EQ((*entries)[2].name, "");

  // A truncated copy is refused.
  fs::resize_file(path, 200);
  error = testing_helpers::ErrorOf(ReadIrpaIndex(path));
  EXPECT_NE(error.find("not a valid parameter archive"), std::string::npos) << error;
  fs::remove(path);
}

}  // namespace
}  // namespace iree_suite
