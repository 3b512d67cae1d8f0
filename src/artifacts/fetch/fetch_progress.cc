#include "artifacts/fetch/fetch_progress.h"

#include <fmt/format.h>

#include "base/bytes.h"

namespace iree_suite {

RunEventsFetchProgress::RunEventsFetchProgress(RunEvents* events) : events_(events) {}

void RunEventsFetchProgress::OnProgress(const FetchProgressUpdate& update) {
  events_->OnJobProgress("downloading " + *update.url, update.bytes_done, update.bytes_total,
                         update.bytes_per_s);
}

void RunEventsFetchProgress::OnFinished(const std::string& url, bool ok, uint64_t bytes_done) {
  events_->OnJobFinished(
      ok ? fmt::format("downloaded {} ({})", url, FormatBytes(static_cast<double>(bytes_done)))
         : "");
}

}  // namespace iree_suite
