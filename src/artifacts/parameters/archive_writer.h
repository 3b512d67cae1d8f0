// Writes a parameter archive of random or splat parameters. Random data is
// generated in fixed-size blocks by a pool of threads, each writing its block
// straight to its place in the file, so memory stays at one block per thread
// whatever the archive's size; the file appears under its final name only
// when complete.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "artifacts/parameters/element_type.h"
#include "base/result.h"

namespace iree_suite {

struct ArchiveParameter {
  std::string name;  // the archive key
  ElementType type = ElementType::kF32;
  uint64_t byte_length = 0;  // a multiple of the element size
};

struct ArchiveContents {
  enum class Kind { kRandom, kSplat };
  Kind kind = Kind::kRandom;
  uint64_t seed = 0;                         // kRandom
  double splat_value = 0;                    // kSplat
  std::vector<ArchiveParameter> parameters;  // archive order; names unique
};

struct ArchiveWriteOptions {
  unsigned threads = 0;          // 0: one per hardware thread
  size_t block_bytes = 4 << 20;  // per thread; rounded down to whole elements
  bool replace_existing = true;  // false: a file that appeared meanwhile is kept
  // Called on the calling thread when data generation starts, then every
  // `progress_interval_s` until it ends: (bytes written, bytes in total).
  std::function<void(uint64_t, uint64_t)> progress;
  double progress_interval_s = 3;
  std::function<bool()> cancelled;  // polled between blocks
};

// Total bytes of data entries the archive will hold (0 for splats).
uint64_t ArchiveDataBytes(const ArchiveContents& contents);

// Writes the archive to `path` through a temp sibling.
[[nodiscard]] Status WriteParameterArchive(const ArchiveContents& contents,
                                           const std::filesystem::path& path,
                                           const ArchiveWriteOptions& options);

}  // namespace iree_suite
