#include "base/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_helpers.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;
using testing_helpers::ReadFile;
using testing_helpers::TempDir;

size_t OpenDescriptors() {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/fd")) ++count;
  return count;
}

size_t EntriesIn(const fs::path& dir) {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++count;
  return count;
}

TEST(AtomicFileTest, CommitPublishesTheBytes) {
  TempDir dir;
  Result<AtomicFile> file = AtomicFile::Create(dir / "sub" / "out.txt");
  ASSERT_TRUE(file) << file.error();
  ASSERT_TRUE(file->Write("hello "));
  ASSERT_TRUE(file->Write("world"));
  EXPECT_FALSE(fs::exists(dir / "sub" / "out.txt"));  // not before Commit
  ASSERT_TRUE(file->Commit());
  EXPECT_EQ(ReadFile(dir / "sub" / "out.txt"), "hello world");
  EXPECT_EQ(EntriesIn(dir / "sub"), 1u);
}

TEST(AtomicFileTest, DestructorWithoutCommitNeverPublishes) {
  TempDir dir;
  size_t descriptors = OpenDescriptors();
  {
    Result<AtomicFile> file = AtomicFile::Create(dir / "out.txt");
    ASSERT_TRUE(file) << file.error();
    ASSERT_TRUE(file->Write("half"));
    EXPECT_TRUE(fs::exists(file->temp_path()));
  }
  EXPECT_EQ(EntriesIn(dir.path()), 0u);  // neither the target nor the temp file
  EXPECT_EQ(OpenDescriptors(), descriptors);
}

TEST(AtomicFileTest, FailedCommitClosesAndRemovesTheTempFile) {
  TempDir dir;
  // rename() cannot replace a non-empty directory.
  fs::create_directories(dir / "out.txt" / "occupied");
  size_t descriptors = OpenDescriptors();
  Result<AtomicFile> file = AtomicFile::Create(dir / "out.txt");
  ASSERT_TRUE(file) << file.error();
  ASSERT_TRUE(file->Write("bytes"));
  Status committed = file->Commit();
  ASSERT_FALSE(committed);
  EXPECT_NE(committed.error().find("cannot rename into place"), std::string::npos);
  EXPECT_EQ(OpenDescriptors(), descriptors);
  EXPECT_EQ(EntriesIn(dir.path()), 1u);  // only the directory that was there
  EXPECT_FALSE(file->Commit());          // a second Commit is an error, not a crash
}

TEST(AtomicFileTest, CreateFailsWithAMessageNamingThePath) {
  TempDir dir;
  ASSERT_TRUE(WriteFileAtomically(dir / "file", "x"));
  Result<AtomicFile> file = AtomicFile::Create(dir / "file" / "below");
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().find((dir / "file").string()), std::string::npos) << file.error();
}

TEST(AtomicFileTest, WriteFileAtomicallyReplacesTheTarget) {
  TempDir dir;
  ASSERT_TRUE(WriteFileAtomically(dir / "out.txt", "one"));
  ASSERT_TRUE(WriteFileAtomically(dir / "out.txt", "two"));
  EXPECT_EQ(ReadFile(dir / "out.txt"), "two");
  EXPECT_EQ(EntriesIn(dir.path()), 1u);
}

TEST(AtomicFileTest, MovedFromFileOwnsNothing) {
  TempDir dir;
  Result<AtomicFile> file = AtomicFile::Create(dir / "out.txt");
  ASSERT_TRUE(file);
  AtomicFile moved(std::move(*file));
  ASSERT_TRUE(moved.Write("moved"));
  ASSERT_TRUE(moved.Commit());
  EXPECT_EQ(ReadFile(dir / "out.txt"), "moved");
}

}  // namespace
}  // namespace iree_suite
