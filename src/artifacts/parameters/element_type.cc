#include "artifacts/parameters/element_type.h"

#include <array>

namespace iree_suite {
namespace {

struct TypeInfo {
  ElementType type;
  std::string_view name;
  size_t bytes;
  bool is_float;
  IntegerSignedness signedness;
};

constexpr IntegerSignedness kSignless = IntegerSignedness::kSignless;
constexpr IntegerSignedness kSigned = IntegerSignedness::kSigned;
constexpr IntegerSignedness kUnsigned = IntegerSignedness::kUnsigned;

// In enum order, so that kTypes[static_cast<size_t>(type)] describes `type`.
constexpr std::array<TypeInfo, 21> kTypes = {{
    {ElementType::kI1, "i1", 1, false, kSignless},
    {ElementType::kI8, "i8", 1, false, kSignless},
    {ElementType::kSI8, "si8", 1, false, kSigned},
    {ElementType::kUI8, "ui8", 1, false, kUnsigned},
    {ElementType::kI16, "i16", 2, false, kSignless},
    {ElementType::kSI16, "si16", 2, false, kSigned},
    {ElementType::kUI16, "ui16", 2, false, kUnsigned},
    {ElementType::kI32, "i32", 4, false, kSignless},
    {ElementType::kSI32, "si32", 4, false, kSigned},
    {ElementType::kUI32, "ui32", 4, false, kUnsigned},
    {ElementType::kI64, "i64", 8, false, kSignless},
    {ElementType::kSI64, "si64", 8, false, kSigned},
    {ElementType::kUI64, "ui64", 8, false, kUnsigned},
    {ElementType::kF16, "f16", 2, true, kSignless},
    {ElementType::kBF16, "bf16", 2, true, kSignless},
    {ElementType::kF32, "f32", 4, true, kSignless},
    {ElementType::kF64, "f64", 8, true, kSignless},
    {ElementType::kF8E4M3FN, "f8E4M3FN", 1, true, kSignless},
    {ElementType::kF8E4M3FNUZ, "f8E4M3FNUZ", 1, true, kSignless},
    {ElementType::kF8E5M2, "f8E5M2", 1, true, kSignless},
    {ElementType::kF8E5M2FNUZ, "f8E5M2FNUZ", 1, true, kSignless},
}};

const TypeInfo& Info(ElementType type) { return kTypes[static_cast<size_t>(type)]; }

}  // namespace

std::optional<ElementType> ParseElementType(std::string_view mlir_name) {
  for (const TypeInfo& info : kTypes) {
    if (info.name == mlir_name) return info.type;
  }
  return std::nullopt;
}

std::string_view ElementTypeName(ElementType type) { return Info(type).name; }

size_t ElementByteSize(ElementType type) { return Info(type).bytes; }

bool IsFloatType(ElementType type) { return Info(type).is_float; }

IntegerSignedness SignednessOf(ElementType type) { return Info(type).signedness; }

}  // namespace iree_suite
