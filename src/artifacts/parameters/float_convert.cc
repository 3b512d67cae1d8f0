#include "artifacts/parameters/float_convert.h"

#include <bit>
#include <cmath>
#include <limits>

namespace iree_suite {
namespace {

constexpr int kDoubleMantissaBits = 52;
constexpr int kDoubleBias = 1023;

uint32_t NanBits(bool negative, const FloatFormat& f) {
  const uint32_t sign = (negative ? 1u : 0u) << (f.exponent_bits + f.mantissa_bits);
  const uint32_t exponent_mask = ((1u << f.exponent_bits) - 1) << f.mantissa_bits;
  switch (f.specials) {
    case FloatFormat::Specials::kIeee:  // quiet NaN: top mantissa bit set
      return sign | exponent_mask | (1u << (f.mantissa_bits - 1));
    case FloatFormat::Specials::kFiniteOnly:  // all exponent and mantissa bits set
      return sign | exponent_mask | ((1u << f.mantissa_bits) - 1);
    case FloatFormat::Specials::kFiniteUnsignedZero:  // the "negative zero" pattern
      return 1u << (f.exponent_bits + f.mantissa_bits);
  }
  return 0;
}

// What a value too large for the format becomes.
uint32_t OverflowBits(bool negative, const FloatFormat& f) {
  if (f.specials != FloatFormat::Specials::kIeee) return NanBits(negative, f);
  const uint32_t sign = (negative ? 1u : 0u) << (f.exponent_bits + f.mantissa_bits);
  return sign | (((1u << f.exponent_bits) - 1) << f.mantissa_bits);
}

// Largest biased exponent a finite value may have.
int MaxFiniteExponent(const FloatFormat& f) {
  const int all_ones = (1 << f.exponent_bits) - 1;
  return f.specials == FloatFormat::Specials::kIeee ? all_ones - 1 : all_ones;
}

}  // namespace

uint32_t EncodeFloatSlow(double value, const FloatFormat& f) {
  const uint64_t bits = std::bit_cast<uint64_t>(value);
  const bool negative = (bits >> 63) != 0;
  const int double_exponent = static_cast<int>((bits >> kDoubleMantissaBits) & 0x7FF);
  const uint64_t double_mantissa = bits & ((uint64_t{1} << kDoubleMantissaBits) - 1);
  if (double_exponent == 0x7FF) {
    return double_mantissa != 0 ? NanBits(negative, f) : OverflowBits(negative, f);
  }
  const uint32_t sign = (negative ? 1u : 0u) << (f.exponent_bits + f.mantissa_bits);
  // FNUZ formats have no negative zero: its pattern is their NaN.
  const uint32_t zero = f.specials == FloatFormat::Specials::kFiniteUnsignedZero ? 0 : sign;
  if (double_exponent == 0 && double_mantissa == 0) return zero;

  // value = significand * 2^(exponent - 52), significand with its implicit bit.
  uint64_t significand = double_mantissa;
  int exponent = 1 - kDoubleBias;
  if (double_exponent != 0) {
    significand |= uint64_t{1} << kDoubleMantissaBits;
    exponent = double_exponent - kDoubleBias;
  }
  // Drop the bits the target cannot hold: more of them below its normal range.
  const int min_exponent = 1 - f.bias;
  int shift = kDoubleMantissaBits - f.mantissa_bits;
  if (exponent < min_exponent) shift += min_exponent - exponent;
  uint64_t kept = 0;
  if (shift < 64) {
    kept = significand >> shift;
    const uint64_t rest = significand & ((uint64_t{1} << shift) - 1);
    const uint64_t half = uint64_t{1} << (shift - 1);
    if (rest > half || (rest == half && (kept & 1) != 0)) ++kept;
  }
  if (kept == 0) return zero;  // underflow

  uint64_t encoded;
  if (exponent < min_exponent) {
    // Subnormal; a carry into bit m makes it the smallest normal, which is
    // exactly how that number is encoded.
    encoded = kept;
  } else {
    if (kept >> (f.mantissa_bits + 1)) {  // rounding carried out of the mantissa
      kept >>= 1;
      ++exponent;
    }
    const int biased = exponent + f.bias;
    if (biased > MaxFiniteExponent(f)) return OverflowBits(negative, f);
    encoded = (static_cast<uint64_t>(biased) << f.mantissa_bits) |
              (kept & ((uint64_t{1} << f.mantissa_bits) - 1));
  }
  // In E4M3FN the all-ones pattern at the top exponent is NaN, not a number.
  if (f.specials == FloatFormat::Specials::kFiniteOnly &&
      encoded == (uint64_t{1} << (f.exponent_bits + f.mantissa_bits)) - 1) {
    return OverflowBits(negative, f);
  }
  return sign | static_cast<uint32_t>(encoded);
}

double DecodeFloat(uint32_t bits, const FloatFormat& f) {
  const int width = 1 + f.exponent_bits + f.mantissa_bits;
  bits &= (width >= 32 ? ~0u : (1u << width) - 1);
  const bool negative = (bits >> (width - 1)) != 0;
  const uint32_t magnitude = bits & ((1u << (width - 1)) - 1);
  const int biased = static_cast<int>(magnitude >> f.mantissa_bits);
  const uint32_t mantissa = magnitude & ((1u << f.mantissa_bits) - 1);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  switch (f.specials) {
    case FloatFormat::Specials::kIeee:
      if (biased == (1 << f.exponent_bits) - 1) {
        if (mantissa != 0) return nan;
        return negative ? -HUGE_VAL : HUGE_VAL;
      }
      break;
    case FloatFormat::Specials::kFiniteOnly:
      if (magnitude == (1u << (width - 1)) - 1) return nan;
      break;
    case FloatFormat::Specials::kFiniteUnsignedZero:
      if (bits == 1u << (width - 1)) return nan;
      break;
  }
  const double value = biased == 0 ? std::ldexp(mantissa, 1 - f.bias - f.mantissa_bits)
                                   : std::ldexp(mantissa | (1u << f.mantissa_bits),
                                                biased - f.bias - f.mantissa_bits);
  return negative ? -value : value;
}

}  // namespace iree_suite
