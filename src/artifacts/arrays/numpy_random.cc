#include "artifacts/arrays/numpy_random.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "artifacts/parameters/float_convert.h"

namespace iree_suite {
namespace {

constexpr size_t kStateSize = 624;
constexpr size_t kShift = 397;

template <typename T>
void Store(std::string* data, size_t index, T value) {
  std::memcpy(data->data() + index * sizeof(T), &value, sizeof(T));
}

// numpy's C cast of a double to an integer type: defined when the value
// truncated toward zero fits the type.
template <typename T>
bool StoreInteger(double value, std::string* data, size_t index) {
  const double truncated = std::trunc(value);
  // Both bounds are powers of two (or zero), exact as doubles.
  const double low = static_cast<double>(std::numeric_limits<T>::min());
  const double high_exclusive = std::ldexp(1.0, std::numeric_limits<T>::digits);
  if (!(truncated >= low && truncated < high_exclusive)) return false;
  Store<T>(data, index, static_cast<T>(truncated));
  return true;
}

bool StoreElement(DType dtype, double value, std::string* data, size_t index) {
  switch (dtype) {
    case DType::kBool:
      Store<uint8_t>(data, index, value != 0 ? 1 : 0);
      return true;
    case DType::kInt8:
      return StoreInteger<int8_t>(value, data, index);
    case DType::kInt16:
      return StoreInteger<int16_t>(value, data, index);
    case DType::kInt32:
      return StoreInteger<int32_t>(value, data, index);
    case DType::kInt64:
      return StoreInteger<int64_t>(value, data, index);
    case DType::kUInt8:
      return StoreInteger<uint8_t>(value, data, index);
    case DType::kUInt16:
      return StoreInteger<uint16_t>(value, data, index);
    case DType::kUInt32:
      return StoreInteger<uint32_t>(value, data, index);
    case DType::kUInt64:
      return StoreInteger<uint64_t>(value, data, index);
    case DType::kFloat16:
      Store<uint16_t>(data, index, DoubleToF16(value));
      return true;
    case DType::kBFloat16:
      // ml_dtypes rounds a double to float32 first, then to bfloat16.
      Store<uint16_t>(data, index, DoubleToBF16(static_cast<float>(value)));
      return true;
    case DType::kFloat32:
      Store<float>(data, index, static_cast<float>(value));
      return true;
    case DType::kFloat64:
      Store<double>(data, index, value);
      return true;
  }
  return false;
}

}  // namespace

LegacyRandom::LegacyRandom(uint32_t seed) : position_(kStateSize) {
  state_[0] = seed;
  for (uint32_t i = 1; i < kStateSize; ++i) {
    state_[i] = 1812433253u * (state_[i - 1] ^ (state_[i - 1] >> 30)) + i;
  }
}

void LegacyRandom::Twist() {
  for (size_t i = 0; i < kStateSize; ++i) {
    const uint32_t y = (state_[i] & 0x80000000u) | (state_[(i + 1) % kStateSize] & 0x7fffffffu);
    state_[i] = state_[(i + kShift) % kStateSize] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
  }
  position_ = 0;
}

uint32_t LegacyRandom::Next32() {
  if (position_ >= kStateSize) Twist();
  uint32_t y = state_[position_++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

double LegacyRandom::NextDouble() {
  const uint32_t a = Next32() >> 5;
  const uint32_t b = Next32() >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

Result<NdArray> GenerateFormula(const Formula& formula, LegacyRandom* random) {
  NdArray array;
  array.dtype = formula.dtype;
  array.shape = formula.shape;
  const int64_t count = array.ElementCount();
  array.data.resize(static_cast<size_t>(count) * DTypeSize(array.dtype));
  for (int64_t i = 0; i < count; ++i) {
    // Two roundings, as numpy computes coeff * r, then + offset (this file
    // is compiled with -ffp-contract=off: no fused multiply-add).
    const double scaled = formula.coeff * random->NextDouble();
    const double value = scaled + formula.offset;
    if (!StoreElement(array.dtype, value, &array.data, static_cast<size_t>(i))) {
      return Error{
          fmt::format("element {} is {}, outside the range of {}: numpy's cast is undefined there",
                      i, value, DTypeName(array.dtype))};
    }
  }
  return array;
}

}  // namespace iree_suite
