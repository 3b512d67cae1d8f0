// Downloads one URL into a partial file with retries, backoff and Range
// resumption, hashing while streaming, and verifies the result against
// Content-Length and the server's MD5. Publishing is the caller's business.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "artifacts/fetch/fetch_options.h"
#include "artifacts/fetch/fetch_progress.h"

namespace iree_suite {

// Beside a partial download: the ETag and Last-Modified of the response its
// bytes came from, so a later run resumes it only with If-Range (a partial
// without one starts again: its start may belong to another version).
std::filesystem::path PartialValidatorPath(const std::filesystem::path& partial);

struct DownloadRequest {
  std::string url;                // the URL contacted (mirror applied)
  std::filesystem::path partial;  // resumed from when it already has bytes
  std::string if_none_match;      // revalidate a cached copy by ETag...
  std::string if_modified_since;  // ...or by date
};

struct DownloadOutcome {
  enum class Kind { kDownloaded, kNotModified, kFailed };
  Kind kind = Kind::kFailed;
  std::string error;  // kFailed: names the URL, the attempts and the last cause
  uint64_t size = 0;
  std::string etag;
  std::string last_modified;
  std::string content_md5;         // the server's, base64
  std::string md5_hex;             // computed
  uint64_t bytes_transferred = 0;  // body bytes received over all attempts
  int attempts = 0;
};

// A verified file is left at request.partial on kDownloaded. A partial file
// of an interrupted transfer is kept for the next run to resume; bytes that
// failed verification are deleted.
DownloadOutcome DownloadWithRetries(const DownloadRequest& request, const FetchOptions& options,
                                    FetchProgress* progress);

}  // namespace iree_suite
