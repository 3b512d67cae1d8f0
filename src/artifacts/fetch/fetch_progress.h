// Progress of downloads, reported through a small interface so the console,
// a future UI or a test can each listen.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

namespace iree_suite {

struct FetchProgressUpdate {
  const std::string* url = nullptr;
  uint64_t bytes_done = 0;   // of the whole file, resumed bytes included
  uint64_t bytes_total = 0;  // 0 when the server did not say
  double bytes_per_s = 0;    // over the current attempt
};

class FetchProgress {
 public:
  virtual ~FetchProgress() = default;
  // Called often (every received block); implementations throttle.
  virtual void OnProgress(const FetchProgressUpdate& update) = 0;
  // The download of `url` ended (successfully or not).
  virtual void OnFinished(const std::string& url, bool ok, uint64_t bytes_done) = 0;
};

// On a terminal: one line rewritten in place with bytes, rate and ETA.
// Otherwise (CI logs): one line every 5 s at most.
class ConsoleFetchProgress : public FetchProgress {
 public:
  explicit ConsoleFetchProgress(std::FILE* out);
  ConsoleFetchProgress(std::FILE* out, bool is_tty);

  void OnProgress(const FetchProgressUpdate& update) override;
  void OnFinished(const std::string& url, bool ok, uint64_t bytes_done) override;

 private:
  std::FILE* out_;
  bool is_tty_;
  std::mutex mutex_;  // downloads may run on several threads
  std::chrono::steady_clock::time_point last_print_{};
  bool line_open_ = false;
};

// "1.5 GiB", "12.0 KiB", "512 B".
std::string FormatBytes(double bytes);

}  // namespace iree_suite
