// One HTTP(S) GET through libcurl, its body streamed to a sink: no retries,
// no files, no policy. The downloader builds those on top.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace iree_suite {

// Response headers of the final response (after redirects), names lowercase.
using HttpHeaders = std::map<std::string, std::string>;

struct HttpRequest {
  std::string url;
  uint64_t range_start = 0;  // > 0: ask for "Range: bytes=<range_start>-"
  std::string if_range;      // validator sent with the Range (ETag or date)
  std::string if_none_match;
  std::string if_modified_since;
  long low_speed_limit_bytes = 1;
  long low_speed_time_s = 30;
  long connect_timeout_s = 30;
  const std::function<bool()>* cancelled = nullptr;  // true: abort the transfer now
};

class HttpBodySink {
 public:
  virtual ~HttpBodySink() = default;
  // Called once for a 2xx response, before its first body byte (also when the
  // body is empty). Returning false aborts the transfer.
  virtual bool Begin(long status, const HttpHeaders& headers) = 0;
  // Returning false aborts the transfer (e.g. the disk is full).
  virtual bool Write(const char* data, size_t size) = 0;
};

struct HttpResult {
  bool transport_ok = false;     // the exchange completed (any status)
  int curl_code = 0;             // CURLcode when !transport_ok
  std::string transport_error;   // libcurl's description when !transport_ok
  bool aborted_by_sink = false;  // Begin or Write returned false
  bool cancelled = false;        // request.cancelled said so
  long status = 0;               // 0 when no response arrived
  HttpHeaders headers;
};

// Performs the request; the body of a non-2xx response is discarded.
HttpResult PerformHttpGet(const HttpRequest& request, HttpBodySink* sink);

// Whether a libcurl failure may go away on another try (network trouble,
// truncated body, stall) rather than being a property of the request.
bool IsRetryableCurlCode(int curl_code);

}  // namespace iree_suite
