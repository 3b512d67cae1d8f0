// Looks after an artifact directory as a whole: what it holds, whether its
// entries are intact, and trimming it to a size. The layout is CacheLayout's
// (cache_layout.h); names it does not make are left alone, and symbolic links
// are neither followed nor deleted (each is reported as an error).
// Names containing ".tmp." or ".partial." are leftovers of interrupted writes
// and never part of an entry. Lock files are never deleted: removing one while
// another process waits on it would let a third process lock a fresh file
// beside it, and both would write the same entry.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "artifacts/cache_layout.h"

namespace iree_suite {

// One unit the cache creates and deletes as a whole.
struct CacheEntry {
  CacheKind kind = CacheKind::kDownloads;
  std::filesystem::path path;       // the entry's directory, or its file (parameters)
  std::filesystem::path lock_path;  // empty for kinds without a lock (logs)
  uint64_t bytes = 0;               // leftovers inside it not counted
  // Last use = the newest mtime among the entry's files (lock files and
  // leftovers excluded). Runs do not touch entries on a cache hit, so this is
  // when the entry was last written; epoch when it has no files.
  std::filesystem::file_time_type last_use{};
  bool failed_compile = false;  // modules/<module>/<key16>.failed
};

struct CacheLeftover {
  std::filesystem::path path;
  uint64_t bytes = 0;
  // The lock of the entry it was being written for; empty when it has none
  // (then it is in use while the process named in it, ".tmp.<pid>.", lives).
  std::filesystem::path lock_path;
};

struct CacheScan {
  std::vector<CacheEntry> entries;  // sorted by path
  std::vector<CacheLeftover> leftovers;
  std::vector<std::string> errors;  // what could not be read
};

// Walks the artifact directory; a missing directory is an empty cache.
CacheScan ScanCache(const std::filesystem::path& artifact_directory);

struct CacheKindTotals {
  uint64_t entries = 0;
  uint64_t bytes = 0;
};

struct CacheInfo {
  std::array<CacheKindTotals, kCacheKindCount> kinds{};
  uint64_t total_entries = 0;
  uint64_t total_bytes = 0;  // entries and leftovers: what the cache occupies
  std::vector<CacheLeftover> leftovers;
  uint64_t leftover_bytes = 0;
  std::vector<std::string> errors;
};

CacheInfo GetCacheInfo(const std::filesystem::path& artifact_directory);

struct CacheProblem {
  CacheKind kind = CacheKind::kDownloads;
  std::filesystem::path entry;  // what --fix removes
  std::filesystem::path path;   // the file at fault
  std::string what;
  bool removed = false;  // --fix removed the entry
  std::string fix_error;
};

struct CacheVerifyReport {
  uint64_t checked = 0;  // entries verified (logs and failed compiles are not checked)
  std::vector<std::filesystem::path> skipped_in_use;  // their lock was held
  std::vector<CacheProblem> problems;
  std::vector<CacheLeftover> removed_leftovers;  // --fix: those no process was writing
  std::vector<std::string> errors;
};

// Downloads: the data file named by meta.json exists, has its size and MD5
// (streamed); a data file without a valid meta.json is a problem. Modules:
// module.vmfb and a parsable compile_stats.json. Parameters: an "IRPA" magic
// and a size that is a multiple of 4096. With `fix`, bad entries are deleted
// (under their lock) so the next run fetches or compiles them anew, and so
// are leftovers that no process is writing (see CacheLeftover::lock_path).
CacheVerifyReport VerifyCache(const std::filesystem::path& artifact_directory, bool fix);

struct PruneOptions {
  uint64_t max_bytes = 0;
  bool dry_run = false;  // only list what would be deleted
};

struct PruneReport {
  uint64_t bytes_before = 0;               // as CacheInfo::total_bytes
  uint64_t bytes_after = 0;                // expected after the deletions under dry_run
  std::vector<CacheEntry> deleted;         // oldest use first
  std::vector<CacheEntry> skipped_locked;  // in use by another process
  std::vector<CacheLeftover> deleted_leftovers;
  std::vector<std::string> errors;
};

// Deletes the leftovers no process is writing, then whole entries, oldest
// last use first, until the cache is at most max_bytes. An entry whose lock
// another process holds is skipped.
PruneReport PruneCache(const std::filesystem::path& artifact_directory,
                       const PruneOptions& options);

// "1024", "500M", "20G", "1.5T" (binary units, K/M/G/T, optional "B"/"iB",
// case-insensitive); nullopt when malformed or out of range.
std::optional<uint64_t> ParseByteSize(std::string_view text);

}  // namespace iree_suite
