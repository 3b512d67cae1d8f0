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

}  // namespace

bool LayoutIrpa(const std::vector<IrpaEntry>& entries, IrpaLayout* layout, std::string* error) {
  // Sizes first: every offset in the header is known before a byte is written.
  uint64_t table_size = 0;
  uint64_t names_size = 0;
  uint64_t storage_size = 0;
  layout->data_offsets.assign(entries.size(), 0);
  std::vector<uint64_t> storage_offsets(entries.size(), 0);
  for (size_t i = 0; i < entries.size(); ++i) {
    const IrpaEntry& entry = entries[i];
    table_size = AlignUp(table_size, kIrpaEntryAlignment);
    if (entry.splat_pattern.empty()) {
      table_size += kDataEntrySize;
      storage_offsets[i] = AlignUp(storage_size, kIrpaDataAlignment);
      // Both terms stay under 2^62, so neither the sum nor the next AlignUp wraps.
      if (entry.length > kIrpaMaxFileSize || storage_offsets[i] + entry.length > kIrpaMaxFileSize) {
        *error =
            fmt::format("parameter \"{}\": {} bytes would make the archive larger than {} bytes",
                        entry.name, entry.length, kIrpaMaxFileSize);
        return false;
      }
      storage_size = storage_offsets[i] + entry.length;
    } else {
      const size_t pattern = entry.splat_pattern.size();
      if (!ValidPatternSize(pattern) || entry.length % pattern != 0) {
        *error = fmt::format("parameter \"{}\": a splat pattern of {} bytes cannot fill {} bytes",
                             entry.name, pattern, entry.length);
        return false;
      }
      table_size += kSplatEntrySize;
    }
    names_size += entry.name.size();
  }
  const uint64_t table_offset = AlignUp(kIrpaHeaderSize, kIrpaEntryAlignment);
  const uint64_t names_offset = table_offset + table_size;
  const uint64_t storage_offset = AlignUp(names_offset + names_size, kIrpaDataAlignment);
  layout->file_size = AlignUp(storage_offset + storage_size, kIrpaFileAlignment);
  if (layout->file_size > kIrpaMaxFileSize) {
    *error = fmt::format("the archive would be larger than {} bytes", kIrpaMaxFileSize);
    return false;
  }

  std::string& out = layout->head;
  out.clear();
  Put(&out, kIrpaMagic, 4);
  Put(&out, 0, 2);  // version_major
  Put(&out, 0, 2);  // version_minor
  Put64(&out, kIrpaHeaderSize);
  Put64(&out, 0);  // next_header_offset: a single archive
  Put64(&out, 0);  // flags
  Put64(&out, entries.size());
  for (uint64_t value :
       {table_offset, table_size, names_offset, names_size, storage_offset, storage_size}) {
    Put64(&out, value);
  }
  PadTo(&out, kIrpaEntryAlignment);

  uint64_t name_offset = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const IrpaEntry& entry = entries[i];
    PadTo(&out, kIrpaEntryAlignment);
    const bool splat = !entry.splat_pattern.empty();
    Put64(&out, splat ? kSplatEntrySize : kDataEntrySize);
    Put(&out, splat ? kEntrySplat : kEntryData, 4);
    Put64(&out, 0);  // flags
    Put64(&out, name_offset);
    Put64(&out, entry.name.size());
    Put64(&out, 0);  // metadata: none
    Put64(&out, 0);
    Put64(&out, splat ? 0 : kIrpaDataAlignment);  // minimum_alignment, as IREE writes it
    if (splat) {
      Put64(&out, entry.length);
      std::string pattern(kIrpaMaxSplatPattern, '\0');
      std::copy(entry.splat_pattern.begin(), entry.splat_pattern.end(), pattern.begin());
      out += pattern;
      Put(&out, entry.splat_pattern.size(), 1);
    } else {
      Put64(&out, storage_offsets[i]);
      Put64(&out, entry.length);
      layout->data_offsets[i] = storage_offset + storage_offsets[i];
    }
    name_offset += entry.name.size();
  }
  for (const IrpaEntry& entry : entries) out += entry.name;
  return true;
}

}  // namespace iree_suite
