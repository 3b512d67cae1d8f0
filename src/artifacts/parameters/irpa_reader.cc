#include "artifacts/parameters/irpa_reader.h"

#include <fmt/format.h>

#include <fstream>

#include "artifacts/parameters/irpa_format.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

constexpr uint32_t kEntrySkip = 0;
constexpr uint32_t kEntrySplat = 1;
constexpr uint32_t kEntryData = 2;
constexpr uint64_t kEntryHeaderSize = 60;
// The header, entry table and names are small; a bound keeps a corrupt size
// from allocating gigabytes.
constexpr uint64_t kMaxHeadBytes = uint64_t{1} << 30;

uint64_t Get(const std::string& bytes, uint64_t offset, int size) {
  uint64_t value = 0;
  for (int i = size - 1; i >= 0; --i)
    value = (value << 8) | static_cast<uint8_t>(bytes[offset + i]);
  return value;
}

}  // namespace

std::optional<std::vector<IrpaIndexEntry>> ReadIrpaIndex(const fs::path& path, std::string* error) {
  std::error_code ec;
  const uint64_t file_size = fs::file_size(path, ec);
  std::ifstream in(path, std::ios::binary);
  if (ec || !in) {
    *error = fmt::format("{}: cannot read", path.string());
    return std::nullopt;
  }
  auto fail = [&](const std::string& why) {
    *error = fmt::format("{}: not a valid parameter archive: {}", path.string(), why);
    return std::nullopt;
  };
  std::string head(kIrpaHeaderSize, '\0');
  if (file_size < kIrpaHeaderSize || !in.read(head.data(), kIrpaHeaderSize)) {
    return fail("too short");
  }
  if (Get(head, 0, 4) != kIrpaMagic) return fail("bad magic");
  if (Get(head, 4, 2) != 0 || Get(head, 6, 2) != 0) return fail("unsupported version");
  if (Get(head, 8, 8) != kIrpaHeaderSize || Get(head, 16, 8) != 0) {
    return fail("unexpected header size or linked archives");
  }
  const uint64_t count = Get(head, 32, 8);
  const uint64_t table_offset = Get(head, 40, 8);
  const uint64_t table_size = Get(head, 48, 8);
  const uint64_t names_offset = Get(head, 56, 8);
  const uint64_t names_size = Get(head, 64, 8);
  const uint64_t storage_offset = Get(head, 72, 8);
  const uint64_t storage_size = Get(head, 80, 8);
  for (auto [offset, size] : {std::pair{table_offset, table_size},
                              {names_offset, names_size},
                              {storage_offset, storage_size}}) {
    if (offset > file_size || size > file_size - offset) return fail("segment past the end");
  }
  const uint64_t head_end = std::max(table_offset + table_size, names_offset + names_size);
  if (head_end > kMaxHeadBytes) return fail("entry table too large");
  head.resize(head_end);
  in.seekg(static_cast<std::streamoff>(kIrpaHeaderSize));
  if (!in.read(head.data() + kIrpaHeaderSize,
               static_cast<std::streamsize>(head_end - kIrpaHeaderSize))) {
    return fail("truncated");
  }

  std::vector<IrpaIndexEntry> entries;
  uint64_t offset = table_offset;
  for (uint64_t i = 0; i < count; ++i) {
    offset = table_offset + AlignUp(offset - table_offset, kIrpaEntryAlignment);
    if (offset + kEntryHeaderSize > table_offset + table_size) return fail("entry table overrun");
    const uint64_t entry_size = Get(head, offset, 8);
    const uint32_t type = static_cast<uint32_t>(Get(head, offset + 8, 4));
    const uint64_t name_offset = Get(head, offset + 20, 8);
    const uint64_t name_size = Get(head, offset + 28, 8);
    if (entry_size < kEntryHeaderSize || offset + entry_size > table_offset + table_size ||
        name_offset > names_size || name_size > names_size - name_offset) {
      return fail(fmt::format("entry {} is out of range", i));
    }
    IrpaIndexEntry entry;
    entry.name = head.substr(names_offset + name_offset, name_size);
    entry.minimum_alignment = Get(head, offset + 52, 8);
    const uint64_t body = offset + kEntryHeaderSize;
    if (type == kEntrySplat && entry_size >= kEntryHeaderSize + 25) {
      entry.length = Get(head, body, 8);
      const uint64_t pattern_size = Get(head, body + 24, 1);
      if (pattern_size == 0 || pattern_size > kIrpaMaxSplatPattern) return fail("bad splat");
      entry.splat_pattern.assign(
          head.begin() + static_cast<std::ptrdiff_t>(body + 8),
          head.begin() + static_cast<std::ptrdiff_t>(body + 8 + pattern_size));
    } else if (type == kEntryData && entry_size >= kEntryHeaderSize + 16) {
      const uint64_t data = Get(head, body, 8);
      entry.length = Get(head, body + 8, 8);
      if (data > storage_size || entry.length > storage_size - data) {
        return fail(fmt::format("data of \"{}\" past the storage segment", entry.name));
      }
      entry.data_offset = storage_offset + data;
    } else if (type != kEntrySkip) {
      return fail(fmt::format("entry {} has unknown type {}", i, type));
    }
    if (type != kEntrySkip) entries.push_back(std::move(entry));
    offset += entry_size;
  }
  return entries;
}

}  // namespace iree_suite
