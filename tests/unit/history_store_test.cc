// The history store on both backends: a temp SQLite file, and a real
// PostgreSQL server started for these tests (skipped where not installed).
#include "history/history_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "history/sql_database.h"
#include "history_fixture.h"
#include "postgres_server.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

Result<int64_t> CountRuns(HistoryStore& store) {
  int64_t count = -1;
  Status counted = store.db().Execute("SELECT count(*) FROM runs", {},
                                      [&count](const SqlRow& row) { count = row.Int(0); });
  if (!counted) return Error{counted.error()};
  return count;
}

enum class Backend { kSqlite, kPostgres };

class HistoryStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  static void SetUpTestSuite() {
    server_ = new PostgresServer();
    skip_reason_ = server_->Start();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    const std::string name = fmt::format(
        "t{}_{}", getpid(), ::testing::UnitTest::GetInstance()->random_seed() + count_++);
    if (GetParam() == Backend::kPostgres) {
      if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
      ASSERT_EQ(server_->CreateDatabase(name), "");
      location_ = server_->Uri(name);
    } else {
      dir_ = fs::temp_directory_path() / ("iree-suite-history-" + name);
      fs::create_directories(dir_);
      location_ = (dir_ / "history.sqlite").string();
    }
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  std::unique_ptr<HistoryStore> Open() {
    Result<std::unique_ptr<HistoryStore>> store = HistoryStore::Open(location_);
    EXPECT_TRUE(store) << store.error();
    return store ? std::move(*store) : nullptr;
  }

  // Runs `body` in a child process; returns its pid.
  static pid_t Fork(const std::function<int()>& body) {
    pid_t pid = fork();
    if (pid == 0) _exit(body());
    return pid;
  }

  static int ExitCode(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }

  static inline PostgresServer* server_ = nullptr;
  static inline std::string skip_reason_;
  static inline int count_ = 0;
  std::string location_;
  fs::path dir_;
};

TEST_P(HistoryStoreTest, StoresARunWithItsContextAndLoadsTheSeries) {
  auto store = Open();
  ASSERT_TRUE(store);
  HistoryRunRecord run = MakeRun(1, {BenchmarkRecord("a.json", 9.5), BenchmarkRecord("b.json", 3)});
  run.pr_number = "42";
  run.shard_index = 1;
  run.shard_count = 2;
  run.tests[1].outcome = "failed";
  run.tests[1].failed_step = "run";
  AppendOutcome stored = store->AppendRun(run);
  ASSERT_TRUE(stored) << stored.error();
  EXPECT_EQ(*stored, Appended::kStored);
  stored = store->AppendRun(MakeRun(2, {BenchmarkRecord("a.json", 9.7)}));
  ASSERT_TRUE(stored) << stored.error();

  Result<HistoryData> loaded = store->Load({});
  ASSERT_TRUE(loaded) << loaded.error();
  const HistoryData& data = *loaded;
  ASSERT_EQ(data.runs.size(), 2u);
  EXPECT_EQ(data.runs[0].compiler_commit, "c0");
  ASSERT_EQ(data.series.size(), 2u);
  EXPECT_EQ(data.series[0].test_id, "a.json");
  ASSERT_EQ(data.series[0].points.size(), 2u);
  EXPECT_EQ(*data.series[0].points[1].min_ms, 9.7);
  EXPECT_EQ(*data.series[0].points[0].threshold_ms, 11.0);
  EXPECT_EQ(data.series[1].points[0].outcome, "failed");
  EXPECT_EQ(data.series[0].markers, (std::vector<std::string>{"cpu", "benchmark"}));

  // Everything else is in the tables, readable by any SQL tool.
  std::string row;
  Status read = store->db().Execute(
      "SELECT r.pr_number, r.shard_index, r.cpu_model, res.samples_ms, res.failed_step FROM "
      "results res JOIN runs r ON r.id = res.run_id JOIN tests t ON t.id = res.test_id "
      "WHERE t.name = 'b.json'",
      {}, [&row](const SqlRow& r) {
        row = fmt::format("{}|{}|{}|{}|{}", r.Text(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4));
      });
  ASSERT_TRUE(read) << read.error();
  EXPECT_EQ(row, "42|1|Test CPU|[3.0,3.0300000000000002,3.06]|run");
}

