#include "artifacts/cache_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>

#include "artifacts/entry_manifest.h"
#include "artifacts/fetch/digest.h"
#include "artifacts/fetch/download_cache.h"
#include "base/file_lock.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, const std::string& contents) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
}

// Sets every file of an entry to `hours_ago`, so tests control "last use".
void Age(const fs::path& path, int hours_ago) {
  const auto when = fs::file_time_type::clock::now() - std::chrono::hours(hours_ago);
  if (fs::is_regular_file(path)) {
    fs::last_write_time(path, when);
    return;
  }
  for (const auto& item : fs::recursive_directory_iterator(path)) {
    if (item.is_regular_file()) fs::last_write_time(item.path(), when);
  }
}

std::string Irpa(size_t size) {
  std::string bytes = "IRPA";
  bytes.resize(size, '\0');
  return bytes;
}

class CacheStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            fmt::format("cache_store_{}_{}", ::getpid(),
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // A complete download entry, as the fetcher leaves it. Returns its directory.
  fs::path AddDownload(const std::string& url, const std::string& contents) {
    const fs::path entry = CacheLayout(root_).DownloadEntry(url);
    WriteFile(entry / DownloadFileName(url), contents);
    WriteFile(entry / kDownloadLockName, "");
    Md5Stream md5;
    md5.Update(contents.data(), contents.size());
    DownloadMeta meta;
    meta.url = url;
    meta.fetched_from = url;
    meta.size = contents.size();
    meta.md5 = HexEncode(md5.Digest());
    meta.fetched_at = UtcTimestamp();
    EXPECT_TRUE(WriteDownloadMeta(entry / kDownloadMetaName, meta));
    return entry;
  }
  fs::path AddModule(const std::string& module, const std::string& key, size_t vmfb_bytes) {
    const fs::path entry = root_ / "modules" / module / key;
    WriteFile(entry / "module.vmfb", "PK\x03\x04" + std::string(vmfb_bytes - 4, 'v'));
    WriteFile(entry / "compile_stats.json", R"({"dispatches": 3})");
    WriteFile(entry / "compile.log", "");
    WriteFile(entry.string() + ".lock", "");
    EXPECT_TRUE(WriteEntryManifest(entry, {"module.vmfb", "compile_stats.json", "compile.log"}));
    return entry;
  }
  fs::path AddParameters(const std::string& module, const std::string& name,
                         const std::string& contents) {
    const fs::path path = root_ / "parameters" / module / name;
    WriteFile(path, contents);
    WriteFile(path.string() + ".lock", "");
    return path;
  }

  fs::path root_;
};

