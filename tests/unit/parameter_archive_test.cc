#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "artifacts/parameters/archive_writer.h"
#include "artifacts/parameters/counter_rng.h"
#include "artifacts/parameters/irpa_reader.h"
#include "artifacts/parameters/parameter_fill.h"
#include "test_helpers.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

using testing_helpers::ReadFile;

class ParameterArchiveTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) /
           ("parameter_archive_" +
            std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static ArchiveContents Mixed(uint64_t seed) {
    ArchiveContents contents;
    contents.seed = seed;
    contents.parameters = {
        {"embed", ElementType::kF16, 2 * 300007}, {"scale", ElementType::kBF16, 2 * 17},
        {"q", ElementType::kF8E4M3FNUZ, 70001},   {"ids", ElementType::kI64, 8 * 999},
        {"mask", ElementType::kI1, 4099},         {"norm", ElementType::kF32, 4 * 100003},
        {"empty", ElementType::kF64, 0}};
    return contents;
  }

  std::string Write(const ArchiveContents& contents, const std::string& name, unsigned threads,
                    size_t block_bytes) {
    ArchiveWriteOptions options;
    options.threads = threads;
    options.block_bytes = block_bytes;
    const fs::path path = dir_ / name;
    Status written = WriteParameterArchive(contents, path, options);
    EXPECT_TRUE(written) << written.error();
    return ReadFile(path);
  }

  fs::path dir_;
};

TEST_F(ParameterArchiveTest, SameSeedGivesTheSameBytesWhateverTheThreadsAndBlocks) {
  const std::string one = Write(Mixed(42), "one.irpa", 1, 4 << 20);
  EXPECT_EQ(one, Write(Mixed(42), "many.irpa", 8, 4096));
  EXPECT_EQ(one, Write(Mixed(42), "odd.irpa", 3, 1000));
}

TEST_F(ParameterArchiveTest, DataIsTheGeneratorsAtTheIndexedOffsets) {
  const ArchiveContents contents = Mixed(5);
  const std::string file = Write(contents, "a.irpa", 2, 8192);
  auto entries = ReadIrpaIndex(dir_ / "a.irpa");
  ASSERT_TRUE(entries) << entries.error();
  ASSERT_EQ(entries->size(), contents.parameters.size());
  for (size_t i = 0; i < entries->size(); ++i) {
    const ArchiveParameter& parameter = contents.parameters[i];
    const IrpaIndexEntry& entry = (*entries)[i];
    EXPECT_EQ(entry.name, parameter.name);
    EXPECT_EQ(entry.length, parameter.byte_length);
    EXPECT_TRUE(entry.splat_pattern.empty());
    EXPECT_EQ(entry.data_offset % 64, 0u);
    std::string expected(parameter.byte_length, '\0');
    const size_t count = parameter.byte_length / ElementByteSize(parameter.type);
    FillRandom(parameter.type, ParameterStreamKey(5, parameter.name), 0, count,
               reinterpret_cast<uint8_t*>(expected.data()));
    EXPECT_EQ(file.substr(entry.data_offset, entry.length), expected) << parameter.name;
  }
  EXPECT_EQ(file.size() % 4096, 0u);
}

TEST_F(ParameterArchiveTest, DifferentSeedsGiveDifferentData) {
  const std::string a = Write(Mixed(1), "a.irpa", 2, 1 << 20);
  const std::string b = Write(Mixed(2), "b.irpa", 2, 1 << 20);
  ASSERT_EQ(a.size(), b.size());
  auto entries = ReadIrpaIndex(dir_ / "a.irpa");
  ASSERT_TRUE(entries) << entries.error();
  for (const IrpaIndexEntry& entry : *entries) {
    if (entry.length < 8) continue;
    EXPECT_NE(a.substr(entry.data_offset, entry.length), b.substr(entry.data_offset, entry.length))
        << entry.name;
  }
}

