#include "artifacts/cache_layout.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "artifacts/fetch/digest.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

class CacheLayoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::path(::testing::TempDir()) /
            ("cache_layout_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    fs::create_directories(base_ / "precious");
    std::ofstream(base_ / "precious" / "notes.txt") << "keep me";
  }
  void TearDown() override { fs::remove_all(base_); }

  fs::path base_;
};

TEST(EntryNameTest, DistinctNamesGetDistinctComponents) {
  EXPECT_EQ(EntryName("mlp_quality_cpu.json"), "mlp_quality_cpu.json");
  // '/', ' ' and '\n' all become '_', so the changed names carry a hash.
  const std::vector<std::string> ids = {"sd/x.json", "sd_x.json", "sd x.json", "sd\nx.json",
                                        "sd+x.json", ".",         "..",        ""};
  std::set<std::string> names;
  for (const std::string& id : ids) {
    const std::string name = EntryName(id);
    EXPECT_TRUE(names.insert(name).second) << id << " -> " << name;
    EXPECT_EQ(name.find('/'), std::string::npos);
    EXPECT_NE(name[0], '.') << id;
  }
  EXPECT_EQ(EntryName("sd/x.json"), "sd_x.json+" + Sha256Hex("sd/x.json").substr(0, 12));
}

TEST(EntryNameTest, LongNamesStayUnderNameMax) {
  const std::string a(400, 'a');
  const std::string b = std::string(399, 'a') + "b";
  EXPECT_LE(EntryName(a).size(), 200u);
  EXPECT_NE(EntryName(a), EntryName(b));
}

TEST_F(CacheLayoutTest, PathsOfEveryKind) {
  const CacheLayout layout(base_ / "artifacts");
  const fs::path root = base_ / "artifacts";
  EXPECT_EQ(layout.ModuleEntry("clip", "0123456789abcdef0000"),
            root / "modules" / "clip" / "0123456789abcdef");
  EXPECT_EQ(CacheLayout::ModuleLock(root / "modules/clip/k"), root / "modules/clip/k.lock");
  EXPECT_EQ(CacheLayout::FailedModuleEntry(root / "modules/clip/k"),
            root / "modules/clip/k.failed");
  EXPECT_EQ(layout.ParameterArchive("clip", "0123456789abcdef0000", "splat"),
            root / "parameters" / "clip" / "0123456789abcdef-splat.irpa");
  EXPECT_EQ(layout.LogDirectory("a/b.json"), root / "logs" / EntryName("a/b.json"));
  EXPECT_EQ(CacheLayout::DownloadLock(layout.DownloadEntry("https://h/f")),
            layout.DownloadEntry("https://h/f") / kDownloadLockName);
}

TEST_F(CacheLayoutTest, PrepareCreatesDirectoriesAndRefusesLinks) {
  const CacheLayout layout(base_ / "artifacts");
  const fs::path archive = layout.ParameterArchive("m", "0123456789abcdef", "random");
  EXPECT_TRUE(layout.PrepareParent(archive));
  EXPECT_TRUE(fs::is_directory(archive.parent_path()));
  EXPECT_FALSE(fs::exists(archive));

  // A planted link to a directory outside: nothing is written through it.
  fs::create_directory_symlink(base_ / "precious", base_ / "artifacts" / "logs");
  const fs::path logs = layout.LogDirectory("t.json");
  Status refused = layout.PrepareDirectory(logs);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(),
            (base_ / "artifacts" / "logs").string() +
                ": is a symbolic link; iree-suite neither writes nor deletes through links in "
                "the artifact directory");
  EXPECT_EQ(fs::directory_iterator(base_ / "precious")->path().filename(), "notes.txt");
  EXPECT_EQ(std::distance(fs::directory_iterator(base_ / "precious"), {}), 1);
  EXPECT_NE(layout.FindSymlink(logs / "run.log"), "");

  // The last component is checked too.
  const fs::path entry = layout.ModuleEntry("m", "0123456789abcdef");
  fs::create_directories(entry.parent_path());
  fs::create_directory_symlink(base_ / "precious", entry);
  EXPECT_FALSE(layout.PrepareParent(entry));
  EXPECT_FALSE(layout.PrepareParent(base_ / "elsewhere" / "x"));
}

}  // namespace
}  // namespace iree_suite
