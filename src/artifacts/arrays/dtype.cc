#include "artifacts/arrays/dtype.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <bit>
#include <cstring>
#include <numeric>

#include "artifacts/parameters/float_convert.h"

namespace iree_suite {
namespace {

struct DTypeInfo {
  DType dtype;
  const char* name;
  const char* descr;
  size_t size;
};

constexpr DTypeInfo kDTypes[] = {
    {DType::kBool, "bool", "|b1", 1},         {DType::kInt8, "int8", "|i1", 1},
    {DType::kInt16, "int16", "<i2", 2},       {DType::kInt32, "int32", "<i4", 4},
    {DType::kInt64, "int64", "<i8", 8},       {DType::kUInt8, "uint8", "|u1", 1},
    {DType::kUInt16, "uint16", "<u2", 2},     {DType::kUInt32, "uint32", "<u4", 4},
    {DType::kUInt64, "uint64", "<u8", 8},     {DType::kFloat16, "float16", "<f2", 2},
    {DType::kBFloat16, "bfloat16", "<V2", 2}, {DType::kFloat32, "float32", "<f4", 4},
    {DType::kFloat64, "float64", "<f8", 8},
};

const DTypeInfo& Info(DType dtype) { return kDTypes[static_cast<size_t>(dtype)]; }

template <typename T>
T Load(const std::string& data, size_t index) {
  T value;
  std::memcpy(&value, data.data() + index * sizeof(T), sizeof(T));
  return value;
}

}  // namespace

const char* DTypeName(DType dtype) { return Info(dtype).name; }
const char* DTypeDescr(DType dtype) { return Info(dtype).descr; }
size_t DTypeSize(DType dtype) { return Info(dtype).size; }

bool IsFloat(DType dtype) {
  return dtype == DType::kFloat16 || dtype == DType::kBFloat16 || dtype == DType::kFloat32 ||
         dtype == DType::kFloat64;
}

std::optional<DType> DTypeFromName(std::string_view name) {
  for (const DTypeInfo& info : kDTypes) {
    if (name == info.name) return info.dtype;
  }
  return std::nullopt;
}

std::optional<DType> DTypeFromDescr(std::string_view descr) {
  // '=' (native) and '|' (not applicable) mean little-endian on every host we run on.
  if (descr.size() >= 2 && (descr[0] == '=' || descr[0] == '|' || descr[0] == '<')) {
    for (const DTypeInfo& info : kDTypes) {
      if (descr.substr(1) == std::string_view(info.descr).substr(1)) return info.dtype;
    }
  }
  return std::nullopt;
}

int64_t NdArray::ElementCount() const {
  return std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<int64_t>());
}

double ElementAsDouble(const NdArray& array, size_t index) {
  switch (array.dtype) {
    case DType::kBool:
      return Load<uint8_t>(array.data, index) != 0 ? 1.0 : 0.0;
    case DType::kInt8:
      return Load<int8_t>(array.data, index);
    case DType::kInt16:
      return Load<int16_t>(array.data, index);
    case DType::kInt32:
      return Load<int32_t>(array.data, index);
    case DType::kInt64:
      return static_cast<double>(Load<int64_t>(array.data, index));
    case DType::kUInt8:
      return Load<uint8_t>(array.data, index);
    case DType::kUInt16:
      return Load<uint16_t>(array.data, index);
    case DType::kUInt32:
      return Load<uint32_t>(array.data, index);
    case DType::kUInt64:
      return static_cast<double>(Load<uint64_t>(array.data, index));
    case DType::kFloat16:
      return DecodeFloat(Load<uint16_t>(array.data, index), kF16Format);
    case DType::kBFloat16:
      return DecodeFloat(Load<uint16_t>(array.data, index), kBF16Format);
    case DType::kFloat32:
      return Load<float>(array.data, index);
    case DType::kFloat64:
      return Load<double>(array.data, index);
  }
  return 0;
}

std::string ShapeRepr(const std::vector<int64_t>& shape) {
  if (shape.size() == 1) return fmt::format("({},)", shape[0]);
  return fmt::format("({})", fmt::join(shape, ", "));
}

}  // namespace iree_suite