TEST_P(HistoryStoreTest, TheSameRunTwiceIsStoredOnce) {
  auto store = Open();
  ASSERT_TRUE(store);
  AppendOutcome first = store->AppendRun(MakeRun(1, {BenchmarkRecord("a.json", 9)}));
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, Appended::kStored);
  AppendOutcome again = store->AppendRun(MakeRun(1, {BenchmarkRecord("a.json", 9)}));
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(*again, Appended::kAlreadyThere);
  Result<int64_t> runs = CountRuns(*store);
  ASSERT_TRUE(runs) << runs.error();
  EXPECT_EQ(*runs, 1);
  int64_t results = 0;
  ASSERT_TRUE(store->db().Execute("SELECT count(*) FROM results", {},
                                  [&](const SqlRow& r) { results = r.Int(0); }));
  EXPECT_EQ(results, 1);
}

TEST_P(HistoryStoreTest, ATestKeepsItsIdAndTakesItsNewestMarkers) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->AppendRun(MakeRun(1, {BenchmarkRecord("a", 1), BenchmarkRecord("b", 1)})));
  HistoryRunRecord second = MakeRun(2, {BenchmarkRecord("a", 1), BenchmarkRecord("b", 1)});
  second.tests[1].markers = {"cpu", "nightly"};
  AppendOutcome stored = store->AppendRun(second);
  ASSERT_TRUE(stored) << stored.error();
  Result<HistoryData> loaded = store->Load({});
  ASSERT_TRUE(loaded) << loaded.error();
  const HistoryData& data = *loaded;
  ASSERT_EQ(data.series.size(), 2u);
  EXPECT_EQ(data.series[0].points.size(), 2u);
  EXPECT_EQ(data.series[0].markers, (std::vector<std::string>{"cpu", "benchmark"}));
  EXPECT_EQ(data.series[1].points.size(), 2u);
  EXPECT_EQ(data.series[1].markers, (std::vector<std::string>{"cpu", "nightly"}));
}

TEST_P(HistoryStoreTest, ARunThatFailsInABatchIsUndoneAloneAndTheOthersStay) {
  auto store = Open();
  ASSERT_TRUE(store);
  // Run 2 names test "y" twice: its results cannot both be stored, so it
  // fails after its new test row was written; that row goes with it.
  std::vector<HistoryRunRecord> batch = {
      MakeRun(1, {BenchmarkRecord("a", 1), BenchmarkRecord("x", 1)}),
      MakeRun(2, {BenchmarkRecord("a", 2), BenchmarkRecord("y", 2), BenchmarkRecord("y", 3)}),
      MakeRun(3, {BenchmarkRecord("a", 3), BenchmarkRecord("y", 4)}),
      MakeRun(1, {BenchmarkRecord("a", 1), BenchmarkRecord("x", 1)}),
  };
  Result<std::vector<AppendOutcome>> appended = store->AppendRuns(batch);
  ASSERT_TRUE(appended) << appended.error();
  const std::vector<AppendOutcome>& outcomes = *appended;
  ASSERT_EQ(outcomes.size(), 4u);
  ASSERT_TRUE(outcomes[0]) << outcomes[0].error();
  EXPECT_EQ(*outcomes[0], Appended::kStored);
  EXPECT_FALSE(outcomes[1]);  // failed
  ASSERT_TRUE(outcomes[2]) << outcomes[2].error();
  EXPECT_EQ(*outcomes[2], Appended::kStored);
  ASSERT_TRUE(outcomes[3]) << outcomes[3].error();
  EXPECT_EQ(*outcomes[3], Appended::kAlreadyThere);  // the same run as the first
  // A later transaction of the same store reuses what it learnt of "y"
  // from run 3, not from the undone run 2.
  AppendOutcome stored = store->AppendRun(MakeRun(4, {BenchmarkRecord("y", 5)}));
  ASSERT_TRUE(stored) << stored.error();
  EXPECT_EQ(*stored, Appended::kStored);
  Result<HistoryData> loaded = store->Load({});
  ASSERT_TRUE(loaded) << loaded.error();
  const HistoryData& data = *loaded;
  ASSERT_EQ(data.runs.size(), 3u);
  ASSERT_EQ(data.series.size(), 3u);
  EXPECT_EQ(data.series[0].points.size(), 2u);  // a: runs 1 and 3
  ASSERT_EQ(data.series[2].test_id, "y");
  ASSERT_EQ(data.series[2].points.size(), 2u);
  EXPECT_EQ(*data.series[2].points[0].min_ms, 4);
  EXPECT_EQ(*data.series[2].points[1].min_ms, 5);
}

