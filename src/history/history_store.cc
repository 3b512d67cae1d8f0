#include "history/history_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <unordered_map>

namespace iree_suite {
namespace {

// Names per SELECT/upsert of test rows: few round trips to a server, well
// under SQLite's limit of bound variables.
constexpr size_t kTestsPerStatement = 200;

const std::vector<std::string> kResultColumns = {"run_id",
                                                 "test_id",
                                                 "outcome",
                                                 "failed_step",
                                                 "reason",
                                                 "duration_s",
                                                 "samples_ms",
                                                 "min_ms",
                                                 "median_ms",
                                                 "mean_ms",
                                                 "stddev_ms",
                                                 "cv",
                                                 "golden_time_ms",
                                                 "tolerance_factor",
                                                 "threshold_ms",
                                                 "dispatch_count",
                                                 "binary_size",
                                                 "golden_dispatch_count",
                                                 "golden_binary_size"};

std::string JsonArray(const std::vector<std::string>& values) {
  return nlohmann::json(values).dump();
}

std::string JsonArray(const std::vector<double>& values) { return nlohmann::json(values).dump(); }

bool IsFileUnreadableMessage(const std::string& message) {
  return message.find("not a database") != std::string::npos ||
         message.find("malformed") != std::string::npos;
}

}  // namespace

std::unique_ptr<HistoryStore> HistoryStore::Open(const std::string& location, std::string* error) {
  std::unique_ptr<SqlDatabase> db;
  std::string open_error;
  if (IsPostgresUri(location)) {
    db = OpenPostgresDatabase(location, 10, &open_error);
  } else {
    db = OpenSqliteDatabase(location, 30000, &open_error);
  }
  const std::string where = IsPostgresUri(location) ? RedactUri(location) : location;
  if (!db) {
    *error = fmt::format("{}: {}{}", where, open_error,
                         IsFileUnreadableMessage(open_error)
                             ? " (corrupt, or not an SQLite file; move it away to start anew)"
                             : "");
    return nullptr;
  }
  std::string migrate_error;
  if (!MigrateHistorySchema(*db, kHistorySchemaVersion, &migrate_error)) {
    *error = fmt::format("{}: {}", where, migrate_error);
    return nullptr;
  }
  // Readers keep reading while a run writes; written pages survive a crash.
  if (db->dialect() == SqlDialect::kSqlite) {
    std::string ignored;
    db->ExecScript("PRAGMA journal_mode = WAL", &ignored);
  }
  return std::make_unique<HistoryStore>(std::move(db));
}

bool HistoryStore::InsertRun(const HistoryRunRecord& run, std::optional<int64_t>* run_id,
                             std::string* error) {
  const auto& load = run.load_average;
  std::vector<SqlValue> params = {
      run.run_key,
      run.start_time,
      SqlTextOrNull(run.host),
      SqlTextOrNull(run.cpu_model),
      SqlOrNull(run.core_count),
      load ? SqlValue((*load)[0]) : SqlValue(),
      load ? SqlValue((*load)[1]) : SqlValue(),
      load ? SqlValue((*load)[2]) : SqlValue(),
      SqlTextOrNull(run.iree_suite_version),
      SqlTextOrNull(run.compiler_version),
      SqlTextOrNull(run.compiler_commit),
      SqlTextOrNull(run.runtime_version),
      SqlTextOrNull(run.suite_commit),
      SqlTextOrNull(run.github_sha),
      SqlTextOrNull(run.github_ref),
      SqlTextOrNull(run.github_run_id),
      SqlTextOrNull(run.pr_number),
      SqlTextOrNull(run.marker_expression),
      SqlOrNull(run.shard_index),
      SqlOrNull(run.shard_count),
      SqlTextOrNull(run.source),
      static_cast<int64_t>(run.tests.size()),
      SqlTextOrNull(run.context_json),
  };
  const std::string sql = MultiRowInsertSql(
      "runs (run_key, start_time, host, cpu_model, core_count, load_1m, load_5m, load_15m, "
      "iree_suite_version, compiler_version, compiler_commit, runtime_version, suite_commit, "
      "github_sha, github_ref, github_run_id, pr_number, marker_expression, shard_index, "
      "shard_count, source, test_count, context_json)",
      params.size(), 1, " ON CONFLICT (run_key) DO NOTHING RETURNING id");
  return db_->Execute(
      sql, params, [run_id](const SqlRow& row) { *run_id = row.Int(0); }, error);
}

bool HistoryStore::LookUpTests(const std::vector<const HistoryTestRecord*>& tests,
                               KnownTests* learned, std::string* error) {
  // Known tests whose type and markers are unchanged are only read: no row
  // is rewritten (in PostgreSQL every update leaves a dead row).
  std::vector<SqlValue> names;
  std::string placeholders;
  for (const HistoryTestRecord* test : tests) {
    names.push_back(test->id);
    placeholders += placeholders.empty() ? "?" : ",?";
  }
  KnownTests stored;
  if (!db_->Execute(
          "SELECT id, name, type, markers FROM tests WHERE name IN (" + placeholders + ")", names,
          [&](const SqlRow& row) {
            stored[row.Text(1)] = {row.Int(0), row.Text(2) + "\n" + row.Text(3)};
          },
          error)) {
    return false;
  }
  std::vector<SqlValue> params;
  for (const HistoryTestRecord* test : tests) {
    const std::string markers = JsonArray(test->markers);
    auto found = stored.find(test->id);
    if (found != stored.end() && found->second.type_and_markers == test->type + "\n" + markers) {
      (*learned)[test->id] = found->second;
    } else {
      params.insert(params.end(), {test->id, test->type, markers});
    }
  }
  if (params.empty()) return true;
  const std::string sql = MultiRowInsertSql(
      "tests (name, type, markers)", 3, params.size() / 3,
      " ON CONFLICT (name) DO UPDATE SET type = excluded.type, markers = excluded.markers "
      "RETURNING id, name, type, markers");
  return db_->Execute(
      sql, params,
      [&](const SqlRow& row) {
        (*learned)[row.Text(1)] = {row.Int(0), row.Text(2) + "\n" + row.Text(3)};
      },
      error);
}

bool HistoryStore::TestIds(const HistoryRunRecord& run, const KnownTests& batch,
                           std::vector<int64_t>* ids, KnownTests* learned, std::string* error) {
  // Tests seen earlier by this store (committed, or earlier in this
  // transaction) are not asked for again: an import of 1,000 runs of the same
  // tests asks once.
  auto cached = [&](const HistoryTestRecord& test) -> const KnownTest* {
    const std::string wanted = test.type + "\n" + JsonArray(test.markers);
    const std::array<const KnownTests*, 3> sources = {learned, &batch, &known_tests_};
    for (const KnownTests* known : sources) {
      auto found = known->find(test.id);
      if (found != known->end()) {
        return found->second.type_and_markers == wanted ? &found->second : nullptr;
      }
    }
    return nullptr;
  };
  std::vector<const HistoryTestRecord*> missing;
  for (const HistoryTestRecord& test : run.tests) {
    if (cached(test) == nullptr) missing.push_back(&test);
  }
  // Sorted, so that concurrent writers lock the rows in one order (no deadlock).
  std::sort(missing.begin(), missing.end(),
            [](const HistoryTestRecord* a, const HistoryTestRecord* b) { return a->id < b->id; });
  for (size_t begin = 0; begin < missing.size(); begin += kTestsPerStatement) {
    const size_t end = std::min(missing.size(), begin + kTestsPerStatement);
    const std::vector<const HistoryTestRecord*> part(missing.begin() + begin,
                                                     missing.begin() + end);
    if (!LookUpTests(part, learned, error)) return false;
  }
  ids->clear();
  for (const HistoryTestRecord& test : run.tests) {
    const KnownTest* known = cached(test);
    if (known == nullptr) {
      *error = "test " + test.id + " has no row after its insert";
      return false;
    }
    ids->push_back(known->id);
  }
  return true;
}

bool HistoryStore::InsertResults(int64_t run_id, const HistoryRunRecord& run,
                                 const std::vector<int64_t>& ids, std::string* error) {
  std::vector<SqlValue> values;
  values.reserve(run.tests.size() * kResultColumns.size());
  for (size_t i = 0; i < run.tests.size(); ++i) {
    const HistoryTestRecord& t = run.tests[i];
    values.insert(
        values.end(),
        {run_id, ids[i], t.outcome, SqlTextOrNull(t.failed_step), SqlTextOrNull(t.reason),
         t.duration_s, t.samples_ms.empty() ? SqlValue() : SqlValue(JsonArray(t.samples_ms)),
         SqlOrNull(t.min_ms), SqlOrNull(t.median_ms), SqlOrNull(t.mean_ms), SqlOrNull(t.stddev_ms),
         SqlOrNull(t.cv), SqlOrNull(t.golden_time_ms), SqlOrNull(t.tolerance_factor),
         SqlOrNull(t.threshold_ms), SqlOrNull(t.dispatch_count), SqlOrNull(t.binary_size),
         SqlOrNull(t.golden_dispatch_count), SqlOrNull(t.golden_binary_size)});
  }
  return db_->InsertRows("results", kResultColumns, values, error);
}

bool HistoryStore::AppendInSavepoint(const HistoryRunRecord& run, KnownTests* learned,
                                     AppendOutcome* outcome) {
  std::optional<int64_t> run_id;
  std::vector<int64_t> ids;
  KnownTests learned_here;
  if (!db_->Savepoint(&outcome->error)) return false;
  bool ok = InsertRun(run, &run_id, &outcome->error);
  if (ok && !run_id) {  // already stored
    db_->RollbackToSavepoint();
    return true;
  }
  ok = ok && TestIds(run, *learned, &ids, &learned_here, &outcome->error) &&
       InsertResults(*run_id, run, ids, &outcome->error) && db_->ReleaseSavepoint(&outcome->error);
  if (!ok) {
    db_->RollbackToSavepoint();
    return false;
  }
  learned->merge(learned_here);
  outcome->stored = true;
  return true;
}

bool HistoryStore::AppendRuns(std::span<const HistoryRunRecord> runs,
                              std::vector<AppendOutcome>* outcomes, std::string* error) {
  outcomes->assign(runs.size(), {});
  if (!db_->BeginWrite(error)) return false;
  KnownTests learned;
  for (size_t i = 0; i < runs.size(); ++i) AppendInSavepoint(runs[i], &learned, &(*outcomes)[i]);
  if (!db_->Commit(error)) {
    db_->Rollback();
    outcomes->assign(runs.size(), {});
    return false;
  }
  known_tests_.merge(learned);
  return true;
}

bool HistoryStore::AppendRun(const HistoryRunRecord& run, bool* stored, std::string* error) {
  std::vector<AppendOutcome> outcomes;
  *stored = false;
  if (!AppendRuns(std::span(&run, 1), &outcomes, error)) return false;
  if (!outcomes[0].error.empty()) {
    *error = outcomes[0].error;
    return false;
  }
  *stored = outcomes[0].stored;
  return true;
}

bool HistoryStore::Load(const HistoryQuery& query, HistoryData* data, std::string* error) {
  *data = {};
  // Runs first (few), then the results of those runs by id: no string per point.
  const std::string run_filter = "start_time >= ? AND (? = '' OR host = ?)";
  const std::vector<SqlValue> run_params = {query.since, query.host, query.host};
  std::unordered_map<int64_t, size_t> run_index;
  if (!db_->Execute(
          "SELECT id, start_time, host, compiler_version, compiler_commit, github_sha "
          "FROM runs WHERE " +
              run_filter + " ORDER BY start_time, id",
          run_params,
          [&](const SqlRow& row) {
            run_index[row.Int(0)] = data->runs.size();
            data->runs.push_back(
                {row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5)});
          },
          error)) {
    return false;
  }
  std::unordered_map<int64_t, size_t> series_index;
  if (!db_->Execute(
          "SELECT id, name, type, markers FROM tests", {},
          [&](const SqlRow& row) {
            series_index[row.Int(0)] = data->series.size();
            HistorySeries& series = data->series.emplace_back();
            series.test_id = row.Text(1);
            series.type = row.Text(2);
            nlohmann::json markers = nlohmann::json::parse(row.Text(3), nullptr, false);
            if (markers.is_array()) {
              for (const auto& marker : markers) {
                if (marker.is_string()) series.markers.push_back(marker);
              }
            }
          },
          error)) {
    return false;
  }
  if (!db_->Execute(
          "SELECT run_id, test_id, outcome, min_ms, golden_time_ms, tolerance_factor, "
          "threshold_ms, dispatch_count, binary_size FROM results WHERE run_id IN (SELECT id FROM "
          "runs WHERE " +
              run_filter + ")",
          run_params,
          [&](const SqlRow& row) {
            auto run = run_index.find(row.Int(0));
            auto series = series_index.find(row.Int(1));
            if (run == run_index.end() || series == series_index.end()) return;
            data->series[series->second].points.push_back(
                {run->second, row.Text(2), row.OptionalDouble(3), row.OptionalDouble(4),
                 row.OptionalDouble(5), row.OptionalDouble(6), row.OptionalInt(7),
                 row.OptionalInt(8)});
          },
          error)) {
    return false;
  }
  std::erase_if(data->series, [](const HistorySeries& series) { return series.points.empty(); });
  for (HistorySeries& series : data->series) {
    std::sort(series.points.begin(), series.points.end(),
              [](const HistoryPoint& a, const HistoryPoint& b) { return a.run < b.run; });
  }
  std::sort(data->series.begin(), data->series.end(),
            [](const HistorySeries& a, const HistorySeries& b) { return a.test_id < b.test_id; });
  return true;
}

int64_t HistoryStore::RunCount(std::string* error) {
  int64_t count = -1;
  db_->Execute(
      "SELECT count(*) FROM runs", {}, [&count](const SqlRow& row) { count = row.Int(0); }, error);
  return count;
}

}  // namespace iree_suite