TEST_F(CacheStoreTest, InfoCountsEntriesBytesAndLeftovers) {
  AddDownload("https://example.com/a/model.mlir", std::string(100, 'a'));
  AddDownload("https://example.com/b/weights.irpa", std::string(50, 'b'));
  // A failed fetch leaves only the lock: not an entry.
  WriteFile(CacheLayout(root_).DownloadEntry("https://example.com/gone") / kDownloadLockName, "");
  AddModule("clip", "0123456789abcdef", 1000);
  WriteFile(root_ / "modules/clip/fedcba9876543210.failed/compile.log", "error: x");
  AddParameters("clip", "0123456789abcdef-random.irpa", Irpa(4096));
  WriteFile(root_ / "logs/test_a/stdout.txt", "12345");
  // Leftovers: a partial download, a compile's staging directory, a temp archive.
  const fs::path partial = CacheLayout(root_).DownloadEntry("https://example.com/a/model.mlir") /
                           "model.mlir.partial.77";
  WriteFile(partial, std::string(7, 'p'));
  WriteFile(root_ / "modules/clip/0123456789abcdef.tmp.77.0/module.vmfb", std::string(20, 't'));
  WriteFile(root_ / "parameters/clip/x.irpa.tmp.77.1", std::string(3, 't'));

  CacheInfo info = GetCacheInfo(root_);
  EXPECT_TRUE(info.errors.empty());
  const auto& downloads = info.kinds[static_cast<int>(CacheKind::kDownloads)];
  EXPECT_EQ(downloads.entries, 2u);
  // Data plus meta.json, nothing of the lock or the partial.
  uint64_t meta_bytes = 0;
  for (const auto& item : fs::recursive_directory_iterator(root_ / "downloads")) {
    if (item.path().filename() == kDownloadMetaName) meta_bytes += item.file_size();
  }
  EXPECT_EQ(downloads.bytes, 150u + meta_bytes);
  const auto& modules = info.kinds[static_cast<int>(CacheKind::kModules)];
  EXPECT_EQ(modules.entries, 2u);
  uint64_t manifest_bytes = 0;  // each entry's record of its files
  for (const auto& item : fs::recursive_directory_iterator(root_ / "modules")) {
    if (item.path().filename() == "manifest.json") manifest_bytes += item.file_size();
  }
  EXPECT_EQ(modules.bytes, 1000u + 17u + 8u + manifest_bytes);
  const auto& parameters = info.kinds[static_cast<int>(CacheKind::kParameters)];
  EXPECT_EQ(parameters.entries, 1u);
  EXPECT_EQ(parameters.bytes, 4096u);
  const auto& logs = info.kinds[static_cast<int>(CacheKind::kLogs)];
  EXPECT_EQ(logs.entries, 1u);
  EXPECT_EQ(logs.bytes, 5u);

  ASSERT_EQ(info.leftovers.size(), 3u);
  EXPECT_EQ(info.leftover_bytes, 30u);
  EXPECT_EQ(info.total_entries, 6u);
  EXPECT_EQ(info.total_bytes, downloads.bytes + modules.bytes + 4096u + 5u + 30u);
}

TEST_F(CacheStoreTest, InfoOfAMissingDirectoryIsEmpty) {
  CacheInfo info = GetCacheInfo(root_ / "nothing");
  EXPECT_EQ(info.total_entries, 0u);
  EXPECT_EQ(info.total_bytes, 0u);
  EXPECT_TRUE(info.errors.empty());
}

TEST_F(CacheStoreTest, VerifyAcceptsAnIntactCache) {
  AddDownload("https://example.com/model.mlir", "module {}");
  AddModule("clip", "0123456789abcdef", 10);
  AddParameters("clip", "0123456789abcdef-splat.irpa", Irpa(8192));
  CacheVerifyReport report = VerifyCache(root_, /*fix=*/false);
  EXPECT_EQ(report.checked, 3u);
  EXPECT_TRUE(report.problems.empty()) << report.problems[0].what;
  EXPECT_TRUE(report.errors.empty());
}