TEST_P(HistoryStoreTest, TextWithTabsNewlinesAndBackslashesIsStoredAsGiven) {
  auto store = Open();
  ASSERT_TRUE(store);
  HistoryRunRecord run = MakeRun(1, {BenchmarkRecord("a", 1), BenchmarkRecord("b", 1)});
  const std::string reason = "line 1\tcolumn\nline 2\r\\N \\t C:\\path";
  run.tests[0].reason = reason;
  run.tests[1].reason = std::string("nul\0byte", 8);
  AppendOutcome stored = store->AppendRun(run);
  ASSERT_TRUE(stored) << stored.error();
  ASSERT_EQ(*stored, Appended::kStored);
  std::vector<std::string> reasons;
  Status read = store->db().Execute("SELECT reason FROM results ORDER BY test_id", {},
                                    [&](const SqlRow& row) { reasons.push_back(row.Text(0)); });
  ASSERT_TRUE(read) << read.error();
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0], reason);
  // PostgreSQL text cannot hold a NUL: the rest of the text is kept.
  EXPECT_EQ(reasons[1], GetParam() == Backend::kPostgres ? "nulbyte" : std::string("nul\0byte", 8));
}

TEST_P(HistoryStoreTest, FiltersBySinceAndHost) {
  auto store = Open();
  ASSERT_TRUE(store);
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(store->AppendRun(MakeRun(i, {BenchmarkRecord("a.json", 9)}, 0, i % 2 ? "b" : "a")));
  }
  Result<HistoryData> since = store->Load({"2025-01-03", ""});
  ASSERT_TRUE(since) << since.error();
  EXPECT_EQ(since->runs.size(), 4u);
  Result<HistoryData> on_host = store->Load({"2025-01-03", "b"});
  ASSERT_TRUE(on_host) << on_host.error();
  EXPECT_EQ(on_host->runs.size(), 2u);
  ASSERT_EQ(on_host->series.size(), 1u);
  EXPECT_EQ(on_host->series[0].points.size(), 2u);
}

TEST_P(HistoryStoreTest, TwoWritersAtOnceBothLand) {
  { ASSERT_TRUE(Open()); }  // schema in place; the writers race on the rows
  auto writer = [this](int first) {
    return [this, first] {
      Result<std::unique_ptr<HistoryStore>> store = HistoryStore::Open(location_);
      if (!store) return 10;
      for (int i = first; i < first + 15; ++i) {
        std::vector<HistoryTestRecord> tests;
        for (int t = 0; t < 50; ++t) tests.push_back(BenchmarkRecord(fmt::format("t{}", t), 5));
        AppendOutcome stored = (*store)->AppendRun(MakeRun(i, tests));
        if (!stored || *stored != Appended::kStored) return 11;
      }
      return 0;
    };
  };
  pid_t a = Fork(writer(0));
  pid_t b = Fork(writer(100));
  EXPECT_EQ(ExitCode(a), 0);
  EXPECT_EQ(ExitCode(b), 0);
  auto store = Open();
  ASSERT_TRUE(store);
  Result<int64_t> runs = CountRuns(*store);
  ASSERT_TRUE(runs) << runs.error();
  EXPECT_EQ(*runs, 30);
}

TEST_P(HistoryStoreTest, AKilledWriterLeavesNoHalfRun) {
  { ASSERT_TRUE(Open()); }
  std::vector<HistoryTestRecord> tests;
  for (int t = 0; t < 4000; ++t) tests.push_back(BenchmarkRecord(fmt::format("t{}", t), 5));
  // Kill writers at growing delays: some die before, some during, some after the commit.
  for (int attempt = 0; attempt < 8; ++attempt) {
    pid_t pid = Fork([&] {
      Result<std::unique_ptr<HistoryStore>> store = HistoryStore::Open(location_);
      for (int i = 0; store && i < 1000; ++i) {
        (void)(*store)->AppendRun(MakeRun(attempt * 1000 + i, tests));
      }
      return 0;
    });
    usleep(static_cast<useconds_t>(20000 + attempt * 15000));
    kill(pid, SIGKILL);
    ExitCode(pid);
  }
  auto store = Open();
  ASSERT_TRUE(store);
  std::vector<std::string> half;
  Status read = store->db().Execute(
      "SELECT r.run_key, r.test_count, (SELECT count(*) FROM results res WHERE res.run_id = "
      "r.id) FROM runs r",
      {}, [&half](const SqlRow& row) {
        if (row.Int(1) != row.Int(2)) half.push_back(row.Text(0));
      });
  ASSERT_TRUE(read) << read.error();
  EXPECT_TRUE(half.empty()) << half.front();
  // And the store still takes runs.
  AppendOutcome stored = store->AppendRun(MakeRun(99999, {BenchmarkRecord("x", 1)}));
  EXPECT_TRUE(stored) << stored.error();
}

