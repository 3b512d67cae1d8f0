#include "artifacts/parameters/parameter_fill.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "artifacts/parameters/counter_rng.h"
#include "artifacts/parameters/float_convert.h"

namespace iree_suite {
namespace {

static_assert(std::endian::native == std::endian::little,
              "archives are little-endian; byte-swap before writing on this host");

const FloatFormat* SmallFloatFormat(ElementType type) {
  switch (type) {
    case ElementType::kF16:
      return &kF16Format;
    case ElementType::kBF16:
      return &kBF16Format;
    case ElementType::kF8E4M3FN:
      return &kF8E4M3FNFormat;
    case ElementType::kF8E4M3FNUZ:
      return &kF8E4M3FNUZFormat;
    case ElementType::kF8E5M2:
      return &kF8E5M2Format;
    case ElementType::kF8E5M2FNUZ:
      return &kF8E5M2FNUZFormat;
    default:
      return nullptr;
  }
}

// Integers: the parameter's bytes are the little-endian words
// CounterBits(key, 0), CounterBits(key, 1), ..., whatever the element size.
void FillRandomBytes(uint64_t key, uint64_t first_byte, size_t size, bool low_bit_only,
                     uint8_t* out) {
  for (size_t i = 0; i < size;) {
    const uint64_t byte = first_byte + i;
    const uint64_t word = CounterBits(key, byte / 8);
    const size_t skip = byte % 8;
    const size_t take = std::min<size_t>(8 - skip, size - i);
    std::memcpy(out + i, reinterpret_cast<const uint8_t*>(&word) + skip, take);
    i += take;
  }
  if (low_bit_only) {
    for (size_t i = 0; i < size; ++i) out[i] &= 1;
  }
}

// Stores Normal(0, 0.01) values. Small formats sample a batch first, then
// convert it: two simple loops run faster than one complex one (sampling
// branches, converting does not); f32 and f64 convert too cheaply to gain.
template <bool kBatched, typename Store>
void FillNormal(uint64_t key, uint64_t first_element, size_t count, Store store) {
  const NormalSampler& sampler = NormalSampler::Get();
  if (!kBatched) {
    for (size_t i = 0; i < count; ++i) {
      store(i, kRandomStddev * sampler.Sample(key, first_element + i));
    }
    return;
  }
  constexpr size_t kBatch = 256;
  double batch[kBatch];
  for (size_t start = 0; start < count; start += kBatch) {
    const size_t n = std::min(kBatch, count - start);
    for (size_t i = 0; i < n; ++i) {
      batch[i] = kRandomStddev * sampler.Sample(key, first_element + start + i);
    }
    for (size_t i = 0; i < n; ++i) store(start + i, batch[i]);
  }
}

// One instance per format, so that EncodeFloat folds the format's constants.
template <const FloatFormat& kFormat, typename Bits>
void FillSmallFloat(uint64_t key, uint64_t first_element, size_t count, uint8_t* out) {
  FillNormal<true>(key, first_element, count, [out](size_t i, double value) {
    const Bits bits = static_cast<Bits>(EncodeFloat(value, kFormat));
    std::memcpy(out + sizeof(Bits) * i, &bits, sizeof(Bits));
  });
}

// The low `bits` bits of `value` rounded and clamped to the integer type.
uint64_t IntegerBits(double value, int bits, IntegerSignedness signedness) {
  if (std::isnan(value)) return 0;
  const double rounded = std::nearbyint(value);
  const bool allow_negative = signedness != IntegerSignedness::kUnsigned;
  const bool allow_high_bit = signedness != IntegerSignedness::kSigned;
  const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  const double lowest = allow_negative ? -std::ldexp(1.0, bits - 1) : 0.0;
  const uint64_t lowest_bits = allow_negative ? (uint64_t{1} << (bits - 1)) : 0;
  // As doubles these may round up to a power of two; comparing with >= is still exact.
  const uint64_t highest_bits = allow_high_bit ? mask : mask >> 1;
  const double highest = static_cast<double>(highest_bits);
  if (rounded <= lowest) return lowest_bits;
  if (rounded >= highest) return highest_bits;
  const uint64_t result = rounded < 0 ? static_cast<uint64_t>(static_cast<int64_t>(rounded))
                                      : static_cast<uint64_t>(rounded);
  return result & mask;
}

}  // namespace

void FillRandom(ElementType type, uint64_t key, uint64_t first_element, size_t count,
                uint8_t* out) {
  const size_t element_size = ElementByteSize(type);
  if (!IsFloatType(type)) {
    FillRandomBytes(key, first_element * element_size, count * element_size,
                    type == ElementType::kI1, out);
    return;
  }
  if (type == ElementType::kF32) {
    FillNormal<false>(key, first_element, count, [out](size_t i, double value) {
      const float narrowed = static_cast<float>(value);
      std::memcpy(out + 4 * i, &narrowed, 4);
    });
  } else if (type == ElementType::kF64) {
    FillNormal<false>(key, first_element, count,
                      [out](size_t i, double value) { std::memcpy(out + 8 * i, &value, 8); });
  } else {
    switch (type) {
      case ElementType::kF16:
        return FillSmallFloat<kF16Format, uint16_t>(key, first_element, count, out);
      case ElementType::kBF16:
        return FillSmallFloat<kBF16Format, uint16_t>(key, first_element, count, out);
      case ElementType::kF8E4M3FN:
        return FillSmallFloat<kF8E4M3FNFormat, uint8_t>(key, first_element, count, out);
      case ElementType::kF8E4M3FNUZ:
        return FillSmallFloat<kF8E4M3FNUZFormat, uint8_t>(key, first_element, count, out);
      case ElementType::kF8E5M2:
        return FillSmallFloat<kF8E5M2Format, uint8_t>(key, first_element, count, out);
      case ElementType::kF8E5M2FNUZ:
        return FillSmallFloat<kF8E5M2FNUZFormat, uint8_t>(key, first_element, count, out);
      default:
        break;
    }
  }
}

std::vector<uint8_t> SplatPattern(ElementType type, double value) {
  const size_t size = ElementByteSize(type);
  uint64_t bits = 0;
  if (type == ElementType::kF64) {
    bits = std::bit_cast<uint64_t>(value);
  } else if (type == ElementType::kF32) {
    bits = std::bit_cast<uint32_t>(static_cast<float>(value));
  } else if (const FloatFormat* format = SmallFloatFormat(type)) {
    bits = EncodeFloat(value, *format);
  } else if (type == ElementType::kI1) {
    bits = !std::isnan(value) && value != 0 ? 1 : 0;
  } else {
    bits = IntegerBits(value, static_cast<int>(size * 8), SignednessOf(type));
  }
  std::vector<uint8_t> pattern(size);
  std::memcpy(pattern.data(), &bits, size);
  return pattern;
}

}  // namespace iree_suite