TEST_F(ParameterArchiveTest, SplatArchivesHoldNoData) {
  ArchiveContents contents = Mixed(0);
  contents.kind = ArchiveContents::Kind::kSplat;
  contents.splat_value = 0.5;
  contents.parameters.push_back({"huge", ElementType::kF16, uint64_t{16} << 30});
  EXPECT_EQ(ArchiveDataBytes(contents), 0u);
  const std::string file = Write(contents, "s.irpa", 0, 4 << 20);
  EXPECT_EQ(file.size(), 4096u);
  auto entries = ReadIrpaIndex(dir_ / "s.irpa");
  ASSERT_TRUE(entries) << entries.error();
  ASSERT_EQ(entries->size(), contents.parameters.size());
  EXPECT_EQ((*entries)[0].splat_pattern, (std::vector<uint8_t>{0x00, 0x38}));  // f16 0.5
  EXPECT_EQ((*entries)[3].splat_pattern, (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ((*entries)[4].splat_pattern, (std::vector<uint8_t>{1}));
  EXPECT_EQ(entries->back().length, uint64_t{16} << 30);
}

TEST_F(ParameterArchiveTest, KeepsAnArchiveThatAppearedMeanwhile) {
  const fs::path path = dir_ / "taken.irpa";
  std::ofstream(path) << "theirs";
  ArchiveWriteOptions options;
  options.replace_existing = false;
  EXPECT_TRUE(WriteParameterArchive(Mixed(1), path, options));
  EXPECT_EQ(ReadFile(path), "theirs");
  options.replace_existing = true;
  EXPECT_TRUE(WriteParameterArchive(Mixed(1), path, options));
  EXPECT_NE(ReadFile(path), "theirs");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(ParameterArchiveTest, AnArchiveLargerThanTheFreeSpaceIsRefusedBeforeAnyWrite) {
  ArchiveContents contents;
  contents.parameters = {{"huge", ElementType::kI8, uint64_t{1} << 61}};  // 2 EiB: no disk
  const fs::path path = dir_ / "huge.irpa";
  Status written = WriteParameterArchive(contents, path, {});
  ASSERT_FALSE(written);
  const std::string& error = written.error();
  EXPECT_EQ(error.rfind(path.string() + ": the archive needs 2305843009213698048 bytes, " +
                            dir_.string() + " has ",
                        0),
            0u)
      << error;
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(ParameterArchiveTest, SizesThatWrapAreAnErrorNotAnAllocation) {
  ArchiveContents contents;
  contents.parameters = {{"a", ElementType::kI8, uint64_t{1} << 63},
                         {"b", ElementType::kI8, uint64_t{1} << 63}};
  Status written = WriteParameterArchive(contents, dir_ / "wrap.irpa", {});
  ASSERT_FALSE(written);
  const std::string& error = written.error();
  EXPECT_EQ(error.rfind("parameter \"a\": 9223372036854775808 bytes would make the archive", 0), 0u)
      << error;
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(ParameterArchiveTest, InterruptionLeavesNothingBehind) {
  ArchiveWriteOptions options;
  options.block_bytes = 4096;
  std::atomic<int> polls{0};
  options.cancelled = [&] { return ++polls > 3; };
  Status written = WriteParameterArchive(Mixed(1), dir_ / "x.irpa", options);
  ASSERT_FALSE(written);
  const std::string& error = written.error();
  EXPECT_NE(error.find("interrupted"), std::string::npos) << error;
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(ParameterArchiveTest, ReportsProgress) {
  ArchiveWriteOptions options;
  options.threads = 1;
  options.block_bytes = 4096;
  options.progress_interval_s = 0.0001;
  std::vector<std::pair<uint64_t, uint64_t>> reports;
  options.progress = [&](uint64_t done, uint64_t total) { reports.push_back({done, total}); };
  ArchiveContents contents;
  contents.parameters = {{"big", ElementType::kF16, 16 << 20}};
  ASSERT_TRUE(WriteParameterArchive(contents, dir_ / "p.irpa", options));
  ASSERT_FALSE(reports.empty());
  for (auto [done, total] : reports) {
    EXPECT_EQ(total, uint64_t{16} << 20);
    EXPECT_LE(done, total);
  }
}

}  // namespace
}  // namespace iree_suite
