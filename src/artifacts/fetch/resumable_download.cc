#include "artifacts/fetch/resumable_download.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

#include "artifacts/fetch/digest.h"
#include "artifacts/fetch/http_transfer.h"
#include "base/atomic_file.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::optional<uint64_t> ParseUint(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  try {
    return std::stoull(text);
  } catch (...) {
    return std::nullopt;
  }
}

// "bytes <first>-<last>/<total>" → first and total (total 0 when "*").
bool ParseContentRange(const std::string& value, uint64_t* first, uint64_t* total) {
  if (value.rfind("bytes ", 0) != 0) return false;
  size_t dash = value.find('-', 6);
  size_t slash = value.find('/', 6);
  if (dash == std::string::npos || slash == std::string::npos || dash > slash) return false;
  auto start = ParseUint(value.substr(6, dash - 6));
  std::string total_text = value.substr(slash + 1);
  auto size = total_text == "*" ? std::optional<uint64_t>(0) : ParseUint(total_text);
  if (!start || !size) return false;
  *first = *start;
  *total = *size;
  return true;
}

// The state of one file across attempts: the partial on disk and the MD5 of
// its bytes, so a resumed attempt never rereads what it already has.
class PartialFile : public HttpBodySink {
 public:
  PartialFile(const DownloadRequest& request, FetchProgress* progress)
      : request_(request), progress_(progress) {}
  ~PartialFile() override { Close(); }

  std::string Open() {
    fd_ = ::open(request_.partial.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return fmt::format("{}: cannot open: {}", request_.partial.string(), Errno());
    off_t end = ::lseek(fd_, 0, SEEK_END);
    have_ = end > 0 ? static_cast<uint64_t>(end) : 0;
    if (have_ > 0) {
      // Bytes left by an earlier run: usable only with the validator of the
      // response they came from; then hash them once and resume after them.
      // The whole file's Content-MD5 from that response, when it had one,
      // still checks the result (a 206 rarely repeats it).
      if (Result<std::string> validator = ReadSmallFile(PartialValidatorPath(request_.partial))) {
        const std::string& text = *validator;
        std::vector<std::string> lines;
        for (size_t begin = 0; begin <= text.size();) {
          size_t stop = std::min(text.find('\n', begin), text.size());
          lines.push_back(text.substr(begin, stop - begin));
          begin = stop + 1;
        }
        etag_ = lines[0];
        if (lines.size() > 1) last_modified_ = lines[1];
        if (lines.size() > 2) expected_md5_ = lines[2];
      }
      if (etag_.empty() && last_modified_.empty()) return Truncate();
      if (Status hashed = md5_.UpdateFromFile(request_.partial, have_); !hashed) {
        return hashed.error();
      }
    }
    return {};
  }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  std::string Truncate() {
    md5_.Reset();
    have_ = 0;
    if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0) {
      return fmt::format("{}: cannot truncate: {}", request_.partial.string(), Errno());
    }
    return {};
  }
  std::string Sync() {
    if (::fsync(fd_) != 0) return fmt::format("{}: fsync: {}", request_.partial.string(), Errno());
    return {};
  }

  // Called by the transfer before the body of a 2xx response.
  bool Begin(long status, const HttpHeaders& headers) override {
    auto header = [&](const char* name) {
      auto it = headers.find(name);
      return it == headers.end() ? std::string() : it->second;
    };
    attempt_start_ = Clock::now();
    attempt_bytes_ = 0;
    if (header("etag").size()) etag_ = header("etag");
    if (header("last-modified").size()) last_modified_ = header("last-modified");
    // Azure states the whole blob's MD5 on every response, ranges included.
    if (header("x-ms-blob-content-md5").size()) expected_md5_ = header("x-ms-blob-content-md5");
    if (status == 206) {
      uint64_t first = 0;
      if (!ParseContentRange(header("content-range"), &first, &total_) || first != have_) {
        abort_reason_ = fmt::format("the server resumed at an unexpected place (Content-Range: {})",
                                    header("content-range"));
        restart_ = true;
        return false;
      }
      return true;
    }
    // A 200 is the whole file, whatever we asked: start again from zero.
    if (have_ > 0) restarted_ = true;
    if (std::string error = Truncate(); !error.empty()) {
      abort_reason_ = error;
      return false;
    }
    total_ = ParseUint(header("content-length")).value_or(0);
    if (header("x-ms-blob-content-md5").empty()) expected_md5_ = header("content-md5");
    // Remember which version these bytes are, for a resume by a later run.
    // When that cannot be written, an older record must not vouch for them.
    if (!WriteFileAtomically(PartialValidatorPath(request_.partial),
                             etag_ + "\n" + last_modified_ + "\n" + expected_md5_)) {
      std::error_code ec;
      std::filesystem::remove(PartialValidatorPath(request_.partial), ec);
    }
    return true;
  }

