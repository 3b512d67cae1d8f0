// What a cache entry held when it was published: the size and SHA-256 of each
// of its files, in <entry>/manifest.json (CacheLayout::EntryManifest). It is
// written into the staging directory before the entry is renamed into place,
// so a published entry and its manifest appear together. A run checks the
// cheap part (every file present with its recorded size, a module's header)
// before it uses an entry; `cache verify` checks the hashes too.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"

namespace iree_suite {

// Records `names` (files directly in `directory`).
[[nodiscard]] Status WriteEntryManifest(const std::filesystem::path& directory,
                                        const std::vector<std::string>& names);

enum class ManifestCheck { kSizes, kHashes };

// Compares the files of `directory` with its manifest; returns what differs
// ("module.vmfb: 100 bytes, 14368 when published (truncated)"), empty when
// all match. A missing or unreadable manifest is a difference too.
std::string CheckEntryManifest(const std::filesystem::path& directory, ManifestCheck check);

}  // namespace iree_suite
