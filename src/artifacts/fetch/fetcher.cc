#include "artifacts/fetch/fetcher.h"

#include <fmt/format.h>
#include <unistd.h>

#include "artifacts/cache_layout.h"
#include "artifacts/fetch/download_cache.h"
#include "artifacts/fetch/resumable_download.h"
#include "artifacts/local_source.h"
#include "base/file_lock.h"

namespace iree_suite {
namespace fs = std::filesystem;

namespace {

// Leftover "<name>.partial.<pid>" files of earlier runs in an entry.
std::vector<fs::path> PartialFiles(const fs::path& entry, const std::string& name) {
  std::vector<fs::path> partials;
  std::error_code ec;
  for (const auto& item : fs::directory_iterator(entry, ec)) {
    const std::string file = item.path().filename().string();
    if (file.rfind(name + ".partial.", 0) == 0 && !file.ends_with(".validator")) {
      partials.push_back(item.path());
    }
  }
  return partials;
}

// Keeps the largest leftover as `ours` (the one most worth resuming) and
// removes the rest. Safe: the entry lock is held, so no one writes them.
void AdoptPartial(const fs::path& entry, const std::string& name, const fs::path& ours,
                  bool keep_any) {
  std::error_code ec;
  fs::path best;
  uintmax_t best_size = 0;
  for (const fs::path& partial : PartialFiles(entry, name)) {
    uintmax_t size = fs::file_size(partial, ec);
    if (!ec && keep_any && (best.empty() || size > best_size)) {
      if (!best.empty()) fs::remove(best, ec);
      best = partial;
      best_size = size;
    } else {
      fs::remove(partial, ec);
      fs::remove(PartialValidatorPath(partial), ec);
    }
  }
  if (!best.empty() && best != ours) {
    fs::rename(best, ours, ec);
    fs::rename(PartialValidatorPath(best), PartialValidatorPath(ours), ec);
  }
}

}  // namespace

Fetcher::Fetcher(fs::path artifact_directory, fs::path external_file_directory,
                 FetchOptions options, FetchProgress* progress)
    : artifact_directory_(std::move(artifact_directory)),
      external_file_directory_(std::move(external_file_directory)),
      options_(std::move(options)),
      progress_(options_.quiet ? nullptr : progress) {}

Fetcher::Stats Fetcher::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

Result<fs::path> Fetcher::Fetch(const std::string& url) {
  if (!IsRemoteUrl(url)) return ResolveLocalSource(url, external_file_directory_);
  std::shared_ptr<Memo> memo;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::shared_ptr<Memo>& slot = memo_[url];
    if (!slot) slot = std::make_shared<Memo>();
    memo = slot;
  }
  // Other threads asking for the same URL wait here for the first one.
  std::lock_guard<std::mutex> lock(memo->mutex);
  if (!memo->result) memo->result = FetchRemote(url);
  return *memo->result;
}

Result<fs::path> Fetcher::Locate(const std::string& url) const {
  const std::string source = IsRemoteUrl(url) ? ApplyUrlMirrors(url, options_.url_mirrors) : url;
  if (IsRemoteUrl(source)) {
    return CacheLayout(artifact_directory_).DownloadEntry(url) / DownloadFileName(url);
  }
  Result<fs::path> path = ResolveLocalSource(source, external_file_directory_);
  if (!path && source != url) return Error{fmt::format("{} (mirror of {})", path.error(), url)};
  return path;
}

Result<fs::path> Fetcher::FetchRemote(const std::string& url) {
  const std::string source = ApplyUrlMirrors(url, options_.url_mirrors);
  if (!IsRemoteUrl(source)) {
    // A local mirror is used in place: copying multi-GB files gains nothing.
    Result<fs::path> path = ResolveLocalSource(source, external_file_directory_);
    if (!path) return Error{fmt::format("{} (mirror of {})", path.error(), url)};
    return path;
  }
  const CacheLayout layout(artifact_directory_);
  const fs::path entry = layout.DownloadEntry(url);
  const std::string name = DownloadFileName(url);
  const fs::path data = entry / name;
  std::error_code ec;
  if (Status prepared = layout.PrepareDirectory(entry); !prepared) {
    return Error{fmt::format("cannot fetch {}: {}", url, prepared.error())};
  }
  FileLock entry_lock;
  Result<bool> waited = entry_lock.Acquire(CacheLayout::DownloadLock(entry));
  if (!waited) return Error{fmt::format("cannot fetch {}: {}", url, waited.error())};
  std::optional<DownloadMeta> cached = ReadTrustedMeta(entry, name, url);
  // Offline, or another process fetched it while we waited for the lock.
  if (cached && (options_.offline || *waited)) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++stats_.cache_hits;
    return data;
  }
  if (options_.offline) {
    return Error{fmt::format("{}: not in the cache and --offline was given (looked in {})", url,
                             entry.string())};
  }

  // Resume a previous run's partial only for a first download: beside a
  // cached copy, a partial belongs to some other version of the file.
  const fs::path partial = entry / fmt::format("{}.partial.{}", name, ::getpid());
  AdoptPartial(entry, name, partial, /*keep_any=*/!cached);
  DownloadRequest request;
  request.url = source;
  request.partial = partial;
  if (cached) {
    request.if_none_match = cached->etag;
    request.if_modified_since = cached->last_modified;
  }
  DownloadOutcome outcome = DownloadWithRetries(request, options_, progress_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_.bytes_transferred += outcome.bytes_transferred;
    if (outcome.kind == DownloadOutcome::Kind::kNotModified) ++stats_.revalidated_not_modified;
  }
  switch (outcome.kind) {
    case DownloadOutcome::Kind::kNotModified:
      fs::remove(partial, ec);
      fs::remove(PartialValidatorPath(partial), ec);
      return data;
    case DownloadOutcome::Kind::kFailed:
      return Error{source == url ? outcome.error
                                 : fmt::format("{} (mirror of {})", outcome.error, url)};
    case DownloadOutcome::Kind::kDownloaded:
      break;
  }
  return Publish(url, source, partial, data, outcome);
}

Result<fs::path> Fetcher::Publish(const std::string& url, const std::string& source,
                                  const fs::path& partial, const fs::path& data,
                                  const DownloadOutcome& outcome) {
  const fs::path entry = data.parent_path();
  // Untrust the old entry first, so a crash between the two renames leaves a
  // data file without meta (refetched), never new data under old meta.
  std::error_code ec;
  fs::remove(entry / kDownloadMetaName, ec);
  fs::rename(partial, data, ec);
  std::error_code ignored;
  fs::remove(PartialValidatorPath(partial), ignored);
  if (ec) {
    return Error{
        fmt::format("cannot fetch {}: cannot publish {}: {}", url, data.string(), ec.message())};
  }
  DownloadMeta meta{url,
                    source,
                    outcome.size,
                    outcome.etag,
                    outcome.last_modified,
                    outcome.content_md5,
                    outcome.md5_hex,
                    UtcTimestamp(),
                    DataMtimeNs(data)};
  if (Status written = WriteDownloadMeta(entry / kDownloadMetaName, meta); !written) {
    return Error{fmt::format("cannot fetch {}: {}", url, written.error())};
  }
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.downloads;
  return data;
}

}  // namespace iree_suite
