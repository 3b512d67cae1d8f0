#include "history/run_history.h"

#include <fmt/format.h>

#include <set>

#include "history/change_analysis.h"
#include "history/history_store.h"
#include "history/run_record.h"
#include "history/trend_svg.h"

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

std::map<std::string, std::string> RunTrends(const std::string& location,
                                             const std::string& run_key,
                                             const std::vector<std::string>& test_ids) {
  std::map<std::string, std::string> trends;
  std::string error;
  std::unique_ptr<HistoryStore> store = HistoryStore::Open(location, &error);
  HistoryData data;
  if (!store || !store->Load({}, &data, &error)) return trends;
  std::optional<int64_t> current;
  store->db().Execute(
      "SELECT id FROM runs WHERE run_key = ?", {run_key},
      [&current](const SqlRow& row) { current = row.Int(0); }, &error);
  const std::set<std::string> wanted(test_ids.begin(), test_ids.end());
  std::vector<const HistorySeries*> selected;
  for (const HistorySeries& series : data.series) {
    if (series.type == "benchmark" && wanted.count(series.test_id)) selected.push_back(&series);
  }
  std::map<std::string, std::vector<size_t>> change_points;
  for (const SeriesChanges& changes : AnalyzeChanges(data, selected, {})) {
    for (const SeriesChange& change : changes.changes) {
      change_points[changes.test_id].push_back(change.point);
    }
  }
  for (const HistorySeries* series : selected) {
    std::string svg = TrendSvg(*series, data.runs, {current, change_points[series->test_id]});
    if (!svg.empty()) trends[series->test_id] = std::move(svg);
  }
  return trends;
}

}  // namespace iree_suite
