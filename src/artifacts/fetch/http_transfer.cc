#include "artifacts/fetch/http_transfer.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>

#include "base/strings.h"

namespace iree_suite {
namespace {

struct Transfer {
  CURL* curl = nullptr;
  HttpBodySink* sink = nullptr;
  HttpHeaders headers;
  bool begun = false;
  bool aborted = false;
  bool discarding = false;
  // Stall detection: libcurl's low-speed check averages over several
  // seconds, so a burst followed by silence goes unnoticed for a while.
  long stall_limit_s = 0;
  curl_off_t last_bytes = -1;
  std::chrono::steady_clock::time_point last_change = std::chrono::steady_clock::now();
  bool stalled = false;
  const std::function<bool()>* cancel = nullptr;
  bool cancelled = false;
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string line(data, size * count);
  // A new status line starts a new response (redirects, 100 Continue): only
  // the final response's headers count.
  if (line.rfind("HTTP/", 0) == 0) {
    transfer->headers.clear();
  } else if (size_t colon = line.find(':'); colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    transfer->headers[name] = Trim(line.substr(colon + 1));
  }
  return size * count;
}

bool BeginIfNeeded(Transfer* transfer) {
  if (transfer->begun) return !transfer->aborted;
  transfer->begun = true;
  long status = 0;
  curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) {
    transfer->discarding = true;  // an error page: not the file
    return true;
  }
  if (!transfer->sink->Begin(status, transfer->headers)) transfer->aborted = true;
  return !transfer->aborted;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  if (!BeginIfNeeded(transfer)) return 0;
  if (transfer->discarding) return bytes;
  if (!transfer->sink->Write(data, bytes)) {
    transfer->aborted = true;
    return 0;  // libcurl stops with CURLE_WRITE_ERROR
  }
  return bytes;
}

int OnProgress(void* user, curl_off_t, curl_off_t now, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer->cancel && *transfer->cancel && (*transfer->cancel)()) {
    transfer->cancelled = true;
    return 1;  // abort: libcurl returns CURLE_ABORTED_BY_CALLBACK
  }
  auto time = std::chrono::steady_clock::now();
  if (now != transfer->last_bytes) {
    transfer->last_bytes = now;
    transfer->last_change = time;
  } else if (transfer->stall_limit_s > 0 &&
             time - transfer->last_change > std::chrono::seconds(transfer->stall_limit_s)) {
    transfer->stalled = true;
    return 1;  // abort: libcurl returns CURLE_ABORTED_BY_CALLBACK
  }
  return 0;
}

// Whether a 2xx body ended only because the server closed the connection
// (HTTP/1.x without Content-Length or chunked encoding): whole or cut short,
// such a body looks the same, so only a Content-MD5 can vouch for it.
bool IsUnverifiableCloseDelimitedBody(CURL* curl, const HttpHeaders& headers) {
  long version = 0;
  curl_easy_getinfo(curl, CURLINFO_HTTP_VERSION, &version);
  if (version != CURL_HTTP_VERSION_1_0 && version != CURL_HTTP_VERSION_1_1) return false;
  auto encoding = headers.find("transfer-encoding");
  const bool chunked =
      encoding != headers.end() && encoding->second.find("chunked") != std::string::npos;
  // A 206's Content-Range tells the total size, which the download checks.
  return !chunked && !headers.contains("content-length") && !headers.contains("content-md5") &&
         !headers.contains("content-range");
}

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

HttpResult PerformHttpGet(const HttpRequest& request, HttpBodySink* sink) {
  GlobalInitOnce();
  HttpResult result;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    result.transport_error = "curl_easy_init failed";
    return result;
  }
  Transfer transfer;
  transfer.curl = curl.get();
  transfer.sink = sink;
  if (request.low_speed_limit_bytes > 0) transfer.stall_limit_s = request.low_speed_time_s;
  transfer.cancel = request.cancelled;
  char error_buffer[CURL_ERROR_SIZE] = {};
  struct curl_slist* headers = nullptr;
  if (!request.if_none_match.empty()) {
    headers = curl_slist_append(headers, ("If-None-Match: " + request.if_none_match).c_str());
  } else if (!request.if_modified_since.empty()) {
    headers =
        curl_slist_append(headers, ("If-Modified-Since: " + request.if_modified_since).c_str());
  }
  if (request.range_start > 0 && !request.if_range.empty()) {
    headers = curl_slist_append(headers, ("If-Range: " + request.if_range).c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers,
                                                                          curl_slist_free_all);
  const std::string range = fmt::format("{}-", request.range_start);

  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
  // Downloads are http(s) only: a redirect to ftp://, file://, ... is refused.
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, request.connect_timeout_s);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, request.low_speed_limit_bytes);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, request.low_speed_time_s);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "iree-suite/" IREE_SUITE_VERSION);
  if (header_list) curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
  if (request.range_start > 0) curl_easy_setopt(h, CURLOPT_RANGE, range.c_str());

  CURLcode code = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &result.status);
  // A 2xx response with an empty body never reached the write callback.
  if (code == CURLE_OK && !transfer.begun && result.status >= 200 && result.status < 300) {
    BeginIfNeeded(&transfer);
  }
  result.headers = std::move(transfer.headers);
  result.aborted_by_sink = transfer.aborted;
  result.cancelled = transfer.cancelled;
  result.transport_ok = code == CURLE_OK && !transfer.aborted;
  if (result.transport_ok && result.status >= 200 && result.status < 300 &&
      IsUnverifiableCloseDelimitedBody(h, result.headers)) {
    result.transport_ok = false;  // not retried: another try could not be checked either
    result.transport_error =
        "the server sent neither Content-Length nor Content-MD5 and ended the body by closing "
        "the connection: a cut-off transfer would look complete";
  } else if (transfer.stalled) {
    result.curl_code = CURLE_OPERATION_TIMEDOUT;  // retryable, like libcurl's own check
    result.transport_error = fmt::format("stalled: no data for {} s", request.low_speed_time_s);
  } else if (code != CURLE_OK) {
    result.curl_code = code;
    result.transport_error = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  }
  return result;
}

bool IsRetryableCurlCode(int curl_code) {
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_QUIC_CONNECT_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
      return true;
    default:
      return false;
  }
}

}  // namespace iree_suite