TEST_F(CacheStoreTest, VerifyFindsDamageAndFixRemovesIt) {
  const std::string good_url = "https://example.com/good.bin";
  const fs::path good = AddDownload(good_url, "fine");
  const std::string truncated_url = "https://example.com/truncated.bin";
  const fs::path truncated = AddDownload(truncated_url, "0123456789");
  WriteFile(truncated / "truncated.bin", "01234");
  const std::string altered_url = "https://example.com/altered.bin";
  const fs::path altered = AddDownload(altered_url, "0123456789");
  WriteFile(altered / "altered.bin", "0123456780");  // same size
  const fs::path no_meta = AddDownload("https://example.com/no_meta.bin", "data");
  fs::remove(no_meta / kDownloadMetaName);
  const fs::path module_ok = AddModule("clip", "aaaaaaaaaaaaaaaa", 10);
  const fs::path module_bad = AddModule("clip", "bbbbbbbbbbbbbbbb", 10);
  fs::remove(module_bad / "module.vmfb");
  const fs::path stats_bad = AddModule("unet", "cccccccccccccccc", 10);
  WriteFile(stats_bad / "compile_stats.json", "{\"dispatches\": ");
  // Truncated after it was published, and same size but other bytes.
  const fs::path vmfb_short = AddModule("unet", "dddddddddddddddd", 10);
  fs::resize_file(vmfb_short / "module.vmfb", 4);
  const fs::path vmfb_altered = AddModule("unet", "eeeeeeeeeeeeeeee", 10);
  WriteFile(vmfb_altered / "module.vmfb", "PK\x03\x04" + std::string(6, 'w'));
  const fs::path irpa_ok = AddParameters("clip", "aaaaaaaaaaaaaaaa-random.irpa", Irpa(4096));
  std::string not_irpa = Irpa(4096);
  not_irpa[0] = 'X';
  const fs::path irpa_bad = AddParameters("clip", "bbbbbbbbbbbbbbbb-random.irpa", not_irpa);
  const fs::path irpa_short = AddParameters("clip", "cccccccccccccccc-splat.irpa", Irpa(100));

  CacheVerifyReport report = VerifyCache(root_, /*fix=*/false);
  EXPECT_EQ(report.checked, 12u);
  std::map<fs::path, std::string> found;  // entry -> what, all problems joined
  for (const CacheProblem& problem : report.problems) {
    EXPECT_FALSE(problem.removed);
    found[problem.entry] += problem.path.filename().string() + ": " + problem.what + "; ";
  }
  ASSERT_EQ(found.size(), 9u);
  EXPECT_NE(found[truncated].find("truncated.bin: size 5 differs from meta.json's 10 (truncated)"),
            std::string::npos)
      << found[truncated];
  EXPECT_NE(found[altered].find("altered.bin: MD5"), std::string::npos) << found[altered];
  EXPECT_NE(found[no_meta].find("no_meta.bin: data file without a valid meta.json"),
            std::string::npos)
      << found[no_meta];
  EXPECT_NE(found[module_bad].find("module.vmfb: module.vmfb missing"), std::string::npos)
      << found[module_bad];
  EXPECT_NE(found[stats_bad].find("compile_stats.json: does not parse"), std::string::npos)
      << found[stats_bad];
  EXPECT_NE(found[vmfb_short].find("module.vmfb: 4 bytes, 10 when published (truncated)"),
            std::string::npos)
      << found[vmfb_short];
  EXPECT_NE(found[vmfb_altered].find("module.vmfb: contents differ from when published"),
            std::string::npos)
      << found[vmfb_altered];
  EXPECT_NE(found[irpa_bad].find("IRPA"), std::string::npos) << found[irpa_bad];
  EXPECT_NE(found[irpa_short].find("not a multiple of 4096"), std::string::npos)
      << found[irpa_short];

  CacheVerifyReport fixed = VerifyCache(root_, /*fix=*/true);
  EXPECT_EQ(fixed.problems.size(), report.problems.size());
  for (const CacheProblem& problem : fixed.problems) {
    EXPECT_TRUE(problem.removed) << problem.fix_error;
  }
  EXPECT_FALSE(fs::exists(truncated / "truncated.bin"));
  EXPECT_FALSE(fs::exists(altered / kDownloadMetaName));
  EXPECT_FALSE(fs::exists(no_meta / "no_meta.bin"));
  EXPECT_TRUE(fs::exists(truncated / kDownloadLockName));  // locks stay
  EXPECT_FALSE(fs::exists(module_bad));
  EXPECT_FALSE(fs::exists(stats_bad));
  EXPECT_FALSE(fs::exists(irpa_bad));
  EXPECT_FALSE(fs::exists(irpa_short));
  // The intact entries survive, and the cache now verifies clean.
  EXPECT_TRUE(fs::exists(good / "good.bin"));
  EXPECT_TRUE(fs::exists(module_ok / "module.vmfb"));
  EXPECT_TRUE(fs::exists(irpa_ok));
  CacheVerifyReport after = VerifyCache(root_, /*fix=*/false);
  EXPECT_TRUE(after.problems.empty());
  EXPECT_EQ(after.checked, 3u);
}

