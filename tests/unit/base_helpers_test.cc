// The generic helpers of src/base/: strings, UTF-8, byte counts, text tables
// and the value-or-error type.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "base/strings.h"
#include "base/text_table.h"
#include "base/utf8.h"

namespace iree_suite {
namespace {

TEST(ParseShareTest, FractionsAndPercentagesNeverNegative) {
  EXPECT_DOUBLE_EQ(*ParseShare("0.05"), 0.05);
  EXPECT_DOUBLE_EQ(*ParseShare("5%"), 0.05);
  EXPECT_DOUBLE_EQ(*ParseShare("0"), 0);
  for (const char* bad : {"", "%", "-5%", "5 %", "abc", "1e999", "nan"}) {
    EXPECT_FALSE(ParseShare(bad)) << bad;
  }
  EXPECT_EQ(ShareProblem("5%"), "");
  EXPECT_EQ(ShareProblem("x"),
            "expected a fraction such as 0.05 or a percentage such as 5%, not \"x\"");
}

TEST(ClosestMatchTest, SuggestsTyposAndTruncationsOnly) {
  const std::vector<std::string> flags = {"--force-recompile", "--test-file-directory",
                                          "--timeout"};
  EXPECT_EQ(ClosestMatch("--force-recomple", flags), "--force-recompile");
  EXPECT_EQ(ClosestMatch("--test-file-dir", flags), "--test-file-directory");
  EXPECT_EQ(ClosestMatch("--colour-of-the-sky", flags), std::nullopt);
  EXPECT_EQ(ClosestMatch("x", {}), std::nullopt);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(TrimTest, RemovesAsciiWhitespaceAtBothEnds) {
  EXPECT_EQ(Trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(Trim("\v\fx\f"), "x");
  EXPECT_EQ(Trim(" \t "), "");
  EXPECT_EQ(Trim(""), "");
}

TEST(Utf8Test, AllModesDecodeWellFormedText) {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a é € 😀
  for (Utf8Check check : {Utf8Check::kBitPattern, Utf8Check::kStructural, Utf8Check::kStrict}) {
    std::vector<char32_t> decoded;
    for (size_t pos = 0; pos < text.size();) {
      Utf8Char c = DecodeUtf8(text, pos, check);
      ASSERT_TRUE(c.valid);
      decoded.push_back(c.code_point);
      pos += c.length;
    }
    EXPECT_EQ(decoded, (std::vector<char32_t>{U'a', 0xE9, 0x20AC, 0x1F600}));
  }
}

TEST(Utf8Test, StrictnessDiffersOnlyOnMalformedText) {
  const std::string overlong_nul = "\xC0\x80";
  EXPECT_TRUE(DecodeUtf8(overlong_nul, 0, Utf8Check::kBitPattern).valid);
  EXPECT_FALSE(DecodeUtf8(overlong_nul, 0, Utf8Check::kStructural).valid);
  EXPECT_FALSE(DecodeUtf8(overlong_nul, 0, Utf8Check::kStrict).valid);

  const std::string surrogate = "\xED\xA0\x80";
  EXPECT_TRUE(DecodeUtf8(surrogate, 0, Utf8Check::kBitPattern).valid);
  EXPECT_TRUE(DecodeUtf8(surrogate, 0, Utf8Check::kStructural).valid);
  Utf8Char strict = DecodeUtf8(surrogate, 0, Utf8Check::kStrict);
  EXPECT_FALSE(strict.valid);
  EXPECT_EQ(strict.length, 1u);  // the maximal valid prefix is the lead byte alone

  const std::string beyond = "\xF5\x80\x80\x80";
  EXPECT_TRUE(DecodeUtf8(beyond, 0, Utf8Check::kBitPattern).valid);
  EXPECT_FALSE(DecodeUtf8(beyond, 0, Utf8Check::kStructural).valid);
}

TEST(Utf8Test, InvalidSequencesConsumeOneByteOrTheMaximalPrefix) {
  const std::string truncated = "\xE2\x82";  // € without its last byte
  EXPECT_EQ(DecodeUtf8(truncated, 0, Utf8Check::kBitPattern).length, 1u);
  EXPECT_EQ(DecodeUtf8(truncated, 0, Utf8Check::kStructural).length, 1u);
  Utf8Char strict = DecodeUtf8(truncated, 0, Utf8Check::kStrict);
  EXPECT_FALSE(strict.valid);
  EXPECT_EQ(strict.length, 2u);
  EXPECT_FALSE(DecodeUtf8("\x80", 0, Utf8Check::kStrict).valid);
}

TEST(Utf8Test, AppendEncodesEveryLength) {
  std::string out;
  for (char32_t cp : {U'a', char32_t{0xE9}, char32_t{0x20AC}, char32_t{0x1F600}})
    AppendUtf8(cp, &out);
  EXPECT_EQ(out, "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST(FormatBytesTest, BinaryUnits) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(512), "512 B");
  EXPECT_EQ(FormatBytes(1536), "1.5 KiB");
  EXPECT_EQ(FormatBytes(3.0 * (1 << 30)), "3.0 GiB");
  EXPECT_EQ(FormatBytes(static_cast<double>(20ull << 30)), "20.0 GiB");
  EXPECT_EQ(FormatBytes(static_cast<double>(3ull << 50)), "3.0 PiB");
  EXPECT_EQ(FormatBytes(-2048), "-2.0 KiB");
  EXPECT_EQ(FormatBytes(-1000), "-1000 B");
}

TEST(TextTableTest, ColumnsAlignLeftOrRightWithoutTrailingSpaces) {
  std::string text = RenderColumns(
      {{"name", "bytes", "path"}, {"module", "12", "a"}, {"x", "1234", ""}}, {false, true, false});
  EXPECT_EQ(text,
            "name    bytes  path\n"
            "module     12  a\n"
            "x        1234\n");
}

TEST(TextTableTest, WidthsCountCharactersNotBytes) {
  EXPECT_EQ(DisplayWidth("\xC3\xA9t\xC3\xA9"), 3u);
  EXPECT_EQ(PadRight("\xC3\xA9", 3), "\xC3\xA9  ");
  EXPECT_EQ(PadLeft("ab", 4), "  ab");
  EXPECT_EQ(PadLeft("abcdef", 4), "abcdef");  // never cut
  EXPECT_EQ(RenderColumns({{"\xC3\xA9", "1"}, {"ab", "2"}}, {false, true}),
            "\xC3\xA9   1\nab  2\n");
}

Result<int> Half(int value) {
  if (value % 2 != 0) return Error{"odd"};
  return value / 2;
}

Status Check(bool fine) {
  if (!fine) return Error{"not fine"};
  return {};
}

TEST(ResultTest, HoldsAValueOrAnError) {
  Result<int> half = Half(8);
  ASSERT_TRUE(half);
  EXPECT_EQ(*half, 4);
  Result<int> odd = Half(3);
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error(), "odd");
  EXPECT_TRUE(Check(true).ok());
  Status failed = Check(false);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error(), "not fine");
}

}  // namespace
}  // namespace iree_suite
