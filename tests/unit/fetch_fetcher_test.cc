#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <thread>

#include "artifacts/cache_layout.h"
#include "artifacts/fetch/digest.h"
#include "artifacts/fetch/download_cache.h"
#include "artifacts/fetch/fetcher.h"
#include "base/atomic_file.h"
#include "fetch_test_server.h"
#include "test_helpers.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

std::string RandomBytes(size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  return bytes;
}

std::string Md5Hex(const std::string& bytes) {
  Md5Stream md5;
  md5.Update(bytes.data(), bytes.size());
  return HexEncode(md5.Digest());
}

std::string ReadAll(const fs::path& path) {
  Result<std::string> contents = ReadSmallFile(path);
  EXPECT_TRUE(contents) << contents.error();
  return contents ? *contents : "";
}

// Success, or a failure that says why the fetch failed.
::testing::AssertionResult Fetched(const Result<fs::path>& path) {
  if (path) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << path.error();
}

// The error of a fetch that must fail.
std::string FetchError(const Result<fs::path>& path) {
  EXPECT_FALSE(path) << "fetched " << path->string();
  return path ? "" : path.error();
}

// The fetched path, or the error, to compare with a path's string.
std::string PathOrError(const Result<fs::path>& path) {
  return path ? path->string() : "error: " + path.error();
}

class FetcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (FetchTestServer::FindPython().empty()) GTEST_SKIP() << "python3 is not on PATH";
    fs::create_directories(dir_ / "root");
    artifacts_ = dir_ / "artifacts";
    contents_ = RandomBytes(1 << 20, 7);
    std::ofstream(dir_ / "root" / "model.irpa", std::ios::binary) << contents_;
    ASSERT_EQ(server_.Start(dir_ / "root", dir_), "");
    options_.quiet = true;
    options_.initial_backoff_s = 0.01;
    options_.max_backoff_s = 0.05;
  }

  Fetcher MakeFetcher() { return Fetcher(artifacts_, dir_ / "root", options_); }
  fs::path Entry(const std::string& url) { return CacheLayout(artifacts_).DownloadEntry(url); }
  // GET requests the server saw for `path`.
  std::vector<nlohmann::json> Gets(const std::string& path = "/model.irpa") {
    std::vector<nlohmann::json> gets;
    for (const auto& request : server_.Requests()) {
      if (request["method"] == "GET" && request["path"] == path) gets.push_back(request);
    }
    return gets;
  }
  uint64_t BodyBytes() {
    uint64_t total = 0;
    for (const auto& request : Gets()) total += request["body_bytes"].get<uint64_t>();
    return total;
  }

  testing_helpers::TempDir temp_{"fetch_test"};
  const fs::path dir_ = temp_.path();
  fs::path artifacts_;
  std::string contents_;
  FetchOptions options_;
  FetchTestServer server_;
};

TEST_F(FetcherTest, DownloadsAndWritesMeta) {
  const std::string url = server_.Url("model.irpa");
  Fetcher fetcher = MakeFetcher();
  Result<fs::path> path = fetcher.Fetch(url);
  ASSERT_TRUE(path) << path.error();
  EXPECT_EQ(*path, Entry(url) / "model.irpa");
  EXPECT_EQ(ReadAll(*path), contents_);
  auto meta = nlohmann::json::parse(ReadAll(Entry(url) / "meta.json"));
  EXPECT_EQ(meta["url"], url);
  EXPECT_EQ(meta["size"], contents_.size());
  EXPECT_EQ(meta["md5"], Md5Hex(contents_));
  EXPECT_EQ(HexEncode(*Base64Decode(meta["content_md5"].get<std::string>())), Md5Hex(contents_));
  EXPECT_FALSE(meta["etag"].get<std::string>().empty());
  EXPECT_FALSE(meta["last_modified"].get<std::string>().empty());
  EXPECT_FALSE(meta["fetched_at"].get<std::string>().empty());
  // Fetched once per Fetcher, however often asked.
  ASSERT_TRUE(Fetched(fetcher.Fetch(url)));
  EXPECT_EQ(Gets().size(), 1u);
  EXPECT_EQ(fetcher.stats().downloads, 1u);
  EXPECT_EQ(fetcher.stats().bytes_transferred, contents_.size());
}

TEST_F(FetcherTest, RerunRevalidatesWithoutBody) {
  const std::string url = server_.Url("model.irpa");
  ASSERT_TRUE(Fetched(MakeFetcher().Fetch(url)));
  Fetcher rerun = MakeFetcher();
  Result<fs::path> path = rerun.Fetch(url);
  ASSERT_TRUE(path) << path.error();
  EXPECT_EQ(ReadAll(*path), contents_);
  std::vector<nlohmann::json> gets = Gets();
  ASSERT_EQ(gets.size(), 2u);
  EXPECT_FALSE(gets[1]["if_none_match"].is_null());
  EXPECT_EQ(gets[1]["status"], 304);
  EXPECT_EQ(gets[1]["body_bytes"], 0);
  EXPECT_EQ(rerun.stats().revalidated_not_modified, 1u);
  EXPECT_EQ(rerun.stats().bytes_transferred, 0u);
}

