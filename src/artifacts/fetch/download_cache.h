// Where downloads live: <artifacts>/downloads/<sha256(url)[:16]>/<file name>,
// the original file name kept so tools and humans recognise it, and beside it
// meta.json describing what was fetched. A data file without a valid
// meta.json of the same size is not trusted.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "artifacts/cache_layout.h"
#include "base/result.h"

namespace iree_suite {

struct DownloadMeta {
  std::string url;           // the original URL: the cache key
  std::string fetched_from;  // the URL actually contacted (differs with a mirror)
  uint64_t size = 0;
  std::string etag;
  std::string last_modified;
  std::string content_md5;  // as the server sent it (base64), may be empty
  std::string md5;          // computed while downloading (hex)
  std::string fetched_at;   // UTC, ISO 8601
  // The data file's modification time when published (ns since the file
  // clock's epoch); 0 in entries written before it was recorded.
  int64_t data_mtime_ns = 0;
};

inline constexpr const char* kDownloadMetaName = "meta.json";

// The last segment of the URL's path, made safe as a file name.
std::string DownloadFileName(const std::string& url);
// Rewrites the first matching prefix; `url` unchanged when none matches.
std::string ApplyUrlMirrors(const std::string& url,
                            const std::vector<std::pair<std::string, std::string>>& mirrors);

// The entry's meta when it describes `url` and the data file has its size
// and modification time; nullopt otherwise (missing, corrupt, a file from an
// interrupted publish, or one altered on disk). Only a file whose time
// changed is hashed again: if its MD5 still matches, the new time is recorded
// and it is trusted, so runs never rehash multi-GB files that nobody touched.
std::optional<DownloadMeta> ReadTrustedMeta(const std::filesystem::path& entry_directory,
                                            const std::string& file_name, const std::string& url);
// The modification time of `path` as DownloadMeta::data_mtime_ns; 0 when unreadable.
int64_t DataMtimeNs(const std::filesystem::path& path);
// Written atomically.
[[nodiscard]] Status WriteDownloadMeta(const std::filesystem::path& path, const DownloadMeta& meta);

// The current time as "2024-05-01T12:34:56Z".
std::string UtcTimestamp();

}  // namespace iree_suite