TEST_F(CacheStoreTest, VerifySkipsAnEntryInUse) {
  const fs::path entry = AddModule("clip", "bbbbbbbbbbbbbbbb", 10);
  fs::remove(entry / "module.vmfb");  // as if being compiled right now
  FileLock held;
  ASSERT_TRUE(held.Acquire(entry.string() + ".lock"));
  CacheVerifyReport report = VerifyCache(root_, /*fix=*/true);
  EXPECT_TRUE(report.problems.empty());
  ASSERT_EQ(report.skipped_in_use.size(), 1u);
  EXPECT_EQ(report.skipped_in_use[0], entry);
  EXPECT_TRUE(fs::exists(entry));
}

TEST_F(CacheStoreTest, PruneDeletesOldestFirstDownToTheLimit) {
  const fs::path oldest = AddParameters("m", "1111111111111111-random.irpa", Irpa(4096));
  const fs::path old = AddModule("m", "2222222222222222", 4096);
  const fs::path recent = AddParameters("m", "3333333333333333-splat.irpa", Irpa(4096));
  const fs::path newest = AddModule("m", "4444444444444444", 4096);
  Age(oldest, 40);
  Age(old, 30);
  Age(recent, 20);
  Age(newest, 10);
  // One fresh file makes a whole entry recent: last use is its newest file.
  Age(old, 50);
  Age(old / "compile.log", 5);
  const uint64_t before = GetCacheInfo(root_).total_bytes;

  PruneReport report = PruneCache(root_, {before - 4096, /*dry_run=*/false});
  EXPECT_TRUE(report.errors.empty());
  EXPECT_EQ(report.bytes_before, before);
  ASSERT_EQ(report.deleted.size(), 1u);
  EXPECT_EQ(report.deleted[0].path, oldest);
  EXPECT_EQ(report.bytes_after, before - 4096);
  EXPECT_FALSE(fs::exists(oldest));
  EXPECT_TRUE(fs::exists(oldest.string() + ".lock"));

  report = PruneCache(root_, {4096 + 1000, /*dry_run=*/false});
  ASSERT_EQ(report.deleted.size(), 2u);
  EXPECT_EQ(report.deleted[0].path, recent);
  EXPECT_EQ(report.deleted[1].path, newest);
  EXPECT_TRUE(fs::exists(old / "module.vmfb"));
  EXPECT_EQ(report.bytes_after, GetCacheInfo(root_).total_bytes);
  EXPECT_LE(report.bytes_after, 4096u + 1000u);

  // Already small enough: nothing to do.
  report = PruneCache(root_, {1u << 30, /*dry_run=*/false});
  EXPECT_TRUE(report.deleted.empty());
}

TEST_F(CacheStoreTest, PruneSkipsALockedEntry) {
  const fs::path oldest = AddDownload("https://example.com/oldest.bin", std::string(4096, 'o'));
  const fs::path next = AddParameters("m", "1111111111111111-random.irpa", Irpa(4096));
  const fs::path newest = AddModule("m", "2222222222222222", 4096);
  Age(oldest, 30);
  Age(next, 20);
  Age(newest, 10);
  FileLock held;
  ASSERT_TRUE(held.Acquire(oldest / kDownloadLockName));

  PruneReport report = PruneCache(root_, {0, /*dry_run=*/false});
  ASSERT_EQ(report.skipped_locked.size(), 1u);
  EXPECT_EQ(report.skipped_locked[0].path, oldest);
  ASSERT_EQ(report.deleted.size(), 2u);
  EXPECT_EQ(report.deleted[0].path, next);
  EXPECT_EQ(report.deleted[1].path, newest);
  EXPECT_TRUE(fs::exists(oldest / "oldest.bin"));
  EXPECT_FALSE(fs::exists(next));
  EXPECT_FALSE(fs::exists(newest));
  EXPECT_EQ(report.bytes_after, GetCacheInfo(root_).total_bytes);
}

TEST_F(CacheStoreTest, PruneDryRunOnlyLists) {
  const fs::path entry = AddModule("m", "2222222222222222", 4096);
  PruneReport report = PruneCache(root_, {0, /*dry_run=*/true});
  ASSERT_EQ(report.deleted.size(), 1u);
  EXPECT_EQ(report.deleted[0].path, entry);
  EXPECT_EQ(report.bytes_after, 0u);
  EXPECT_TRUE(fs::exists(entry / "module.vmfb"));
}