TEST_F(FetcherTest, ChangedFileIsDownloadedAgain) {
  const std::string url = server_.Url("model.irpa");
  ASSERT_TRUE(Fetched(MakeFetcher().Fetch(url)));
  std::string changed = RandomBytes(5000, 9);
  std::ofstream(dir_ / "root" / "model.irpa", std::ios::binary | std::ios::trunc) << changed;
  Result<fs::path> path = MakeFetcher().Fetch(url);
  ASSERT_TRUE(path) << path.error();
  EXPECT_EQ(ReadAll(*path), changed);
  EXPECT_EQ(Gets().back()["status"], 200);
}

TEST_F(FetcherTest, ContentMd5MismatchPublishesNothing) {
  server_.SetFaults({{"/model.irpa", {{"wrong_md5", true}}}});
  const std::string url = server_.Url("model.irpa");
  std::string error;
  error = FetchError(MakeFetcher().Fetch(url));
  EXPECT_NE(error.find(url), std::string::npos) << error;
  EXPECT_NE(error.find("Content-MD5 mismatch"), std::string::npos) << error;
  EXPECT_NE(error.find(Md5Hex(contents_)), std::string::npos) << error;        // what we got
  EXPECT_NE(error.find(Md5Hex(contents_ + "x")), std::string::npos) << error;  // what it said
  for (const auto& item : fs::directory_iterator(Entry(url))) {
    EXPECT_EQ(item.path().filename(), ".lock") << "left behind: " << item.path();
  }
}

TEST_F(FetcherTest, DroppedConnectionResumesWithRange) {
  server_.SetFaults({{"/model.irpa", {{"drop_after", 300000}, {"drop_count", 2}}}});
  const std::string url = server_.Url("model.irpa");
  Result<fs::path> path = MakeFetcher().Fetch(url);
  ASSERT_TRUE(path) << path.error();
  EXPECT_EQ(ReadAll(*path), contents_);
  std::vector<nlohmann::json> gets = Gets();
  ASSERT_EQ(gets.size(), 3u);
  EXPECT_EQ(gets[1]["range"], "bytes=300000-");
  EXPECT_EQ(gets[1]["status"], 206);
  EXPECT_EQ(gets[2]["range"], "bytes=600000-");
  EXPECT_LT(BodyBytes(), 2 * contents_.size());
}

TEST_F(FetcherTest, RangeIgnoredRestartsFromZero) {
  server_.SetFaults(
      {{"/model.irpa", {{"drop_after", 300000}, {"drop_count", 1}, {"ignore_range", true}}}});
  Result<fs::path> path = MakeFetcher().Fetch(server_.Url("model.irpa"));
  ASSERT_TRUE(path) << path.error();
  EXPECT_EQ(ReadAll(*path), contents_);
  std::vector<nlohmann::json> gets = Gets();
  ASSERT_EQ(gets.size(), 2u);
  EXPECT_FALSE(gets[1]["range"].is_null());
  EXPECT_EQ(gets[1]["status"], 200);
}

TEST_F(FetcherTest, StallIsDetectedAndResumed) {
  server_.SetFaults(
      {{"/model.irpa", {{"stall_after", 200000}, {"stall_s", 5}, {"stall_count", 1}}}});
  options_.low_speed_time_s = 1;
  auto start = std::chrono::steady_clock::now();
  Result<fs::path> path = MakeFetcher().Fetch(server_.Url("model.irpa"));
  ASSERT_TRUE(path) << path.error();
  EXPECT_LT(std::chrono::steady_clock::now() - start,
            std::chrono::seconds(4));  // before the stall ends
  EXPECT_EQ(ReadAll(*path), contents_);
  // The stalled request is logged only when the server wakes up; the resumed one is there.
  std::vector<nlohmann::json> gets = Gets();
  ASSERT_FALSE(gets.empty());
  EXPECT_EQ(gets[0]["range"], "bytes=200000-");
  EXPECT_EQ(gets[0]["status"], 206);
}

TEST_F(FetcherTest, ServerErrorsAreRetried) {
  server_.SetFaults({{"/model.irpa", {{"error_status", 503}, {"error_count", 2}}}});
  ASSERT_TRUE(Fetched(MakeFetcher().Fetch(server_.Url("model.irpa"))));
  std::vector<nlohmann::json> gets = Gets();
  ASSERT_EQ(gets.size(), 3u);
  EXPECT_EQ(gets[0]["status"], 503);
  EXPECT_EQ(gets[2]["status"], 200);
}

