#include "artifacts/parameters/irpa_format.h"

#include <fmt/format.h>

namespace iree_suite {
namespace {

// Entry types of the v0 entry table.
constexpr uint32_t kEntrySplat = 1;
constexpr uint32_t kEntryData = 2;
// Common entry header: size, type, flags, name and metadata refs, alignment.
constexpr uint64_t kEntryHeaderSize = 8 + 4 + 8 + 16 + 16 + 8;
constexpr uint64_t kSplatEntrySize = kEntryHeaderSize + 8 + kIrpaMaxSplatPattern + 1;
constexpr uint64_t kDataEntrySize = kEntryHeaderSize + 16;

void Put(std::string* out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}
void Put64(std::string* out, uint64_t value) { Put(out, value, 8); }

void PadTo(std::string* out, uint64_t alignment) {
  out->resize(AlignUp(out->size(), alignment), '\0');
}

bool ValidPatternSize(size_t size) {
  return size == 1 || size == 2 || size == 4 || size == 8 || size == 16;
}

// The sizes of the three segments and where each data entry sits in storage.
struct Segments {
  uint64_t table_size = 0;
  uint64_t names_size = 0;
  uint64_t storage_size = 0;
  std::vector<uint64_t> storage_offsets;  // per entry; 0 for splats
};

// Sizes first: every offset in the header is known before a byte is written.
Result<Segments> MeasureSegments(const std::vector<IrpaEntry>& entries) {
  Segments segments;
  segments.storage_offsets.assign(entries.size(), 0);
  for (size_t i = 0; i < entries.size(); ++i) {
    const IrpaEntry& entry = entries[i];
    segments.table_size = AlignUp(segments.table_size, kIrpaEntryAlignment);
    if (entry.splat_pattern.empty()) {
      segments.table_size += kDataEntrySize;
      const uint64_t offset = AlignUp(segments.storage_size, kIrpaDataAlignment);
      // Both terms stay under 2^62, so neither the sum nor the next AlignUp wraps.
      if (entry.length > kIrpaMaxFileSize || offset + entry.length > kIrpaMaxFileSize) {
        return Error{
            fmt::format("parameter \"{}\": {} bytes would make the archive larger than {} bytes",
                        entry.name, entry.length, kIrpaMaxFileSize)};
      }
      segments.storage_offsets[i] = offset;
      segments.storage_size = offset + entry.length;
    } else {
      const size_t pattern = entry.splat_pattern.size();
      if (!ValidPatternSize(pattern) || entry.length % pattern != 0) {
        return Error{
            fmt::format("parameter \"{}\": a splat pattern of {} bytes cannot fill {} bytes",
                        entry.name, pattern, entry.length)};
      }
      segments.table_size += kSplatEntrySize;
    }
    segments.names_size += entry.name.size();
  }
  return segments;
}

void PutHeader(std::string* out, uint64_t entry_count, const Segments& segments,
               uint64_t table_offset, uint64_t names_offset, uint64_t storage_offset) {
  Put(out, kIrpaMagic, 4);
  Put(out, 0, 2);  // version_major
  Put(out, 0, 2);  // version_minor
  Put64(out, kIrpaHeaderSize);
  Put64(out, 0);  // next_header_offset: a single archive
  Put64(out, 0);  // flags
  Put64(out, entry_count);
  for (uint64_t value : {table_offset, segments.table_size, names_offset, segments.names_size,
                         storage_offset, segments.storage_size}) {
    Put64(out, value);
  }
  PadTo(out, kIrpaEntryAlignment);
}

// One entry of the table; `storage_offset` is relative to the storage segment.
void PutEntry(std::string* out, const IrpaEntry& entry, uint64_t name_offset,
              uint64_t storage_offset) {
  PadTo(out, kIrpaEntryAlignment);
  const bool splat = !entry.splat_pattern.empty();
  Put64(out, splat ? kSplatEntrySize : kDataEntrySize);
  Put(out, splat ? kEntrySplat : kEntryData, 4);
  Put64(out, 0);  // flags
  Put64(out, name_offset);
  Put64(out, entry.name.size());
  Put64(out, 0);  // metadata: none
  Put64(out, 0);
  Put64(out, splat ? 0 : kIrpaDataAlignment);  // minimum_alignment, as IREE writes it
  if (splat) {
    Put64(out, entry.length);
    std::string pattern(kIrpaMaxSplatPattern, '\0');
    std::copy(entry.splat_pattern.begin(), entry.splat_pattern.end(), pattern.begin());
    *out += pattern;
    Put(out, entry.splat_pattern.size(), 1);
  } else {
    Put64(out, storage_offset);
    Put64(out, entry.length);
  }
}

}  // namespace

Result<IrpaLayout> LayoutIrpa(const std::vector<IrpaEntry>& entries) {
  Result<Segments> measured = MeasureSegments(entries);
  if (!measured) return Error{measured.error()};
  const Segments& segments = *measured;
  IrpaLayout layout;
  const uint64_t table_offset = AlignUp(kIrpaHeaderSize, kIrpaEntryAlignment);
  const uint64_t names_offset = table_offset + segments.table_size;
  const uint64_t storage_offset = AlignUp(names_offset + segments.names_size, kIrpaDataAlignment);
  layout.file_size = AlignUp(storage_offset + segments.storage_size, kIrpaFileAlignment);
  if (layout.file_size > kIrpaMaxFileSize) {
    return Error{fmt::format("the archive would be larger than {} bytes", kIrpaMaxFileSize)};
  }
  layout.head.clear();
  PutHeader(&layout.head, entries.size(), segments, table_offset, names_offset, storage_offset);
  layout.data_offsets.assign(entries.size(), 0);
  uint64_t name_offset = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    PutEntry(&layout.head, entries[i], name_offset, segments.storage_offsets[i]);
    if (entries[i].splat_pattern.empty()) {
      layout.data_offsets[i] = storage_offset + segments.storage_offsets[i];
    }
    name_offset += entries[i].name.size();
  }
  for (const IrpaEntry& entry : entries) layout.head += entry.name;
  return layout;
}

}  // namespace iree_suite
