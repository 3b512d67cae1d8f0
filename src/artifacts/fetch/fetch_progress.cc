#include "artifacts/fetch/fetch_progress.h"

#include <fmt/format.h>

#include "base/bytes.h"

namespace iree_suite {

ConsoleFetchProgress::ConsoleFetchProgress(std::FILE* out)
    : owned_(std::make_unique<ProgressPrinter>(out)), printer_(owned_.get()) {}

ConsoleFetchProgress::ConsoleFetchProgress(ProgressPrinter* printer) : printer_(printer) {}

void ConsoleFetchProgress::OnProgress(const FetchProgressUpdate& update) {
  printer_->Update("downloading " + *update.url, update.bytes_done, update.bytes_total,
                   update.bytes_per_s);
}

void ConsoleFetchProgress::OnFinished(const std::string& url, bool ok, uint64_t bytes_done) {
  printer_->Finish(
      ok ? fmt::format("downloaded {} ({})", url, FormatBytes(static_cast<double>(bytes_done)))
         : "");
}

}  // namespace iree_suite
