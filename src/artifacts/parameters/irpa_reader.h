// Reads the entry table of a parameter archive (the layout of
// irpa_format.h), checking that every reference stays inside the file. Used
// to validate a cached archive before reusing it, and by tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace iree_suite {

struct IrpaIndexEntry {
  std::string name;
  uint64_t length = 0;
  std::vector<uint8_t> splat_pattern;  // empty: data entry
  uint64_t data_offset = 0;            // absolute file offset of a data entry
  uint64_t minimum_alignment = 0;
};

// The entries of the single version 0.0 archive in `path`; an error when it
// is not one or is truncated.
Result<std::vector<IrpaIndexEntry>> ReadIrpaIndex(const std::filesystem::path& path);

}  // namespace iree_suite
