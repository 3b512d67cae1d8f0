// The benchmark history: every run's context and every test's outcome,
// samples, statistics, compstat counts and the goldens in force, in SQLite
// (default `<artifact-directory>/history.sqlite`) or a shared PostgreSQL.
//
// Schema (version kHistorySchemaVersion; identical on both backends, so any
// SQL tool or Apache Otava can read it; see README "Benchmark history"):
//
//   iree_suite_meta(key TEXT PRIMARY KEY, value TEXT)
//       'application' = 'iree-suite-history', 'schema_version' = '<n>'
//   runs(id, run_key UNIQUE, start_time TEXT ISO 8601 UTC, host, cpu_model,
//        core_count, load_1m, load_5m, load_15m, iree_suite_version,
//        compiler_version, compiler_commit, runtime_version, suite_commit,
//        github_sha, github_ref, github_run_id, pr_number, marker_expression,
//        shard_index, shard_count, source, test_count, context_json)
//   tests(id, name UNIQUE, type, markers TEXT JSON array)
//   results(run_id -> runs, test_id -> tests, outcome, failed_step, reason,
//           duration_s, samples_ms TEXT JSON array, min_ms, median_ms,
//           mean_ms, stddev_ms, cv, golden_time_ms, tolerance_factor,
//           threshold_ms, dispatch_count, binary_size, golden_dispatch_count,
//           golden_binary_size, PRIMARY KEY (run_id, test_id))
//
// A run is written in one transaction with its results, so readers never see
// half a run; test_count lets anyone check that.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "history/sql_database.h"

namespace iree_suite {

inline constexpr int kHistorySchemaVersion = 2;
inline constexpr const char* kHistoryApplication = "iree-suite-history";

struct HistoryTestRecord {
  std::string id;
  std::string type;
  std::vector<std::string> markers;
  std::string outcome;
  std::string failed_step;
  std::string reason;
  double duration_s = 0;
  std::vector<double> samples_ms;
  std::optional<double> min_ms, median_ms, mean_ms, stddev_ms, cv;
  std::optional<double> golden_time_ms, tolerance_factor, threshold_ms;
  std::optional<int64_t> dispatch_count, binary_size, golden_dispatch_count, golden_binary_size;
};

struct HistoryRunRecord {
  std::string run_key;     // identity: importing the same run twice stores it once
  std::string start_time;  // ISO 8601 UTC
  std::string host;
  std::string cpu_model;
  std::optional<int64_t> core_count;
  std::optional<std::array<double, 3>> load_average;
  std::string iree_suite_version;
  std::string compiler_version;  // "3.13.0rc20261016"
  std::string compiler_commit;   // "89ece87b..."
  std::string runtime_version;
  std::string suite_commit;
  std::string github_sha, github_ref, github_run_id, pr_number;
  std::string marker_expression;
  std::optional<int64_t> shard_index, shard_count;
  std::string source;        // "run" or the imported file's path
  std::string context_json;  // the results file's whole context, as written
  std::vector<HistoryTestRecord> tests;
};

// Which results to read back.
struct HistoryQuery {
  std::string since;  // ISO date or time; runs at or after it ("" = all)
  std::string host;   // "" = every host
};

// A run as the analyses need it.
struct HistoryRunInfo {
  int64_t id = 0;
  std::string start_time;
  std::string host;
  std::string compiler_version;
  std::string compiler_commit;
  std::string github_sha;
};

// One test's result in one run (no samples: the analyses use the minimum,
// which is what a benchmark is judged on).
struct HistoryPoint {
  size_t run = 0;  // index into HistoryData::runs
  std::string outcome;
  std::optional<double> min_ms;
  std::optional<double> golden_time_ms, tolerance_factor, threshold_ms;
  std::optional<int64_t> dispatch_count, binary_size;
};

// Every point of one test, oldest first.
struct HistorySeries {
  std::string test_id;
  std::string type;
  std::vector<std::string> markers;  // of its newest run
  std::vector<HistoryPoint> points;
};

struct HistoryData {
  std::vector<HistoryRunInfo> runs;   // oldest first (start time, then id)
  std::vector<HistorySeries> series;  // sorted by test id
};

// What became of one run given to HistoryStore::AppendRuns: stored, already
// there (a run with the same key; nothing changed), or why it failed. An enum,
// not a bool, so that "no error" and "stored" cannot be mistaken for each other.
enum class Appended { kStored, kAlreadyThere };
using AppendOutcome = Result<Appended>;

class HistoryStore {
 public:
  // Opens `location` (an SQLite path or postgresql:// URI), creating the
  // schema or migrating an older one forward. Fails with a message for a
  // corrupt or foreign file, an unreachable server, or a schema newer than
  // this binary.
  static Result<std::unique_ptr<HistoryStore>> Open(const std::string& location);

  explicit HistoryStore(std::unique_ptr<SqlDatabase> db) : db_(std::move(db)) {}

  // Appends a run in one transaction. A run with the same key already there
  // is kAlreadyThere (then nothing changes).
  AppendOutcome AppendRun(const HistoryRunRecord& run);

  // Appends runs in one transaction (one commit for a batch of imports),
  // each in its own savepoint: a run that fails is undone alone, the others
  // stay. Returns each run's outcome, or an error when the transaction
  // itself fails; then none of them is stored.
  Result<std::vector<AppendOutcome>> AppendRuns(std::span<const HistoryRunRecord> runs);

  // The runs matching `query` and the series of every test they ran.
  Result<HistoryData> Load(const HistoryQuery& query);

  SqlDatabase& db() { return *db_; }

 private:
  struct KnownTest {
    int64_t id = 0;
    std::string type_and_markers;  // "<type>\n<markers JSON>" as stored
  };
  using KnownTests = std::unordered_map<std::string, KnownTest>;  // by test name
  // A test of the run being written, its markers serialised once.
  struct TestRow {
    const HistoryTestRecord* test = nullptr;
    std::string markers;           // JSON array, as the tests table stores it
    std::string type_and_markers;  // as in KnownTest
  };

  AppendOutcome AppendInSavepoint(const HistoryRunRecord& run, KnownTests* learned);
  // The new run's id; nullopt when a run with its key is already there.
  Result<std::optional<int64_t>> InsertRun(const HistoryRunRecord& run);
  // Each test's id, in the run's order; inserts or updates test rows as needed.
  Result<std::vector<int64_t>> TestIds(const HistoryRunRecord& run, const KnownTests& batch,
                                       KnownTests* learned);
  Status LookUpTests(const std::vector<const TestRow*>& tests, KnownTests* learned);
  Status InsertResults(int64_t run_id, const HistoryRunRecord& run,
                       const std::vector<int64_t>& ids);

  std::unique_ptr<SqlDatabase> db_;
  // Test rows as committed by this store's earlier transactions: the same
  // tests are not looked up once per run.
  KnownTests known_tests_;
};

// Brings the schema to kHistorySchemaVersion (exposed for tests). A database
// with tables but no iree_suite_meta is foreign and refused.
Status MigrateHistorySchema(SqlDatabase& db, int target_version);

}  // namespace iree_suite