// Plants links from every level of the layout to a directory outside.
class CacheSymlinkTest : public CacheStoreTest {
 protected:
  void SetUp() override {
    CacheStoreTest::SetUp();
    precious_ = root_.parent_path() / (root_.filename().string() + "_precious");
    fs::remove_all(precious_);
    WriteFile(precious_ / "notes.txt", "keep me");
    WriteFile(precious_ / "photos" / "cat.jpg", std::string(5000, 'c'));
    WriteFile(precious_ / "module.vmfb.tmp.1.0", "");  // looks like a leftover
    fs::create_directories(root_ / "modules" / "real");
    fs::create_directories(root_ / "parameters");
    fs::create_directory_symlink(precious_, root_ / "modules" / "linked");
    fs::create_directory_symlink(precious_, root_ / "modules" / "real" / "aaaaaaaaaaaaaaaa");
    fs::create_directory_symlink(precious_, root_ / "parameters" / "linked");
    fs::create_directory_symlink(precious_, root_ / "downloads");
    fs::create_directory_symlink(precious_, root_ / "logs");
  }
  void TearDown() override {
    fs::remove_all(precious_);
    CacheStoreTest::TearDown();
  }
  void ExpectPreciousIntact() {
    std::vector<std::string> names;
    for (const auto& item : fs::recursive_directory_iterator(precious_)) {
      names.push_back(item.path().lexically_relative(precious_).string());
    }
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"module.vmfb.tmp.1.0", "notes.txt", "photos",
                                               "photos/cat.jpg"}));
  }
  fs::path precious_;
};

