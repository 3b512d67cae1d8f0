// Progress of downloads, reported through a small interface so the console,
// a future UI or a test can each listen.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "exec/run_events.h"

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

// Downloads as run events ("downloading <url>" progress, "downloaded <url>
// (<size>)" at the end), which the console shows.
class RunEventsFetchProgress : public FetchProgress {
 public:
  explicit RunEventsFetchProgress(RunEvents* events);

  void OnProgress(const FetchProgressUpdate& update) override;
  void OnFinished(const std::string& url, bool ok, uint64_t bytes_done) override;

 private:
  RunEvents* events_;
};

}  // namespace iree_suite
