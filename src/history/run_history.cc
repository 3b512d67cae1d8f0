#include "history/run_history.h"

#include <fmt/format.h>

#include "history/history_store.h"
#include "history/run_record.h"

namespace iree_suite {

std::string HistoryLocation(const std::string& flag,
                            const std::filesystem::path& artifact_directory) {
  if (!flag.empty()) return flag;
  return (artifact_directory / "history.sqlite").string();
}

Status RecordRun(const std::string& location, const nlohmann::ordered_json& results_json) {
  // The same reader as `history import`, so a run and its archived file agree.
  Result<ResultsFile> file = ParseResultsJson(results_json.dump(), "this run");
  Result<HistoryRunRecord> record =
      file ? RunRecordFromResults(*file, "run") : Result<HistoryRunRecord>(Error{file.error()});
  if (!record)
    return Error{fmt::format("cannot record the run in the history: {}", record.error())};
  if (!IsPostgresUri(location)) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(location).parent_path(), ec);
  }
  Result<std::unique_ptr<HistoryStore>> store = HistoryStore::Open(location);
  if (!store) return Error{fmt::format("the run is not in the history: {}", store.error())};
  if (AppendOutcome stored = (*store)->AppendRun(*record); !stored) {
    return Error{fmt::format("the run is not in the history {}: {}", (*store)->db().description(),
                             stored.error())};
  }
  return {};
}

}  // namespace iree_suite