  bool Write(const char* data, size_t size) override {
    size_t written = 0;
    while (written < size) {
      ssize_t n = ::write(fd_, data + written, size - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        abort_reason_ = fmt::format("{}: write failed: {}", request_.partial.string(), Errno());
        disk_error_ = true;
        return false;
      }
      written += static_cast<size_t>(n);
    }
    md5_.Update(data, size);
    have_ += size;
    attempt_bytes_ += size;
    transferred_ += size;
    if (progress_) {
      double seconds = std::chrono::duration<double>(Clock::now() - attempt_start_).count();
      progress_->OnProgress({&request_.url, have_, total_,
                             seconds > 0 ? static_cast<double>(attempt_bytes_) / seconds : 0});
    }
    return true;
  }

  static std::string Errno() { return std::strerror(errno); }

  const DownloadRequest& request_;
  FetchProgress* progress_;
  int fd_ = -1;
  BackgroundMd5 md5_;
  uint64_t have_ = 0;         // bytes in the partial file
  uint64_t total_ = 0;        // size of the whole file; 0 when unknown
  uint64_t transferred_ = 0;  // body bytes received, all attempts
  uint64_t attempt_bytes_ = 0;
  Clock::time_point attempt_start_ = Clock::now();
  std::string etag_, last_modified_, expected_md5_;
  std::string abort_reason_;
  bool disk_error_ = false;
  bool restart_ = false;    // the partial is useless: truncate before the next try
  bool restarted_ = false;  // a 200 replaced resumable bytes
};

bool IsRetryableStatus(long status) { return status >= 500 || status == 408 || status == 429; }

}  // namespace

std::filesystem::path PartialValidatorPath(const std::filesystem::path& partial) {
  return partial.string() + ".validator";
}

