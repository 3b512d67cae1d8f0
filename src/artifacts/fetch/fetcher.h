// Turns the "url" of an MLIR file, weight or argspec into a local file:
// plain paths and file:// URLs are used where they are; http(s) URLs are
// downloaded once into <artifacts>/downloads (see download_cache.h) and
// revalidated with a conditional request on later runs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "artifacts/fetch/fetch_options.h"
#include "artifacts/fetch/fetch_progress.h"
#include "artifacts/fetch/resumable_download.h"
#include "base/result.h"

namespace iree_suite {

class Fetcher {
 public:
  // `progress` may be null (silent); options.quiet silences it too.
  Fetcher(std::filesystem::path artifact_directory, std::filesystem::path external_file_directory,
          FetchOptions options, FetchProgress* progress = nullptr);

  // The local file for `url`. Thread-safe; each URL is fetched at most once
  // per Fetcher, its result (or error) remembered.
  Result<std::filesystem::path> Fetch(const std::string& url);

  // Where Fetch finds or puts the file of `url`, without fetching it: a local
  // file (or local mirror) where it is, a download at its place in the
  // cache, whether it is there yet or not.
  Result<std::filesystem::path> Locate(const std::string& url) const;

  struct Stats {
    size_t downloads = 0;                 // bodies downloaded and published
    size_t revalidated_not_modified = 0;  // 304: cached copy confirmed
    size_t cache_hits = 0;                // used without contacting the server
    uint64_t bytes_transferred = 0;       // body bytes received
  };
  Stats stats() const;

 private:
  struct Memo {
    std::mutex mutex;                                     // held while the URL is being fetched
    std::optional<Result<std::filesystem::path>> result;  // once fetched
  };
  Result<std::filesystem::path> FetchRemote(const std::string& url);
  // Moves a finished download into place and records its meta.json.
  Result<std::filesystem::path> Publish(const std::string& url, const std::string& source,
                                        const std::filesystem::path& partial,
                                        const std::filesystem::path& data,
                                        const DownloadOutcome& outcome);

  std::filesystem::path artifact_directory_;
  std::filesystem::path external_file_directory_;
  FetchOptions options_;
  FetchProgress* progress_;
  mutable std::mutex mutex_;  // guards memo_ and stats_
  std::map<std::string, std::shared_ptr<Memo>> memo_;
  Stats stats_;
};

}  // namespace iree_suite
