// Conversions from double to the small float formats parameters use (f16,
// bf16 and the f8 variants), rounding to nearest, ties to even, from the
// double directly so that no value is rounded twice.
//
// Special values follow LLVM's APFloat and numpy's ml_dtypes, so that archives
// agree with what the compiler and the Python tooling compute:
//   * IEEE-like formats (f16, bf16, f8E5M2): overflow gives +-inf, NaN a quiet NaN.
//   * f8E4M3FN: no infinities; the only NaNs are S.1111.111, so 448 is the
//     largest finite value and anything rounding beyond it (or +-inf) is NaN.
//   * FNUZ formats: no infinities and no negative zero; 0x80 is the only NaN
//     and overflow, +-inf and NaN all map to it; -0 and negative values that
//     round to zero become +0.
#pragma once

#include <bit>
#include <cstdint>

namespace iree_suite {

struct FloatFormat {
  enum class Specials { kIeee, kFiniteOnly, kFiniteUnsignedZero };
  int exponent_bits;
  int mantissa_bits;
  int bias;
  Specials specials;
};

inline constexpr FloatFormat kF16Format{5, 10, 15, FloatFormat::Specials::kIeee};
inline constexpr FloatFormat kBF16Format{8, 7, 127, FloatFormat::Specials::kIeee};
inline constexpr FloatFormat kF8E5M2Format{5, 2, 15, FloatFormat::Specials::kIeee};
inline constexpr FloatFormat kF8E4M3FNFormat{4, 3, 7, FloatFormat::Specials::kFiniteOnly};
inline constexpr FloatFormat kF8E4M3FNUZFormat{4, 3, 8, FloatFormat::Specials::kFiniteUnsignedZero};
inline constexpr FloatFormat kF8E5M2FNUZFormat{5, 2, 16,
                                               FloatFormat::Specials::kFiniteUnsignedZero};

// Any conversion, special values included; EncodeFloat's slow path.
uint32_t EncodeFloatSlow(double value, const FloatFormat& format);

// The format's bit pattern nearest to `value` (in the low 1 + e + m bits).
// Inline with fast paths for normal and subnormal results, which the
// compiler specializes when `format` is one of the constants above.
inline uint32_t EncodeFloat(double value, const FloatFormat& format) {
  const int min_exponent = 1 - format.bias;
  const int max_exponent = (1 << format.exponent_bits) - 1 - format.bias -
                           (format.specials == FloatFormat::Specials::kIeee ? 1 : 0);
  // E4M3FN spends its top mantissa pattern on NaN.
  const uint64_t max_mantissa = (uint64_t{1} << format.mantissa_bits) -
                                (format.specials == FloatFormat::Specials::kFiniteOnly ? 2 : 1);
  const int shift = 52 - format.mantissa_bits;
  const uint64_t min_normal = static_cast<uint64_t>(min_exponent + 1023) << 52;
  const uint64_t max_finite =
      (static_cast<uint64_t>(max_exponent + 1023) << 52) | (max_mantissa << shift);

  const uint64_t bits = std::bit_cast<uint64_t>(value);
  const uint64_t magnitude = bits & ~(uint64_t{1} << 63);
  const uint32_t sign = static_cast<uint32_t>(bits >> 63)
                        << (format.exponent_bits + format.mantissa_bits);
  if (magnitude < max_finite) {
    // Both roundings are computed and one is selected, without a branch:
    // small formats see as many subnormal results as normal ones.
    // Normal: round the double's exponent and mantissa fields to nearest
    // even (a carry moves into the exponent), then rebias the exponent.
    const uint64_t round = ((magnitude >> shift) & 1) + (uint64_t{1} << (shift - 1)) - 1;
    const uint64_t normal = ((magnitude + round) >> shift) -
                            (static_cast<uint64_t>(1023 - format.bias) << format.mantissa_bits);
    // Subnormal: adding 2^k whose ulp is the smallest subnormal makes the FPU
    // round to a whole number of subnormal steps (2^m steps: the smallest normal).
    const double magic = std::bit_cast<double>(
        static_cast<uint64_t>(min_exponent - format.mantissa_bits + 52 + 1023) << 52);
    const double sum = std::bit_cast<double>(magnitude) + magic;
    const uint64_t steps = std::bit_cast<uint64_t>(sum) - std::bit_cast<uint64_t>(magic);
    // Masks rather than ?: so that the compiler emits no branch.
    const uint64_t normal_mask = uint64_t{0} - static_cast<uint64_t>(magnitude >= min_normal);
    const uint32_t result = static_cast<uint32_t>((normal & normal_mask) | (steps & ~normal_mask));
    if (format.specials != FloatFormat::Specials::kFiniteUnsignedZero) return sign | result;
    return result | (sign & (uint32_t{0} - static_cast<uint32_t>(result != 0)));
  }
  return EncodeFloatSlow(value, format);
}

// The exact value of a bit pattern (NaN for NaN encodings).
double DecodeFloat(uint32_t bits, const FloatFormat& format);

inline uint16_t DoubleToF16(double value) {
  return static_cast<uint16_t>(EncodeFloat(value, kF16Format));
}
inline uint16_t DoubleToBF16(double value) {
  return static_cast<uint16_t>(EncodeFloat(value, kBF16Format));
}

}  // namespace iree_suite
