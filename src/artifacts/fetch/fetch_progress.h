// Progress of downloads, reported through a small interface so the console,
// a future UI or a test can each listen.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "artifacts/progress_printer.h"

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

// Downloads on the console, through a ProgressPrinter (its own, or one shared
// with other jobs so that their lines do not fight).
class ConsoleFetchProgress : public FetchProgress {
 public:
  explicit ConsoleFetchProgress(std::FILE* out);
  explicit ConsoleFetchProgress(ProgressPrinter* printer);

  void OnProgress(const FetchProgressUpdate& update) override;
  void OnFinished(const std::string& url, bool ok, uint64_t bytes_done) override;

 private:
  std::unique_ptr<ProgressPrinter> owned_;
  ProgressPrinter* printer_;
};

}  // namespace iree_suite