TEST_F(CacheSymlinkTest, VerifyFixNeverFollowsALinkOutOfTheArtifactDirectory) {
  CacheVerifyReport report = VerifyCache(root_, /*fix=*/true);
  ExpectPreciousIntact();
  EXPECT_TRUE(report.problems.empty());
  EXPECT_TRUE(report.removed_leftovers.empty());
  std::vector<std::string> expected;
  for (const char* link : {"downloads", "modules/linked", "modules/real/aaaaaaaaaaaaaaaa",
                           "parameters/linked", "logs"}) {
    expected.push_back((root_ / link).string());
  }
  std::vector<std::string> named;
  for (const std::string& error : report.errors) {
    EXPECT_NE(error.find("is a symbolic link"), std::string::npos) << error;
    named.push_back(error.substr(0, error.find(": ")));
  }
  std::sort(named.begin(), named.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(named, expected);
  // The links themselves are left alone too.
  EXPECT_TRUE(fs::is_symlink(root_ / "modules" / "linked"));
}

TEST_F(CacheSymlinkTest, PruneAndInfoNeverFollowALinkOutOfTheArtifactDirectory) {
  PruneReport report = PruneCache(root_, {0, /*dry_run=*/false});
  ExpectPreciousIntact();
  EXPECT_TRUE(report.deleted.empty());
  EXPECT_TRUE(report.deleted_leftovers.empty());
  EXPECT_EQ(report.errors.size(), 5u);
  CacheInfo info = GetCacheInfo(root_);
  EXPECT_EQ(info.total_bytes, 0u);
  EXPECT_EQ(info.errors.size(), 5u);
}

TEST_F(CacheStoreTest, NamesTheLayoutDoesNotMakeAreLeftAlone) {
  WriteFile(root_ / "modules" / "clip" / "notes" / "mine.txt", "mine");
  WriteFile(root_ / "parameters" / "clip" / "weights.bin", "mine");
  WriteFile(root_ / "downloads" / "my-folder" / "data", "mine");
  EXPECT_EQ(GetCacheInfo(root_).total_entries, 0u);
  PruneReport report = PruneCache(root_, {0, /*dry_run=*/false});
  EXPECT_TRUE(report.deleted.empty());
  EXPECT_TRUE(fs::exists(root_ / "modules" / "clip" / "notes" / "mine.txt"));
  EXPECT_TRUE(fs::exists(root_ / "parameters" / "clip" / "weights.bin"));
  EXPECT_TRUE(fs::exists(root_ / "downloads" / "my-folder" / "data"));
}

TEST_F(CacheStoreTest, LeftoversOfKilledRunsGoUnlessTheirWriterHoldsTheLock) {
  // A killed compile's staging directory, a killed fetch's partial, a killed
  // generation's temp archive: their locks are free.
  const fs::path staging = root_ / "modules/clip/0123456789abcdef.tmp.77.0";
  WriteFile(staging / "module.vmfb", "half");
  const fs::path entry = AddDownload("https://example.com/a.bin", "data");
  const fs::path partial = entry / "a.bin.partial.77";
  WriteFile(partial, "ha");
  const fs::path temp_archive = root_ / "parameters/clip/0123456789abcdef-random.irpa.tmp.77.1";
  WriteFile(temp_archive, "IRPA");
  // Being written right now: its entry's lock is held.
  const fs::path busy = root_ / "modules/clip/fedcba9876543210.tmp.78.0";
  WriteFile(busy / "module.vmfb", "half");
  FileLock held;
  ASSERT_TRUE(held.Acquire(root_ / "modules/clip/fedcba9876543210.lock"));
  // Log temp files have no lock: they go when the process named in them is gone.
  const fs::path dead_log = root_ / "logs/t/run.log.tmp.2147483646.0";
  WriteFile(dead_log, "x");
  const fs::path live_log = root_ / fmt::format("logs/t/run.log.tmp.{}.0", ::getpid());
  WriteFile(live_log, "x");

  CacheVerifyReport report = VerifyCache(root_, /*fix=*/true);
  std::vector<fs::path> removed;
  for (const CacheLeftover& leftover : report.removed_leftovers) removed.push_back(leftover.path);
  std::sort(removed.begin(), removed.end());
  std::vector<fs::path> expected = {staging, partial, temp_archive, dead_log};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(removed, expected);
  for (const fs::path& path : expected) EXPECT_FALSE(fs::exists(path)) << path;
  EXPECT_TRUE(fs::exists(busy / "module.vmfb"));
  EXPECT_TRUE(fs::exists(live_log));
  EXPECT_TRUE(fs::exists(entry / "a.bin"));

  // prune does the same (here: nothing left that no one writes).
  WriteFile(staging / "module.vmfb", "half");
  PruneReport pruned = PruneCache(root_, {1u << 30, /*dry_run=*/false});
  ASSERT_EQ(pruned.deleted_leftovers.size(), 1u);
  EXPECT_EQ(pruned.deleted_leftovers[0].path, staging);
  EXPECT_TRUE(pruned.deleted.empty());
  EXPECT_TRUE(fs::exists(busy / "module.vmfb"));
}

TEST(CacheStoreSizeTest, ParsesAndFormatsByteSizes) {
  EXPECT_EQ(ParseByteSize("1024"), 1024u);
  EXPECT_EQ(ParseByteSize("500M"), 500ull << 20);
  EXPECT_EQ(ParseByteSize("20G"), 20ull << 30);
  EXPECT_EQ(ParseByteSize("20gib"), 20ull << 30);
  EXPECT_EQ(ParseByteSize("1.5K"), 1536u);
  EXPECT_EQ(ParseByteSize("2TB"), 2ull << 40);
  EXPECT_EQ(ParseByteSize(""), std::nullopt);
  EXPECT_EQ(ParseByteSize("G"), std::nullopt);
  EXPECT_EQ(ParseByteSize("12X"), std::nullopt);
  EXPECT_EQ(ParseByteSize("-1"), std::nullopt);
  EXPECT_EQ(ParseByteSize("1.2.3"), std::nullopt);
  EXPECT_EQ(ParseByteSize("99999999P"), std::nullopt);
}

}  // namespace
}  // namespace iree_suite
