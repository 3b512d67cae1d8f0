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

std::string RecordRun(const std::string& location, const nlohmann::ordered_json& results_json) {
  std::string error;
  // The same reader as `history import`, so a run and its archived file agree.
  std::optional<ResultsFile> file = ParseResultsJson(results_json.dump(), "this run", &error);
  std::optional<HistoryRunRecord> record =
      file ? RunRecordFromResults(*file, "run", &error) : std::nullopt;
  if (!record) return fmt::format("cannot record the run in the history: {}", error);
  if (!IsPostgresUri(location)) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(location).parent_path(), ec);
  }
  std::unique_ptr<HistoryStore> store = HistoryStore::Open(location, &error);
  bool stored = false;
  if (!store) return fmt::format("the run is not in the history: {}", error);
  if (!store->AppendRun(*record, &stored, &error)) {
    return fmt::format("the run is not in the history {}: {}", store->db().description(), error);
  }
  return "";
}

}  // namespace iree_suite
