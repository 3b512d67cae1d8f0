// `history import` of many files: parsed ahead on worker threads, written in
// the files' order, a batch of runs per transaction.
#include "history/history_import.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "history/history_store.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

class HistoryImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fmt::format("iree-suite-import-{}", getpid());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Run `index`: one benchmark, started `index` minutes after midnight.
  fs::path WriteResults(int index) {
    const fs::path path = dir_ / fmt::format("results_{:03}.json", index);
    std::ofstream(path) << fmt::format(
        R"({{"schema": "iree-suite-results", "version": 1, "context": {{
          "run_id": "run-{0}", "start_time": "2025-01-01T{1:02}:{2:02}:00Z"}},
          "tests": [{{"id": "m.json", "type": "benchmark", "outcome": "passed",
                      "benchmark": {{"unit": "ms", "samples": [{0}.5]}}}}]}})",
        index, index / 60, index % 60);
    return path;
  }

  fs::path dir_;
};

TEST_F(HistoryImportTest, ManyFilesLandInOrderOnceEachAndABadOneIsReported) {
  // More files than the parsers may run ahead and than one transaction holds.
  const int count = static_cast<int>(3 * kImportRunsPerTransaction + 7);
  std::vector<fs::path> files;
  for (int i = 0; i < count; ++i) files.push_back(WriteResults(i));
  const fs::path bad = dir_ / "bad.json";
  std::ofstream(bad) << "{";
  files.insert(files.begin() + 60, bad);
  files.push_back(files[3]);  // the same run again
  Result<std::unique_ptr<HistoryStore>> opened =
      HistoryStore::Open((dir_ / "history.sqlite").string());
  ASSERT_TRUE(opened) << opened.error();
  HistoryStore* store = opened->get();
  std::vector<std::string> problems;
  const ImportCounts counts = ImportResultsFiles(
      *store, files, 3, [&](const std::string& problem) { problems.push_back(problem); });
  EXPECT_EQ(counts.added, static_cast<size_t>(count));
  EXPECT_EQ(counts.known, 1u);
  EXPECT_EQ(counts.bad, 1u);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("bad.json"), std::string::npos) << problems[0];
  // Written in the files' order: ids follow the file names.
  std::vector<std::string> keys;
  Status read = store->db().Execute("SELECT run_key FROM runs ORDER BY id", {},
                                    [&](const SqlRow& row) { keys.push_back(row.Text(0)); });
  ASSERT_TRUE(read) << read.error();
  ASSERT_EQ(keys.size(), static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) EXPECT_EQ(keys[i], fmt::format("run-{}", i));
  Result<HistoryData> loaded = store->Load({});
  ASSERT_TRUE(loaded) << loaded.error();
  const HistoryData& data = *loaded;
  ASSERT_EQ(data.series.size(), 1u);
  ASSERT_EQ(data.series[0].points.size(), static_cast<size_t>(count));
  EXPECT_EQ(*data.series[0].points[count - 1].min_ms, count - 1 + 0.5);
}

}  // namespace
}  // namespace iree_suite
