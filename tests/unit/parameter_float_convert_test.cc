#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "artifacts/parameters/float_convert.h"

namespace iree_suite {
namespace {

struct NamedFormat {
  const char* name;
  FloatFormat format;
  int width;
};

const NamedFormat kFormats[] = {
    {"f16", kF16Format, 16},          {"bf16", kBF16Format, 16},
    {"f8E4M3FN", kF8E4M3FNFormat, 8}, {"f8E4M3FNUZ", kF8E4M3FNUZFormat, 8},
    {"f8E5M2", kF8E5M2Format, 8},     {"f8E5M2FNUZ", kF8E5M2FNUZFormat, 8},
};

// Inputs (all exact in float32) and the bits numpy 2.4 / ml_dtypes 0.6 give
// for them (`np.float32(v).astype(t).view(uint)`), computed independently of
// this code. They cover ties, subnormals, overflow and the special values.
const std::vector<double> kInputs = {0.0,
                                     -0.0,
                                     1.0,
                                     -1.0,
                                     0.10000000149011612,
                                     -0.30000001192092896,
                                     0.009999999776482582,
                                     3.140625,
                                     1000.0,
                                     1000000.0,
                                     -1000000.0,
                                     464.0,
                                     448.0,
                                     465.0,
                                     240.0,
                                     247.99000549316406,
                                     248.0,
                                     256.0,
                                     57344.0,
                                     61439.0,
                                     61440.0,
                                     65504.0,
                                     65519.98828125,
                                     65520.0,
                                     9.999999717180685e-10,
                                     0.0078125,
                                     0.0009765625,
                                     0.00048828125,
                                     0.000732421875,
                                     7.62939453125e-06,
                                     1.1444091796875e-05,
                                     5.960464477539063e-08,
                                     2.9802322387695312e-08,
                                     4.470348358154297e-08,
                                     4.470348358154297e-08,
                                     6.0999998822808266e-05,
                                     1.0009765625,
                                     1.00048828125,
                                     1.00146484375,
                                     0.0078125,
                                     -0.012299999594688416,
                                     0.00390625,
                                     0.001953125,
                                     0.0009765625,
                                     1.52587890625e-05,
                                     3.0000000054977558e+38,
                                     9.99994610111476e-41,
                                     HUGE_VAL,
                                     -HUGE_VAL};

const std::vector<std::vector<uint32_t>> kExpected = {
    // f16
    {0x0,    0x8000, 0x3C00, 0xBC00, 0x2E66, 0xB4CD, 0x211F, 0x4248, 0x63D0, 0x7C00,
     0xFC00, 0x5F40, 0x5F00, 0x5F44, 0x5B80, 0x5BC0, 0x5BC0, 0x5C00, 0x7B00, 0x7B80,
     0x7B80, 0x7BFF, 0x7BFF, 0x7C00, 0x0,    0x2000, 0x1400, 0x1000, 0x1200, 0x80,
     0xC0,   0x1,    0x0,    0x1,    0x1,    0x3FF,  0x3C01, 0x3C00, 0x3C02, 0x2000,
     0xA24C, 0x1C00, 0x1800, 0x1400, 0x100,  0x7C00, 0x0,    0x7C00, 0xFC00},
    // bf16
    {0x0,    0x8000, 0x3F80, 0xBF80, 0x3DCD, 0xBE9A, 0x3C24, 0x4049, 0x447A, 0x4974,
     0xC974, 0x43E8, 0x43E0, 0x43E8, 0x4370, 0x4378, 0x4378, 0x4380, 0x4760, 0x4770,
     0x4770, 0x4780, 0x4780, 0x4780, 0x3089, 0x3C00, 0x3A80, 0x3A00, 0x3A40, 0x3700,
     0x3740, 0x3380, 0x3300, 0x3340, 0x3340, 0x3880, 0x3F80, 0x3F80, 0x3F80, 0x3C00,
     0xBC4A, 0x3B80, 0x3B00, 0x3A80, 0x3780, 0x7F62, 0x1,    0x7F80, 0xFF80},
    // f8E4M3FN
    {0x0,  0x80, 0x38, 0xB8, 0x1D, 0xAA, 0x5,  0x45, 0x7F, 0x7F, 0xFF, 0x7E, 0x7E,
     0x7F, 0x77, 0x77, 0x78, 0x78, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x0,  0x4,
     0x0,  0x0,  0x0,  0x0,  0x0,  0x0,  0x0,  0x0,  0x0,  0x0,  0x38, 0x38, 0x38,
     0x4,  0x86, 0x2,  0x1,  0x0,  0x0,  0x7F, 0x0,  0x7F, 0xFF},
    // f8E4M3FNUZ
    {0x0,  0x0,  0x40, 0xC0, 0x25, 0xB2, 0xA,  0x4D, 0x80, 0x80, 0x80, 0x80, 0x80,
     0x80, 0x7F, 0x7F, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x0,  0x8,
     0x1,  0x0,  0x1,  0x0,  0x0,  0x0,  0x0,  0x0,  0x0,  0x0,  0x40, 0x40, 0x40,
     0x8,  0x8D, 0x4,  0x2,  0x1,  0x0,  0x80, 0x0,  0x80, 0x80},
    // f8E5M2
    {0x0,  0x80, 0x3C, 0xBC, 0x2E, 0xB5, 0x21, 0x42, 0x64, 0x7C, 0xFC, 0x5F, 0x5F,
     0x5F, 0x5C, 0x5C, 0x5C, 0x5C, 0x7B, 0x7B, 0x7C, 0x7C, 0x7C, 0x7C, 0x0,  0x20,
     0x14, 0x10, 0x12, 0x0,  0x1,  0x0,  0x0,  0x0,  0x0,  0x4,  0x3C, 0x3C, 0x3C,
     0x20, 0xA2, 0x1C, 0x18, 0x14, 0x1,  0x7C, 0x0,  0x7C, 0xFC},
    // f8E5M2FNUZ
    {0x0,  0x0,  0x40, 0xC0, 0x32, 0xB9, 0x25, 0x46, 0x68, 0x80, 0x80, 0x63, 0x63,
     0x63, 0x60, 0x60, 0x60, 0x60, 0x7F, 0x7F, 0x80, 0x80, 0x80, 0x80, 0x0,  0x24,
     0x18, 0x14, 0x16, 0x1,  0x2,  0x0,  0x0,  0x0,  0x0,  0x8,  0x40, 0x40, 0x40,
     0x24, 0xA6, 0x20, 0x1C, 0x18, 0x2,  0x80, 0x0,  0x80, 0x80},
};

TEST(ParameterFloatConvertTest, MatchesMlDtypesOnEdgeCases) {
  for (size_t f = 0; f < std::size(kFormats); ++f) {
    ASSERT_EQ(kExpected[f].size(), kInputs.size());
    for (size_t i = 0; i < kInputs.size(); ++i) {
      EXPECT_EQ(EncodeFloat(kInputs[i], kFormats[f].format), kExpected[f][i])
          << kFormats[f].name << "(" << kInputs[i] << ")";
    }
  }
}

TEST(ParameterFloatConvertTest, NaNBecomesTheFormatsNaN) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(EncodeFloat(nan, kF16Format), 0x7E00u);
  EXPECT_EQ(EncodeFloat(nan, kBF16Format), 0x7FC0u);
  EXPECT_EQ(EncodeFloat(nan, kF8E4M3FNFormat), 0x7Fu);
  EXPECT_EQ(EncodeFloat(nan, kF8E4M3FNUZFormat), 0x80u);
  EXPECT_EQ(EncodeFloat(nan, kF8E5M2Format), 0x7Eu);
  EXPECT_EQ(EncodeFloat(nan, kF8E5M2FNUZFormat), 0x80u);
}

// Every finite encoding decodes to a value that encodes back to itself.
TEST(ParameterFloatConvertTest, EveryValueRoundTrips) {
  for (const NamedFormat& named : kFormats) {
    for (uint32_t bits = 0; bits < (1u << named.width); ++bits) {
      const double value = DecodeFloat(bits, named.format);
      if (std::isnan(value)) continue;
      EXPECT_EQ(EncodeFloat(value, named.format), bits) << named.name << " bits " << bits;
    }
  }
}

// Between two neighbours: below the midpoint rounds down, above rounds up,
// exactly on it rounds to the even encoding.
TEST(ParameterFloatConvertTest, RoundsToNearestTiesToEven) {
  for (const NamedFormat& named : kFormats) {
    const uint32_t positive_count = 1u << (named.width - 1);
    for (uint32_t low = 0; low + 1 < positive_count; ++low) {
      const uint32_t high = low + 1;
      const double a = DecodeFloat(low, named.format);
      const double b = DecodeFloat(high, named.format);
      if (std::isnan(a) || std::isnan(b) || std::isinf(b)) continue;
      const double mid = (a + b) / 2;  // exact: both have few significant bits
      const double step = (b - a) / 1024;
      EXPECT_EQ(EncodeFloat(mid - step, named.format), low) << named.name << " " << mid;
      EXPECT_EQ(EncodeFloat(mid + step, named.format), high) << named.name << " " << mid;
      EXPECT_EQ(EncodeFloat(mid, named.format), (low % 2 == 0) ? low : high)
          << named.name << " tie " << mid;
    }
  }
}

// EncodeFloat's branch-free fast paths agree with the general conversion,
// over magnitudes from far below the subnormals to far above the maximum.
TEST(ParameterFloatConvertTest, FastPathsAgreeWithTheGeneralConversion) {
  uint64_t state = 1;
  for (const NamedFormat& named : kFormats) {
    for (int i = 0; i < 200000; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      const double mantissa = 1.0 + static_cast<double>(state >> 12) / 4503599627370496.0;
      const int exponent = static_cast<int>((state >> 4) % 320) - 160;
      const double value = ((state & 1) ? -1 : 1) * std::ldexp(mantissa, exponent);
      ASSERT_EQ(EncodeFloat(value, named.format), EncodeFloatSlow(value, named.format))
          << named.name << " " << value;
    }
  }
}

TEST(ParameterFloatConvertTest, LargestFiniteAndOverflow) {
  EXPECT_EQ(DecodeFloat(0x7BFF, kF16Format), 65504.0);
  EXPECT_EQ(DecodeFloat(0x7E, kF8E4M3FNFormat), 448.0);
  EXPECT_EQ(DecodeFloat(0x7F, kF8E4M3FNUZFormat), 240.0);
  EXPECT_EQ(DecodeFloat(0x7B, kF8E5M2Format), 57344.0);
  EXPECT_EQ(DecodeFloat(0x7F, kF8E5M2FNUZFormat), 57344.0);
  EXPECT_TRUE(std::isnan(DecodeFloat(0x80, kF8E4M3FNUZFormat)));
  EXPECT_TRUE(std::isnan(DecodeFloat(0xFF, kF8E4M3FNFormat)));
  EXPECT_TRUE(std::isinf(DecodeFloat(0x7C, kF8E5M2Format)));
  // Just below the overflow threshold still rounds to the largest finite value.
  EXPECT_EQ(EncodeFloat(65519.999, kF16Format), 0x7BFFu);
  EXPECT_EQ(EncodeFloat(-65520.0, kF16Format), 0xFC00u);
  EXPECT_EQ(EncodeFloat(463.99, kF8E4M3FNFormat), 0x7Eu);
  EXPECT_EQ(EncodeFloat(-463.99, kF8E4M3FNFormat), 0xFEu);
  EXPECT_EQ(DoubleToF16(1.0), 0x3C00);
  EXPECT_EQ(DoubleToBF16(-2.0), 0xC000);
}

// Rounding happens once, from the double: a value just above an f16 tie
// rounds up even though rounding it to f32 first would land on the tie.
TEST(ParameterFloatConvertTest, NoDoubleRounding) {
  const double above_tie = 1.00048828125 + std::ldexp(1.0, -40);  // 1 + 2^-11 + 2^-40
  EXPECT_EQ(EncodeFloat(above_tie, kF16Format), 0x3C01u);
  EXPECT_EQ(EncodeFloat(static_cast<float>(above_tie), kF16Format), 0x3C00u);
}

}  // namespace
}  // namespace iree_suite
