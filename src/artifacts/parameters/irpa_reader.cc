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

// The header's segment table.
struct IrpaHeader {
  uint64_t count = 0;
  uint64_t table_offset = 0, table_size = 0;
  uint64_t names_offset = 0, names_size = 0;
  uint64_t storage_offset = 0, storage_size = 0;
};

// Decodes and checks the 88-byte header. Returns why it is invalid, "" when valid.
std::string ReadHeader(const std::string& head, uint64_t file_size, IrpaHeader* header) {
  if (Get(head, 0, 4) != kIrpaMagic) return "bad magic";
  if (Get(head, 4, 2) != 0 || Get(head, 6, 2) != 0) return "unsupported version";
  if (Get(head, 8, 8) != kIrpaHeaderSize || Get(head, 16, 8) != 0) {
    return "unexpected header size or linked archives";
  }
  *header = {Get(head, 32, 8), Get(head, 40, 8), Get(head, 48, 8), Get(head, 56, 8),
             Get(head, 64, 8), Get(head, 72, 8), Get(head, 80, 8)};
  for (auto [offset, size] : {std::pair{header->table_offset, header->table_size},
                              {header->names_offset, header->names_size},
                              {header->storage_offset, header->storage_size}}) {
    if (offset > file_size || size > file_size - offset) return "segment past the end";
  }
  return "";
}

// Decodes entry `index` at `offset` of the table (in `head`, which holds the
// table and the names). Sets *size and *type. Returns why it is invalid, ""
// when valid.
std::string ReadEntry(const std::string& head, const IrpaHeader& header, uint64_t offset,
                      uint64_t index, IrpaIndexEntry* entry, uint64_t* size, uint32_t* type) {
  const uint64_t table_end = header.table_offset + header.table_size;
  if (offset + kEntryHeaderSize > table_end) return "entry table overrun";
  *size = Get(head, offset, 8);
  *type = static_cast<uint32_t>(Get(head, offset + 8, 4));
  const uint64_t name_offset = Get(head, offset + 20, 8);
  const uint64_t name_size = Get(head, offset + 28, 8);
  if (*size < kEntryHeaderSize || offset + *size > table_end || name_offset > header.names_size ||
      name_size > header.names_size - name_offset) {
    return fmt::format("entry {} is out of range", index);
  }
  entry->name = head.substr(header.names_offset + name_offset, name_size);
  entry->minimum_alignment = Get(head, offset + 52, 8);
  const uint64_t body = offset + kEntryHeaderSize;
  if (*type == kEntrySplat && *size >= kEntryHeaderSize + 25) {
    entry->length = Get(head, body, 8);
    const uint64_t pattern_size = Get(head, body + 24, 1);
    if (pattern_size == 0 || pattern_size > kIrpaMaxSplatPattern) return "bad splat";
    entry->splat_pattern.assign(
        head.begin() + static_cast<std::ptrdiff_t>(body + 8),
        head.begin() + static_cast<std::ptrdiff_t>(body + 8 + pattern_size));
  } else if (*type == kEntryData && *size >= kEntryHeaderSize + 16) {
    const uint64_t data = Get(head, body, 8);
    entry->length = Get(head, body + 8, 8);
    if (data > header.storage_size || entry->length > header.storage_size - data) {
      return fmt::format("data of \"{}\" past the storage segment", entry->name);
    }
    entry->data_offset = header.storage_offset + data;
  } else if (*type != kEntrySkip) {
    return fmt::format("entry {} has unknown type {}", index, *type);
  }
  return "";
}

}  // namespace

Result<std::vector<IrpaIndexEntry>> ReadIrpaIndex(const fs::path& path) {
  std::error_code ec;
  const uint64_t file_size = fs::file_size(path, ec);
  std::ifstream in(path, std::ios::binary);
  if (ec || !in) return Error{fmt::format("{}: cannot read", path.string())};
  auto fail = [&](const std::string& why) {
    return Error{fmt::format("{}: not a valid parameter archive: {}", path.string(), why)};
  };
  std::string head(kIrpaHeaderSize, '\0');
  if (file_size < kIrpaHeaderSize || !in.read(head.data(), kIrpaHeaderSize)) {
    return fail("too short");
  }
  IrpaHeader header;
  if (std::string why = ReadHeader(head, file_size, &header); !why.empty()) return fail(why);
  // The entry table and the names, read whole.
  const uint64_t head_end =
      std::max(header.table_offset + header.table_size, header.names_offset + header.names_size);
  if (head_end > kMaxHeadBytes) return fail("entry table too large");
  head.resize(head_end);
  in.seekg(static_cast<std::streamoff>(kIrpaHeaderSize));
  if (!in.read(head.data() + kIrpaHeaderSize,
               static_cast<std::streamsize>(head_end - kIrpaHeaderSize))) {
    return fail("truncated");
  }
  std::vector<IrpaIndexEntry> entries;
  uint64_t offset = header.table_offset;
  for (uint64_t i = 0; i < header.count; ++i) {
    offset = header.table_offset + AlignUp(offset - header.table_offset, kIrpaEntryAlignment);
    IrpaIndexEntry entry;
    uint64_t entry_size = 0;
    uint32_t type = kEntrySkip;
    std::string why = ReadEntry(head, header, offset, i, &entry, &entry_size, &type);
    if (!why.empty()) return fail(why);
    if (type != kEntrySkip) entries.push_back(std::move(entry));
    offset += entry_size;
  }
  return entries;
}

}  // namespace iree_suite
