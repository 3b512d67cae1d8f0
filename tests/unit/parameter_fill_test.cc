#include "artifacts/parameters/parameter_fill.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "artifacts/parameters/counter_rng.h"
#include "artifacts/parameters/float_convert.h"

namespace iree_suite {
namespace {

constexpr ElementType kAllTypes[] = {
    ElementType::kI1,         ElementType::kI8,     ElementType::kSI8,
    ElementType::kUI8,        ElementType::kI16,    ElementType::kSI16,
    ElementType::kUI16,       ElementType::kI32,    ElementType::kSI32,
    ElementType::kUI32,       ElementType::kI64,    ElementType::kSI64,
    ElementType::kUI64,       ElementType::kF16,    ElementType::kBF16,
    ElementType::kF32,        ElementType::kF64,    ElementType::kF8E4M3FN,
    ElementType::kF8E4M3FNUZ, ElementType::kF8E5M2, ElementType::kF8E5M2FNUZ,
};

std::vector<uint8_t> Random(ElementType type, uint64_t key, uint64_t first, size_t count) {
  std::vector<uint8_t> bytes(count * ElementByteSize(type));
  FillRandom(type, key, first, count, bytes.data());
  return bytes;
}

std::vector<float> RandomF32(uint64_t key, size_t count) {
  std::vector<uint8_t> bytes = Random(ElementType::kF32, key, 0, count);
  std::vector<float> values(count);
  std::memcpy(values.data(), bytes.data(), bytes.size());
  return values;
}

std::vector<uint8_t> Bytes(std::initializer_list<uint8_t> bytes) { return bytes; }

TEST(ParameterFillTest, SplatPatternOfFloats) {
  EXPECT_EQ(SplatPattern(ElementType::kF32, 0.5), Bytes({0x00, 0x00, 0x00, 0x3F}));
  EXPECT_EQ(SplatPattern(ElementType::kF64, -2.0), Bytes({0, 0, 0, 0, 0, 0, 0x00, 0xC0}));
  EXPECT_EQ(SplatPattern(ElementType::kF16, 0.5), Bytes({0x00, 0x38}));
  EXPECT_EQ(SplatPattern(ElementType::kBF16, 0.5), Bytes({0x00, 0x3F}));
  EXPECT_EQ(SplatPattern(ElementType::kF8E4M3FN, 0.5), Bytes({0x30}));
  EXPECT_EQ(SplatPattern(ElementType::kF8E4M3FNUZ, 0.5), Bytes({0x38}));
  EXPECT_EQ(SplatPattern(ElementType::kF8E5M2, 0.5), Bytes({0x38}));
  EXPECT_EQ(SplatPattern(ElementType::kF8E5M2FNUZ, 0.5), Bytes({0x3C}));
  // f32 rounds to nearest even too: 1 + 2^-24 is a tie between 1 and 1 + 2^-23.
  EXPECT_EQ(SplatPattern(ElementType::kF32, 1.0 + std::ldexp(1.0, -24)),
            Bytes({0x00, 0x00, 0x80, 0x3F}));
}

TEST(ParameterFillTest, SplatPatternOfIntegersRoundsAndClamps) {
  EXPECT_EQ(SplatPattern(ElementType::kI8, -1), Bytes({0xFF}));
  EXPECT_EQ(SplatPattern(ElementType::kI8, 200), Bytes({0xC8}));  // signless: either range
  EXPECT_EQ(SplatPattern(ElementType::kI8, 300), Bytes({0xFF}));
  EXPECT_EQ(SplatPattern(ElementType::kI8, -300), Bytes({0x80}));
  EXPECT_EQ(SplatPattern(ElementType::kSI8, 200), Bytes({0x7F}));
  EXPECT_EQ(SplatPattern(ElementType::kUI8, -1), Bytes({0x00}));
  EXPECT_EQ(SplatPattern(ElementType::kUI16, 70000), Bytes({0xFF, 0xFF}));
  EXPECT_EQ(SplatPattern(ElementType::kI32, 2.5), Bytes({2, 0, 0, 0}));  // ties to even
  EXPECT_EQ(SplatPattern(ElementType::kI32, 3.5), Bytes({4, 0, 0, 0}));
  EXPECT_EQ(SplatPattern(ElementType::kSI32, -7), Bytes({0xF9, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(SplatPattern(ElementType::kI32, std::numeric_limits<double>::quiet_NaN()),
            Bytes({0, 0, 0, 0}));
  EXPECT_EQ(SplatPattern(ElementType::kI64, 1e30),
            Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(SplatPattern(ElementType::kSI64, 1e30),
            Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}));
  EXPECT_EQ(SplatPattern(ElementType::kSI64, -1e30), Bytes({0, 0, 0, 0, 0, 0, 0, 0x80}));
  EXPECT_EQ(SplatPattern(ElementType::kUI64, 4096), Bytes({0, 0x10, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(SplatPattern(ElementType::kI1, 0), Bytes({0}));
  EXPECT_EQ(SplatPattern(ElementType::kI1, 0.25), Bytes({1}));
  EXPECT_EQ(SplatPattern(ElementType::kI1, -2), Bytes({1}));
}

// Blocks of any size, in any order, give the same bytes as one pass: what
// makes archives independent of the thread count.
TEST(ParameterFillTest, RandomIsIndependentOfTheSplit) {
  const uint64_t key = ParameterStreamKey(7, "layer.0.weight");
  for (ElementType type : kAllTypes) {
    const size_t count = 5000;
    const size_t size = ElementByteSize(type);
    std::vector<uint8_t> whole = Random(type, key, 0, count);
    std::vector<uint8_t> pieces(whole.size());
    for (size_t first = 0, step = 1; first < count; first += step, step = step * 3 + 1) {
      const size_t n = std::min(step, count - first);
      FillRandom(type, key, first, n, pieces.data() + first * size);
    }
    EXPECT_EQ(whole, pieces) << ElementTypeName(type);
  }
}

TEST(ParameterFillTest, RandomDependsOnSeedAndName) {
  const auto a = Random(ElementType::kF16, ParameterStreamKey(1, "w"), 0, 64);
  EXPECT_EQ(a, Random(ElementType::kF16, ParameterStreamKey(1, "w"), 0, 64));
  EXPECT_NE(a, Random(ElementType::kF16, ParameterStreamKey(2, "w"), 0, 64));
  EXPECT_NE(a, Random(ElementType::kF16, ParameterStreamKey(1, "v"), 0, 64));
}

// Archives are cached under kParameterGeneratorVersion: if this changes,
// bump that version so that no stale archive is reused.
TEST(ParameterFillTest, KnownValuesForSeed42) {
  const std::vector<float> values = RandomF32(ParameterStreamKey(42, "w"), 4);
  const float expected[] = {0.0036044051f, -0.0061290888f, -0.0064037037f, -0.016235536f};
  for (size_t i = 0; i < 4; ++i) EXPECT_FLOAT_EQ(values[i], expected[i]) << i;
}

// Normal(0, 0.01): mean, standard deviation and the shape of the
// distribution, within five standard errors for 4M samples.
TEST(ParameterFillTest, RandomFloatsAreNormalWithStddev001) {
  constexpr size_t n = size_t{1} << 22;
  const std::vector<float> values = RandomF32(ParameterStreamKey(3, "big"), n);
  double sum = 0;
  double sum_squares = 0;
  size_t within_1 = 0;
  size_t within_2 = 0;
  size_t tail = 0;  // beyond the ziggurat's tail start, 3.654 sigma
  for (float v : values) {
    sum += v;
    sum_squares += static_cast<double>(v) * v;
    const double z = std::abs(v) / kRandomStddev;
    within_1 += z < 1;
    within_2 += z < 2;
    tail += z > 3.6541528853610088;
  }
  const double mean = sum / n;
  const double stddev = std::sqrt(sum_squares / n - mean * mean);
  EXPECT_NEAR(mean, 0.0, 5 * 0.01 / std::sqrt(n));
  EXPECT_NEAR(stddev, 0.01, 5 * 0.01 / std::sqrt(2.0 * n));
  auto expect_fraction = [](size_t count, double p, const char* what) {
    EXPECT_NEAR(static_cast<double>(count) / n, p, 5 * std::sqrt(p * (1 - p) / n)) << what;
  };
  expect_fraction(within_1, 0.682689492137, "within 1 sigma");
  expect_fraction(within_2, 0.954499736104, "within 2 sigma");
  expect_fraction(tail, 2.58032e-4, "beyond the tail start");
}

TEST(ParameterFillTest, RandomSmallFloatsHaveTheRightSpread) {
  for (ElementType type :
       {ElementType::kF16, ElementType::kBF16, ElementType::kF8E5M2, ElementType::kF8E4M3FNUZ}) {
    const FloatFormat& format = type == ElementType::kF16      ? kF16Format
                                : type == ElementType::kBF16   ? kBF16Format
                                : type == ElementType::kF8E5M2 ? kF8E5M2Format
                                                               : kF8E4M3FNUZFormat;
    const size_t n = 1 << 18;
    const std::vector<uint8_t> bytes = Random(type, ParameterStreamKey(9, "x"), 0, n);
    double sum = 0;
    double sum_squares = 0;
    for (size_t i = 0; i < n; ++i) {
      uint32_t bits = 0;
      std::memcpy(&bits, bytes.data() + i * ElementByteSize(type), ElementByteSize(type));
      const double v = DecodeFloat(bits, format);
      ASSERT_TRUE(std::isfinite(v)) << ElementTypeName(type);
      sum += v;
      sum_squares += v * v;
    }
    // Rounding to few mantissa bits adds a little variance; 3% covers f8.
    EXPECT_NEAR(sum / n, 0.0, 1e-4) << ElementTypeName(type);
    EXPECT_NEAR(std::sqrt(sum_squares / n), 0.01, 3e-4) << ElementTypeName(type);
  }
}

TEST(ParameterFillTest, RandomIntegersCoverTheirRange) {
  const size_t n = 1 << 16;
  std::vector<uint8_t> bools = Random(ElementType::kI1, ParameterStreamKey(1, "mask"), 0, n);
  size_t ones = 0;
  for (uint8_t b : bools) {
    ASSERT_LE(b, 1);
    ones += b;
  }
  EXPECT_NEAR(static_cast<double>(ones) / n, 0.5, 0.02);

  std::vector<uint8_t> bytes = Random(ElementType::kSI8, ParameterStreamKey(1, "q"), 0, n);
  std::vector<size_t> histogram(256);
  for (uint8_t b : bytes) ++histogram[b];
  for (size_t count : histogram) EXPECT_NEAR(count, n / 256.0, 5 * std::sqrt(n / 256.0));

  std::vector<uint8_t> words = Random(ElementType::kUI32, ParameterStreamKey(1, "i"), 0, n);
  uint32_t low = ~0u;
  uint32_t high = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t v = 0;
    std::memcpy(&v, words.data() + 4 * i, 4);
    low = std::min(low, v);
    high = std::max(high, v);
  }
  EXPECT_LT(low, 1u << 20);
  EXPECT_GT(high, ~0u - (1u << 20));
}

}  // namespace
}  // namespace iree_suite