namespace {

// The request for the next attempt: a range after the bytes we have (if the
// file is still the one they came from), else a conditional request for a
// cached copy until a body came back.
HttpRequest NextRequest(const DownloadRequest& request, const FetchOptions& options,
                        const PartialFile& file, bool got_body_response) {
  HttpRequest http;
  http.url = request.url;
  http.low_speed_limit_bytes = options.low_speed_limit_bytes;
  http.low_speed_time_s = options.low_speed_time_s;
  http.connect_timeout_s = options.connect_timeout_s;
  http.cancelled = &options.cancelled;
  if (file.have_ > 0) {
    http.range_start = file.have_;
    // Resume only if the file is still the one whose start we have. A weak
    // ETag may not validate a range; then the date is the best we know.
    bool strong_etag = !file.etag_.empty() && file.etag_.rfind("W/", 0) != 0;
    http.if_range = strong_etag ? file.etag_ : file.last_modified_;
  } else if (!got_body_response) {
    http.if_none_match = request.if_none_match;
    http.if_modified_since = request.if_none_match.empty() ? request.if_modified_since : "";
  }
  return http;
}

// A complete body: synced and checked against the server's Content-MD5.
// Returns true with *outcome final, or false with *cause for a retry.
bool FinishBody(const DownloadRequest& request, PartialFile& file, FetchProgress* progress,
                DownloadOutcome* outcome, std::string* cause, bool* retry) {
  if (file.total_ > 0 && file.have_ != file.total_) {
    // libcurl catches most short bodies itself; this is the last line.
    *cause = fmt::format("Content-Length mismatch: expected {} bytes, received {}", file.total_,
                         file.have_);
    if (file.have_ > file.total_) file.Truncate();
    return false;
  }
  if (std::string sync_error = file.Sync(); !sync_error.empty()) {
    *cause = sync_error;
    *retry = false;
    return false;
  }
  const std::string digest = file.md5_.Digest();
  std::optional<std::string> expected;
  if (!file.expected_md5_.empty()) expected = Base64Decode(file.expected_md5_);
  if (!file.expected_md5_.empty() && (!expected || *expected != digest)) {
    // Wrong bytes are never used, nor resumed from.
    file.Close();
    std::error_code ec;
    fs::remove(request.partial, ec);
    fs::remove(PartialValidatorPath(request.partial), ec);
    outcome->error = fmt::format(
        "cannot fetch {}: Content-MD5 mismatch: the server sent {} (hex {}), the {} bytes "
        "received hash to {} (hex {})",
        request.url, file.expected_md5_, expected ? HexEncode(*expected) : "not base64", file.have_,
        Base64Encode(digest), HexEncode(digest));
    if (progress) progress->OnFinished(request.url, false, file.have_);
    return true;
  }
  outcome->kind = DownloadOutcome::Kind::kDownloaded;
  outcome->size = file.have_;
  outcome->etag = file.etag_;
  outcome->last_modified = file.last_modified_;
  outcome->content_md5 = file.expected_md5_;
  outcome->md5_hex = HexEncode(digest);
  if (progress) progress->OnFinished(request.url, true, file.have_);
  return true;
}

// Backs off in short slices, so that Ctrl-C is not kept waiting.
void BackOff(double seconds, const FetchOptions& options) {
  const auto wake = Clock::now() + std::chrono::duration<double>(seconds);
  while (Clock::now() < wake && !(options.cancelled && options.cancelled())) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string GiveUpMessage(const std::string& url, int attempts,
                          const std::vector<std::string>& causes) {
  std::string list;
  for (const std::string& cause : causes) list += "\n  " + cause;
  return fmt::format(
      "cannot fetch {}: gave up after {} attempt{}; last cause: {}{}", url, attempts,
      attempts == 1 ? "" : "s",
      causes.empty() ? "unknown" : causes.back().substr(causes.back().find(": ") + 2),
      causes.size() > 1 ? list : "");
}

}  // namespace

DownloadOutcome DownloadWithRetries(const DownloadRequest& request, const FetchOptions& options,
                                    FetchProgress* progress) {
  DownloadOutcome outcome;
  PartialFile file(request, progress);
  if (std::string error = file.Open(); !error.empty()) {
    outcome.error = fmt::format("cannot fetch {}: {}", request.url, error);
    return outcome;
  }
  std::vector<std::string> causes;
  bool got_body_response = false;  // after one, a conditional request is pointless
  double backoff = options.initial_backoff_s;
  const int max_attempts = std::max(1, options.max_attempts);
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    outcome.attempts = attempt;
    HttpRequest http = NextRequest(request, options, file, got_body_response);
    file.abort_reason_.clear();
    file.restart_ = false;
    HttpResult result = PerformHttpGet(http, &file);
    outcome.bytes_transferred = file.transferred_;
    bool retry = true;
    std::string cause;
    if (result.cancelled || (options.cancelled && options.cancelled())) {
      // The partial stays for a later run to resume.
      cause = "interrupted";
      retry = false;
    } else if (result.aborted_by_sink) {
      cause = file.abort_reason_;
      retry = !file.disk_error_;
      if (file.restart_) file.Truncate();
    } else if (!result.transport_ok) {
      cause = result.transport_error;
      if (file.total_ > 0) cause += fmt::format(" (have {} of {} bytes)", file.have_, file.total_);
      retry = IsRetryableCurlCode(result.curl_code);
    } else if (result.status == 304 &&
               (!http.if_none_match.empty() || !http.if_modified_since.empty())) {
      outcome.kind = DownloadOutcome::Kind::kNotModified;
      return outcome;
    } else if (result.status == 200 || result.status == 206) {
      got_body_response = true;
      if (FinishBody(request, file, progress, &outcome, &cause, &retry)) return outcome;
    } else if (result.status == 416 && file.have_ > 0) {
      cause = "HTTP 416: the partial file does not fit the server's; starting from zero";
      file.Truncate();
    } else {
      cause = fmt::format("HTTP {}", result.status);
      retry = IsRetryableStatus(result.status);
    }
    causes.push_back(fmt::format("attempt {}: {}", attempt, cause));
    if (!retry || attempt == max_attempts) break;
    BackOff(backoff, options);
    backoff = std::min(backoff * 2, options.max_backoff_s);
  }
  outcome.error = GiveUpMessage(request.url, outcome.attempts, causes);
  if (progress) progress->OnFinished(request.url, false, file.have_);
  return outcome;
}

}  // namespace iree_suite