INSTANTIATE_TEST_SUITE_P(Backends, HistoryStoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& param_info) {
                           return param_info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
                         });

// --- faults of the SQLite file and of the schema ---

class HistoryFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fmt::format("iree-suite-history-file-{}", getpid());
    fs::create_directories(dir_);
    path_ = (dir_ / "history.sqlite").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string OpenError() {
    Result<std::unique_ptr<HistoryStore>> store = HistoryStore::Open(path_);
    EXPECT_FALSE(store);
    return store ? "" : store.error();
  }
  std::unique_ptr<SqlDatabase> OpenFile() {
    Result<std::unique_ptr<SqlDatabase>> db = OpenSqliteDatabase(path_, 1000);
    EXPECT_TRUE(db) << db.error();
    return db ? std::move(*db) : nullptr;
  }
  fs::path dir_;
  std::string path_;
};

TEST_F(HistoryFileTest, ACorruptFileIsNamedAndKept) {
  std::ofstream(path_) << std::string(4096, 'x');
  std::string error = OpenError();
  EXPECT_NE(error.find(path_), std::string::npos) << error;
  EXPECT_NE(error.find("not a database"), std::string::npos) << error;
  EXPECT_EQ(fs::file_size(path_), 4096u);  // nothing overwritten
}

TEST_F(HistoryFileTest, AForeignSqliteFileIsRefused) {
  {
    auto db = OpenFile();
    ASSERT_TRUE(db && db->ExecScript("CREATE TABLE photos (id INTEGER)"));
  }
  std::string error = OpenError();
  EXPECT_NE(error.find("not an iree-suite history database"), std::string::npos) << error;
  EXPECT_NE(error.find("photos"), std::string::npos) << error;
}

TEST_F(HistoryFileTest, ASchemaNewerThanTheBinaryIsRefused) {
  {
    Result<std::unique_ptr<HistoryStore>> store = HistoryStore::Open(path_);
    ASSERT_TRUE(store) << store.error();
  }
  {
    auto db = OpenFile();
    ASSERT_TRUE(db && db->ExecScript(
                          "UPDATE iree_suite_meta SET value = '99' WHERE key = 'schema_version'"));
  }
  std::string error = OpenError();
  EXPECT_NE(error.find("version 99, newer than this iree-suite"), std::string::npos) << error;
}

TEST_F(HistoryFileTest, AnOlderSchemaIsMigratedForwardKeepingItsRuns) {
  {
    auto db = OpenFile();
    ASSERT_TRUE(db);
    Status migrated = MigrateHistorySchema(*db, 1);
    ASSERT_TRUE(migrated) << migrated.error();
    HistoryStore old_store(std::move(db));
    AppendOutcome stored = old_store.AppendRun(MakeRun(1, {BenchmarkRecord("a", 2)}));
    ASSERT_TRUE(stored) << stored.error();
  }
  Result<std::unique_ptr<HistoryStore>> opened = HistoryStore::Open(path_);
  ASSERT_TRUE(opened) << opened.error();
  HistoryStore& store = **opened;
  std::string version;
  int64_t indexes = 0;
  ASSERT_TRUE(store.db().Execute("SELECT value FROM iree_suite_meta WHERE key = 'schema_version'",
                                 {}, [&](const SqlRow& row) { version = row.Text(0); }));
  ASSERT_TRUE(store.db().Execute(
      "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'results_by_test'", {},
      [&](const SqlRow& row) { indexes = row.Int(0); }));
  EXPECT_EQ(version, std::to_string(kHistorySchemaVersion));
  EXPECT_EQ(indexes, 1);
  Result<int64_t> runs = CountRuns(store);
  ASSERT_TRUE(runs) << runs.error();
  EXPECT_EQ(*runs, 1);
}

TEST(HistoryPostgresTest, AnUnreachableServerIsOneClearError) {
  Result<std::unique_ptr<HistoryStore>> store =
      HistoryStore::Open("postgresql://iree:secret@127.0.0.1:1/history?connect_timeout=2");
  ASSERT_FALSE(store);
  const std::string& error = store.error();
  EXPECT_NE(error.find("postgresql://iree:***@127.0.0.1:1/history"), std::string::npos) << error;
  EXPECT_EQ(error.find("secret"), std::string::npos) << error;
}

}  // namespace
}  // namespace iree_suite
