// Knobs for remote downloads; the defaults suit multi-GB blobs on public
// HTTPS storage.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace iree_suite {

struct FetchOptions {
  // Never contact a server: cached entries are used as they are.
  bool offline = false;
  // (prefix, replacement): the first matching prefix of a URL is rewritten
  // before fetching. The cache key stays the original URL.
  std::vector<std::pair<std::string, std::string>> url_mirrors;
  // Attempts per download, the first included. Total waiting between them is
  // bounded by the backoff cap, and every attempt by stall detection.
  int max_attempts = 5;
  double initial_backoff_s = 0.5;  // doubled after each failed attempt...
  double max_backoff_s = 8;        // ...up to this
  // An attempt is abandoned when slower than low_speed_limit_bytes/s for
  // low_speed_time_s seconds (a stalled server or network).
  long low_speed_limit_bytes = 1;
  long low_speed_time_s = 30;
  long connect_timeout_s = 30;
  // No progress output.
  bool quiet = false;
  // Polled during transfers and between attempts: true stops the download
  // (Ctrl-C), which then fails without further retries.
  std::function<bool()> cancelled;
};

}  // namespace iree_suite