TEST_F(FetcherTest, GivesUpAfterMaxAttemptsListingCauses) {
  server_.SetFaults({{"/model.irpa", {{"error_status", 500}}}});
  options_.max_attempts = 3;
  std::string error;
  error = FetchError(MakeFetcher().Fetch(server_.Url("model.irpa")));
  EXPECT_EQ(Gets().size(), 3u);
  EXPECT_NE(error.find("gave up after 3 attempts; last cause: HTTP 500"), std::string::npos)
      << error;
  EXPECT_NE(error.find("attempt 2: HTTP 500"), std::string::npos) << error;
}

TEST_F(FetcherTest, ABodyEndedByACloseWithoutLengthOrDigestIsAFailure) {
  // Half the file, then the server closes: without Content-Length or
  // Content-MD5 this looks exactly like the whole file.
  server_.SetFaults(
      {{"/model.irpa", {{"no_length", true}, {"no_md5", true}, {"drop_after", 1 << 19}}}});
  const std::string url = server_.Url("model.irpa");
  std::string error;
  error = FetchError(MakeFetcher().Fetch(url));
  EXPECT_NE(error.find("neither Content-Length nor Content-MD5"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(Entry(url) / "model.irpa"));
  EXPECT_FALSE(fs::exists(Entry(url) / "meta.json"));
  // With a Content-MD5 the same response can be checked, and is accepted.
  server_.SetFaults({{"/model.irpa", {{"no_length", true}}}});
  Result<fs::path> path = MakeFetcher().Fetch(url);
  ASSERT_TRUE(path) << path.error();
  EXPECT_EQ(ReadAll(*path), contents_);
}

TEST_F(FetcherTest, RedirectsToOtherSchemesThanHttpAreRefused) {
  server_.SetFaults({{"/model.irpa", {{"redirect_to", "ftp://127.0.0.1:1/model.irpa"}}}});
  std::string error;
  error = FetchError(MakeFetcher().Fetch(server_.Url("model.irpa")));
  EXPECT_EQ(Gets().size(), 1u);  // refused, not retried
  EXPECT_NE(error.find("ftp"), std::string::npos) << error;
  EXPECT_NE(error.find("not supported or disabled"), std::string::npos) << error;
}

TEST_F(FetcherTest, NotFoundIsNotRetried) {
  std::string error;
  error = FetchError(MakeFetcher().Fetch(server_.Url("missing.bin")));
  EXPECT_EQ(Gets("/missing.bin").size(), 1u);
  EXPECT_NE(error.find("HTTP 404"), std::string::npos) << error;
  EXPECT_NE(error.find(server_.Url("missing.bin")), std::string::npos) << error;
}

TEST_F(FetcherTest, OfflineUsesCacheOrFails) {
  const std::string url = server_.Url("model.irpa");
  options_.offline = true;
  std::string error;
  error = FetchError(MakeFetcher().Fetch(url));
  EXPECT_NE(error.find("not in the cache and --offline was given"), std::string::npos) << error;
  EXPECT_TRUE(Gets().empty());

  options_.offline = false;
  ASSERT_TRUE(Fetched(MakeFetcher().Fetch(url)));
  options_.offline = true;
  Fetcher offline = MakeFetcher();
  Result<fs::path> path = offline.Fetch(url);
  ASSERT_TRUE(path) << path.error();
  EXPECT_EQ(ReadAll(*path), contents_);
  EXPECT_EQ(Gets().size(), 1u);
  EXPECT_EQ(offline.stats().cache_hits, 1u);
}

TEST_F(FetcherTest, MirrorKeepsTheOriginalCacheKey) {
  const std::string original = "https://blob.invalid/sharkpublic/model.irpa";
  options_.url_mirrors = {{"https://blob.invalid/sharkpublic/", server_.Url("")}};
  Result<fs::path> path = MakeFetcher().Fetch(original);
  ASSERT_TRUE(path) << path.error();
  EXPECT_EQ(*path, Entry(original) / "model.irpa");
  auto meta = nlohmann::json::parse(ReadAll(Entry(original) / "meta.json"));
  EXPECT_EQ(meta["url"], original);
  EXPECT_EQ(meta["fetched_from"], server_.Url("model.irpa"));
  // Offline, the original URL is found in the cache without the mirror.
  options_.url_mirrors.clear();
  options_.offline = true;
  EXPECT_TRUE(Fetched(MakeFetcher().Fetch(original)));
}

TEST_F(FetcherTest, LocalSourcesAndFileMirrors) {
  const fs::path file = dir_ / "root" / "model.irpa";
  Fetcher fetcher = MakeFetcher();
  std::string error;
  EXPECT_EQ(PathOrError(fetcher.Fetch("model.irpa")), file.string());  // relative to external dir
  EXPECT_EQ(PathOrError(fetcher.Fetch(file.string())), file.string());
  EXPECT_EQ(PathOrError(fetcher.Fetch("file://" + file.string())), file.string());
  error = FetchError(fetcher.Fetch("file://" + (dir_ / "nope").string()));

  options_.url_mirrors = {{"https://blob.invalid/", "file://" + (dir_ / "root").string() + "/"}};
  options_.offline = true;  // a local mirror needs no server
  EXPECT_EQ(PathOrError(MakeFetcher().Fetch("https://blob.invalid/model.irpa")), file.string());
  EXPECT_TRUE(Gets().empty());
}

TEST_F(FetcherTest, ConcurrentFetchersDownloadOnce) {
  const std::string url = server_.Url("model.irpa");
  // Slow the body down so both fetchers are in flight together.
  server_.SetFaults({{"/model.irpa", {{"stall_after", 1000}, {"stall_s", 0.5}}}});
  Fetcher first = MakeFetcher();
  Fetcher second = MakeFetcher();
  Result<fs::path> a = Error{"not fetched"}, b = Error{"not fetched"};
  std::thread thread_a([&] { a = first.Fetch(url); });
  std::thread thread_b([&] { b = second.Fetch(url); });
  thread_a.join();
  thread_b.join();
  ASSERT_TRUE(a) << a.error();
  ASSERT_TRUE(b) << b.error();
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(ReadAll(*a), contents_);
  EXPECT_EQ(Gets().size(), 1u);
  EXPECT_EQ(first.stats().downloads + second.stats().downloads, 1u);
  EXPECT_EQ(first.stats().cache_hits + second.stats().cache_hits, 1u);
}

TEST_F(FetcherTest, PartialOfAnEarlierRunIsResumed) {
  // An earlier run gave up after 400000 bytes, leaving its partial and the
  // validator of the response those bytes came from.
  server_.SetFaults({{"/model.irpa", {{"drop_after", 400000}, {"drop_count", 1}}}});
  const std::string url = server_.Url("model.irpa");
  options_.max_attempts = 1;
  std::string error;
  error = FetchError(MakeFetcher().Fetch(url));
  options_.max_attempts = 3;
  Result<fs::path> path = MakeFetcher().Fetch(url);
  ASSERT_TRUE(path) << path.error();
  EXPECT_EQ(ReadAll(*path), contents_);
  ASSERT_EQ(Gets().size(), 2u);
  EXPECT_EQ(Gets()[1]["range"], "bytes=400000-");
  EXPECT_FALSE(Gets()[1]["if_range"].is_null());
  for (const auto& item : fs::directory_iterator(Entry(url))) {
    EXPECT_EQ(item.path().filename().string().find(".partial."), std::string::npos);
  }
}

// The resumed bytes are checked against the Content-MD5 of the response the
// earlier run's bytes came from: a 206 does not repeat it.
TEST_F(FetcherTest, ResumeOfAnEarlierRunStillChecksTheContentMd5) {
  server_.SetFaults({{"/model.irpa", {{"drop_after", 400000}, {"drop_count", 1}}}});
  const std::string url = server_.Url("model.irpa");
  options_.max_attempts = 1;
  std::string error;
  error = FetchError(MakeFetcher().Fetch(url));
  fs::path partial;
  for (const auto& item : fs::directory_iterator(Entry(url))) {
    std::string name = item.path().filename().string();
    if (name.find(".partial.") != std::string::npos && name.find(".validator") == std::string::npos)
      partial = item.path();
  }
  ASSERT_FALSE(partial.empty());
  {  // the earlier bytes got damaged on disk
    std::fstream file(partial, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(1000);
    file.put('\x5a');
  }
  options_.max_attempts = 3;
  error = FetchError(MakeFetcher().Fetch(url));
  EXPECT_NE(error.find("Content-MD5 mismatch"), std::string::npos) << error;
  ASSERT_GE(Gets().size(), 2u);
  EXPECT_EQ(Gets()[1]["range"], "bytes=400000-");
}

// A partial without a validator may hold the start of another version of the
// file: it is not resumed (the splice of two versions would pass every check).
TEST_F(FetcherTest, PartialWithoutValidatorStartsAgain) {
  const std::string url = server_.Url("model.irpa");
  fs::create_directories(Entry(url));
  std::ofstream(Entry(url) / "model.irpa.partial.99999999", std::ios::binary)
      << std::string(400000, 'x');
  Result<fs::path> path = MakeFetcher().Fetch(url);
  ASSERT_TRUE(path) << path.error();
  EXPECT_EQ(ReadAll(*path), contents_);
  ASSERT_EQ(Gets().size(), 1u);
  EXPECT_TRUE(Gets()[0]["range"].is_null());
}

}  // namespace
}  // namespace iree_suite
