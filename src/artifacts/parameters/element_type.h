// Element types a parameter global may have, as MLIR spells them, and how
// their elements are stored in a parameter archive.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace iree_suite {

enum class ElementType {
  kI1,
  kI8,
  kSI8,
  kUI8,
  kI16,
  kSI16,
  kUI16,
  kI32,
  kSI32,
  kUI32,
  kI64,
  kSI64,
  kUI64,
  kF16,
  kBF16,
  kF32,
  kF64,
  kF8E4M3FN,
  kF8E4M3FNUZ,
  kF8E5M2,
  kF8E5M2FNUZ,
};

// "f16" -> kF16, "si8" -> kSI8, ...; nullopt for anything else (i4, complex, index ...).
std::optional<ElementType> ParseElementType(std::string_view mlir_name);
// The MLIR spelling: "f8E4M3FNUZ", "ui32", ...
std::string_view ElementTypeName(ElementType type);
// Bytes per element at rest. i1 takes a whole byte, as IREE stores it by default.
size_t ElementByteSize(ElementType type);
bool IsFloatType(ElementType type);

// How integer types interpret their bits; signless accepts both ranges.
enum class IntegerSignedness { kSignless, kSigned, kUnsigned };
IntegerSignedness SignednessOf(ElementType type);

}  // namespace iree_suite
