#include <gtest/gtest.h>

#include "artifacts/cache_layout.h"
#include "artifacts/fetch/digest.h"
#include "artifacts/fetch/download_cache.h"

namespace iree_suite {
namespace {

TEST(FetchDigestTest, Md5OfKnownText) {
  Md5Stream md5;
  md5.Update("hello ", 6);
  EXPECT_EQ(HexEncode(md5.Digest()), "f814893777bcc2295fff05f00e508da6");  // "hello "
  md5.Update("world", 5);
  EXPECT_EQ(HexEncode(md5.Digest()), "5eb63bbbe01eeed093cb22bb8f5acdc3");
  EXPECT_EQ(Base64Encode(md5.Digest()), "XrY7u+Ae7tCTyyK7j1rNww==");
  md5.Reset();
  EXPECT_EQ(HexEncode(md5.Digest()), "d41d8cd98f00b204e9800998ecf8427e");
}

// Bytes handed over in odd-sized chunks, across many blocks, hash as one
// Md5Stream hashes them; Reset and a look at the digest mid-way work too.
TEST(FetchDigestTest, BackgroundMd5MatchesTheStream) {
  std::string data(9 * (1 << 20) + 12345, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 7919) >> 3);
  Md5Stream reference;
  reference.Update(data.data(), data.size());
  BackgroundMd5 md5;
  md5.Update("discarded", 9);
  md5.Reset();
  size_t offset = 0;
  for (size_t chunk = 1; offset < data.size(); chunk = chunk * 3 % 70001 + 1) {
    const size_t take = std::min(chunk, data.size() - offset);
    md5.Update(data.data() + offset, take);
    offset += take;
    if (offset > data.size() / 2 && offset - take <= data.size() / 2) {
      Md5Stream half;
      half.Update(data.data(), offset);
      EXPECT_EQ(md5.Digest(), half.Digest());
    }
  }
  EXPECT_EQ(HexEncode(md5.Digest()), HexEncode(reference.Digest()));
}

TEST(FetchDigestTest, Base64RoundTrip) {
  for (const std::string& text :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    std::optional<std::string> decoded = Base64Decode(Base64Encode(text));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, text);
  }
  EXPECT_FALSE(Base64Decode("ab$d"));
}

TEST(FetchDigestTest, Sha256) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(FetchCacheLayoutTest, FileNameAndEntry) {
  EXPECT_EQ(DownloadFileName("https://h/a/b/model.irpa?sv=1#x"), "model.irpa");
  EXPECT_EQ(DownloadFileName("https://h/"), "download");
  EXPECT_EQ(DownloadFileName("https://h"), "download");
  EXPECT_EQ(DownloadFileName("https://h/x/meta.json"), "_meta.json");
  EXPECT_EQ(DownloadFileName("https://h/x/.lock"), "_.lock");
  EXPECT_EQ(CacheLayout("/a").DownloadEntry("https://h/f"),
            std::filesystem::path("/a/downloads") / Sha256Hex("https://h/f").substr(0, 16));
}

TEST(FetchCacheLayoutTest, MirrorsFirstMatchWins) {
  std::vector<std::pair<std::string, std::string>> mirrors = {
      {"https://blob/sharkpublic/", "http://127.0.0.1:8000/"}, {"https://blob/", "file:///m/"}};
  EXPECT_EQ(ApplyUrlMirrors("https://blob/sharkpublic/x.bin", mirrors),
            "http://127.0.0.1:8000/x.bin");
  EXPECT_EQ(ApplyUrlMirrors("https://blob/other/x.bin", mirrors), "file:///m/other/x.bin");
  EXPECT_EQ(ApplyUrlMirrors("https://elsewhere/x.bin", mirrors), "https://elsewhere/x.bin");
}

}  // namespace
}  // namespace iree_suite
