// IREE parameter archive (.irpa) layout, as IREE's runtime reads it
// (iree/schemas/parameter_archive.h, format version 0.0): one header, an entry
// table, a metadata segment with the entry names, then the storage segment.
//
//   offset 0     header (88 bytes)
//   offset 96    entry table: one entry per parameter, each 16-byte aligned
//   ...          metadata segment: the names, back to back
//   64-aligned   storage segment: each data entry 64-byte aligned
//   ...          zero padding up to a multiple of 4096 bytes
//
// All fields are little-endian. Splat entries carry their repeating pattern
// in the entry table and take no storage at all.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

namespace iree_suite {

inline constexpr uint32_t kIrpaMagic = 0x41505249;  // "IRPA"
inline constexpr uint64_t kIrpaHeaderSize = 88;
inline constexpr uint64_t kIrpaEntryAlignment = 16;
inline constexpr uint64_t kIrpaDataAlignment = 64;
inline constexpr uint64_t kIrpaFileAlignment = 4096;
inline constexpr uint64_t kIrpaMaxSplatPattern = 16;
// Largest archive laid out: file offsets are off_t, and keeping every size
// under 2^62 lets sums of two of them never wrap.
inline constexpr uint64_t kIrpaMaxFileSize = uint64_t{1} << 62;

struct IrpaEntry {
  std::string name;
  uint64_t length = 0;                 // bytes of the parameter
  std::vector<uint8_t> splat_pattern;  // 1, 2, 4, 8 or 16 bytes; empty: data entry
};

struct IrpaLayout {
  std::string head;                    // file bytes [0, head.size()): header, table, names
  std::vector<uint64_t> data_offsets;  // absolute file offset of each entry's data; 0 for splats
  uint64_t file_size = 0;              // the archive's total size, padding included
};

// Lays out an archive of `entries` in order. An error for an invalid splat
// pattern (wrong size, or not dividing the length) or an archive larger than
// kIrpaMaxFileSize.
Result<IrpaLayout> LayoutIrpa(const std::vector<IrpaEntry>& entries);

inline uint64_t AlignUp(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

}  // namespace iree_suite
