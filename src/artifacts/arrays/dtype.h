// The element types of numpy arrays that operator suites read and write, with
// their numpy names ("float32") and .npy descriptors ("<f4").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iree_suite {

enum class DType {
  kBool,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kUInt8,
  kUInt16,
  kUInt32,
  kUInt64,
  kFloat16,
  kBFloat16,
  kFloat32,
  kFloat64,
};

// numpy's name: "bool", "int8", ..., "float16", "bfloat16" (ml_dtypes), "float32".
const char* DTypeName(DType dtype);
// numpy's name or the .npy descriptor back; nullopt for anything else.
std::optional<DType> DTypeFromName(std::string_view name);
// The descriptor np.save writes: "|b1", "|i1", "<i4", "<f2", "<V2" (bfloat16), ...
const char* DTypeDescr(DType dtype);
std::optional<DType> DTypeFromDescr(std::string_view descr);
size_t DTypeSize(DType dtype);
bool IsFloat(DType dtype);

// A dense array in C order, little-endian elements.
struct NdArray {
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;
  std::string data;
  int64_t ElementCount() const;
};

// Element `index` (C order) converted to double (exact for every type but
// 64-bit integers beyond 2^53, which round to nearest as numpy casts them).
double ElementAsDouble(const NdArray& array, size_t index);

// "(2, 3)" / "(3,)" / "()": a shape as Python prints the tuple.
std::string ShapeRepr(const std::vector<int64_t>& shape);

}  // namespace iree_suite
