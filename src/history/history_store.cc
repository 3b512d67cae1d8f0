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

// The string members of a stored markers array (anything else is skipped).
std::vector<std::string> MarkersFromJson(const std::string& text) {
  std::vector<std::string> markers;
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_array()) return markers;
  for (const auto& marker : parsed) {
    if (marker.is_string()) markers.push_back(marker);
  }
  return markers;
}

bool IsFileUnreadableMessage(const std::string& message) {
  return message.find("not a database") != std::string::npos ||
         message.find("malformed") != std::string::npos;
}

}  // namespace

Result<std::unique_ptr<HistoryStore>> HistoryStore::Open(const std::string& location) {
  const bool postgres = IsPostgresUri(location);
  Result<std::unique_ptr<SqlDatabase>> db =
      postgres ? OpenPostgresDatabase(location, 10) : OpenSqliteDatabase(location, 30000);
  const std::string where = postgres ? RedactUri(location) : location;
  if (!db) {
    return Error{fmt::format("{}: {}{}", where, db.error(),
                             IsFileUnreadableMessage(db.error())
                                 ? " (corrupt, or not an SQLite file; move it away to start anew)"
                                 : "")};
  }
  if (Status migrated = MigrateHistorySchema(**db, kHistorySchemaVersion); !migrated) {
    return Error{fmt::format("{}: {}", where, migrated.error())};
  }
  // Readers keep reading while a run writes; written pages survive a crash.
  if ((*db)->dialect() == SqlDialect::kSqlite) (void)(*db)->ExecScript("PRAGMA journal_mode = WAL");
  return std::make_unique<HistoryStore>(std::move(*db));
}

Result<std::optional<int64_t>> HistoryStore::InsertRun(const HistoryRunRecord& run) {
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
  std::optional<int64_t> run_id;
  if (Status inserted =
          db_->Execute(sql, params, [&run_id](const SqlRow& row) { run_id = row.Int(0); });
      !inserted) {
    return Error{inserted.error()};
  }
  return run_id;
}

Status HistoryStore::LookUpTests(const std::vector<const TestRow*>& tests, KnownTests* learned) {
  // Known tests whose type and markers are unchanged are only read: no row
  // is rewritten (in PostgreSQL every update leaves a dead row).
  std::vector<SqlValue> names;
  std::string placeholders;
  for (const TestRow* row : tests) {
    names.push_back(row->test->id);
    placeholders += placeholders.empty() ? "?" : ",?";
  }
  KnownTests stored;
  if (Status read = db_->Execute(
          "SELECT id, name, type, markers FROM tests WHERE name IN (" + placeholders + ")", names,
          [&](const SqlRow& row) {
            stored[row.Text(1)] = {row.Int(0), row.Text(2) + "\n" + row.Text(3)};
          });
      !read) {
    return read;
  }
  std::vector<SqlValue> params;
  for (const TestRow* row : tests) {
    auto found = stored.find(row->test->id);
    if (found != stored.end() && found->second.type_and_markers == row->type_and_markers) {
      (*learned)[row->test->id] = found->second;
    } else {
      params.insert(params.end(), {row->test->id, row->test->type, row->markers});
    }
  }
  if (params.empty()) return {};
  const std::string sql = MultiRowInsertSql(
      "tests (name, type, markers)", 3, params.size() / 3,
      " ON CONFLICT (name) DO UPDATE SET type = excluded.type, markers = excluded.markers "
      "RETURNING id, name, type, markers");
  return db_->Execute(sql, params, [&](const SqlRow& row) {
    (*learned)[row.Text(1)] = {row.Int(0), row.Text(2) + "\n" + row.Text(3)};
  });
}

Result<std::vector<int64_t>> HistoryStore::TestIds(const HistoryRunRecord& run,
                                                   const KnownTests& batch, KnownTests* learned) {
  std::vector<TestRow> rows;
  rows.reserve(run.tests.size());
  for (const HistoryTestRecord& test : run.tests) {
    std::string markers = JsonArray(test.markers);
    std::string type_and_markers = test.type + "\n" + markers;
    rows.push_back({&test, std::move(markers), std::move(type_and_markers)});
  }
  // Tests seen earlier by this store (committed, or earlier in this
  // transaction) are not asked for again: an import of 1,000 runs of the same
  // tests asks once.
  auto cached = [&](const TestRow& row) -> const KnownTest* {
    const std::array<const KnownTests*, 3> sources = {learned, &batch, &known_tests_};
    for (const KnownTests* known : sources) {
      auto found = known->find(row.test->id);
      if (found != known->end()) {
        return found->second.type_and_markers == row.type_and_markers ? &found->second : nullptr;
      }
    }
    return nullptr;
  };
  std::vector<const TestRow*> missing;
  for (const TestRow& row : rows) {
    if (cached(row) == nullptr) missing.push_back(&row);
  }
  // Sorted, so that concurrent writers lock the rows in one order (no deadlock).
  std::sort(missing.begin(), missing.end(),
            [](const TestRow* a, const TestRow* b) { return a->test->id < b->test->id; });
  for (size_t begin = 0; begin < missing.size(); begin += kTestsPerStatement) {
    const size_t end = std::min(missing.size(), begin + kTestsPerStatement);
    const std::vector<const TestRow*> part(missing.begin() + begin, missing.begin() + end);
    if (Status looked_up = LookUpTests(part, learned); !looked_up) return Error{looked_up.error()};
  }
  std::vector<int64_t> ids;
  for (const TestRow& row : rows) {
    const KnownTest* known = cached(row);
    if (known == nullptr) return Error{"test " + row.test->id + " has no row after its insert"};
    ids.push_back(known->id);
  }
  return ids;
}

Status HistoryStore::InsertResults(int64_t run_id, const HistoryRunRecord& run,
                                   const std::vector<int64_t>& ids) {
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
  return db_->InsertRows("results", kResultColumns, values);
}

AppendOutcome HistoryStore::AppendInSavepoint(const HistoryRunRecord& run, KnownTests* learned) {
  if (Status begun = db_->Savepoint(); !begun) return Error{begun.error()};
  Result<std::optional<int64_t>> run_id = InsertRun(run);
  if (run_id && !*run_id) {  // already stored
    db_->RollbackToSavepoint();
    return Appended::kAlreadyThere;
  }
  KnownTests learned_here;
  Status written = run_id ? Status() : Error{run_id.error()};
  if (written) {
    Result<std::vector<int64_t>> ids = TestIds(run, *learned, &learned_here);
    written = ids ? InsertResults(**run_id, run, *ids) : Error{ids.error()};
  }
  if (written) written = db_->ReleaseSavepoint();
  if (!written) {
    db_->RollbackToSavepoint();
    return Error{written.error()};
  }
  learned->merge(learned_here);
  return Appended::kStored;
}

Result<std::vector<AppendOutcome>> HistoryStore::AppendRuns(
    std::span<const HistoryRunRecord> runs) {
  if (Status begun = db_->BeginWrite(); !begun) return Error{begun.error()};
  KnownTests learned;
  std::vector<AppendOutcome> outcomes;
  outcomes.reserve(runs.size());
  for (const HistoryRunRecord& run : runs) outcomes.push_back(AppendInSavepoint(run, &learned));
  if (Status committed = db_->Commit(); !committed) {
    db_->Rollback();
    return Error{committed.error()};
  }
  known_tests_.merge(learned);
  return outcomes;
}

AppendOutcome HistoryStore::AppendRun(const HistoryRunRecord& run) {
  Result<std::vector<AppendOutcome>> outcomes = AppendRuns(std::span(&run, 1));
  if (!outcomes) return Error{outcomes.error()};
  return (*outcomes)[0];
}

Result<HistoryData> HistoryStore::Load(const HistoryQuery& query) {
  HistoryData data;
  // Runs first (few), then the results of those runs by id: no string per point.
  const std::string run_filter = "start_time >= ? AND (? = '' OR host = ?)";
  const std::vector<SqlValue> run_params = {query.since, query.host, query.host};
  std::unordered_map<int64_t, size_t> run_index;
  Status read = db_->Execute(
      "SELECT id, start_time, host, compiler_version, compiler_commit, github_sha "
      "FROM runs WHERE " +
          run_filter + " ORDER BY start_time, id",
      run_params, [&](const SqlRow& row) {
        run_index[row.Int(0)] = data.runs.size();
        data.runs.push_back(
            {row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5)});
      });
  std::unordered_map<int64_t, size_t> series_index;
  if (read) {
    read = db_->Execute("SELECT id, name, type, markers FROM tests", {}, [&](const SqlRow& row) {
      series_index[row.Int(0)] = data.series.size();
      HistorySeries& series = data.series.emplace_back();
      series.test_id = row.Text(1);
      series.type = row.Text(2);
      series.markers = MarkersFromJson(row.Text(3));
    });
  }
  if (read) {
    read = db_->Execute(
        "SELECT run_id, test_id, outcome, min_ms, golden_time_ms, tolerance_factor, "
        "threshold_ms, dispatch_count, binary_size FROM results WHERE run_id IN (SELECT id FROM "
        "runs WHERE " +
            run_filter + ")",
        run_params, [&](const SqlRow& row) {
          auto run = run_index.find(row.Int(0));
          auto series = series_index.find(row.Int(1));
          if (run == run_index.end() || series == series_index.end()) return;
          data.series[series->second].points.push_back(
              {run->second, row.Text(2), row.OptionalDouble(3), row.OptionalDouble(4),
               row.OptionalDouble(5), row.OptionalDouble(6), row.OptionalInt(7),
               row.OptionalInt(8)});
        });
  }
  if (!read) return Error{read.error()};
  std::erase_if(data.series, [](const HistorySeries& series) { return series.points.empty(); });
  for (HistorySeries& series : data.series) {
    std::sort(series.points.begin(), series.points.end(),
              [](const HistoryPoint& a, const HistoryPoint& b) { return a.run < b.run; });
  }
  std::sort(data.series.begin(), data.series.end(),
            [](const HistorySeries& a, const HistorySeries& b) { return a.test_id < b.test_id; });
  return data;
}

}  // namespace iree_suite
