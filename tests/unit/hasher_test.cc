#include "artifacts/hasher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/atomic_file.h"
#include "test_helpers.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

class HasherTest : public testing::Test {
 protected:
  std::vector<std::string> Entries() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
      names.push_back(entry.path().lexically_relative(dir_).generic_string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  testing_helpers::TempDir temp_{"hasher_test"};
  const fs::path dir_ = temp_.path();
};

std::string Digest(const std::vector<std::pair<std::string, std::string>>& inputs) {
  Hasher hasher;
  for (const auto& [label, bytes] : inputs) hasher.Add(label, bytes);
  return hasher.HexDigest();
}

TEST_F(HasherTest, EmptyHasherIsSha256OfNothing) {
  EXPECT_EQ(Digest({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(HasherTest, KnownDigestOfFixedInputs) {
  // sha256("mlir:10:module {}\nflag:3:-O3flag:33:--iree-hal-target-device=llvm-cpucompiler:0:")
  EXPECT_EQ(Digest({{"mlir", "module {}\n"},
                    {"flag", "-O3"},
                    {"flag", "--iree-hal-target-device=llvm-cpu"},
                    {"compiler", ""}}),
            "c11c94bd39018631bb4b131ff7535459e5c5928ca6e4e0f7885a0ebfee6a6750");
  // sha256("a:2:abb:1:c")
  EXPECT_EQ(Digest({{"a", "ab"}, {"b", "c"}}),
            "44caf92fc5cd38618026a5ccbe133e1eec40c81beef4d7ad9c071596475c8369");
}

TEST_F(HasherTest, LabelledInputsDoNotCollide) {
  EXPECT_NE(Digest({{"x", "ab"}, {"x", "c"}}), Digest({{"x", "a"}, {"x", "bc"}}));
  EXPECT_NE(Digest({{"x", "abc"}}), Digest({{"x", "ab"}, {"x", "c"}}));
  EXPECT_NE(Digest({{"ab", "c"}}), Digest({{"a", "bc"}}));
  EXPECT_NE(Digest({{"mlir", "m"}, {"flags", ""}}), Digest({{"mlir", "m"}}));
  EXPECT_NE(Digest({{"a", "1"}, {"b", "2"}}), Digest({{"b", "2"}, {"a", "1"}}));
  EXPECT_EQ(Digest({{"x", "ab"}, {"x", "c"}}), Digest({{"x", "ab"}, {"x", "c"}}));
}

TEST_F(HasherTest, AddFileEqualsAddOfTheSameBytes) {
  std::string bytes;
  // Larger than the 1 MiB read block, with NUL bytes.
  for (int i = 0; i < (3 << 19) + 17; ++i) bytes.push_back(static_cast<char>(i * 31 % 256));
  ASSERT_TRUE(WriteFileAtomically(dir_ / "blob.bin", bytes));
  Hasher from_file;
  from_file.Add("before", "x");
  EXPECT_TRUE(from_file.AddFile("mlir", dir_ / "blob.bin"));
  from_file.Add("after", "y");
  EXPECT_EQ(from_file.HexDigest(), Digest({{"before", "x"}, {"mlir", bytes}, {"after", "y"}}));
}

TEST_F(HasherTest, AddFileOfEmptyFile) {
  ASSERT_TRUE(WriteFileAtomically(dir_ / "empty", ""));
  Hasher hasher;
  EXPECT_TRUE(hasher.AddFile("f", dir_ / "empty"));
  EXPECT_EQ(hasher.HexDigest(), Digest({{"f", ""}}));
}

TEST_F(HasherTest, AddFileOfMissingFile) {
  Hasher hasher;
  Status added = hasher.AddFile("f", dir_ / "absent");
  ASSERT_FALSE(added);
  const std::string& error = added.error();
  EXPECT_EQ(error.rfind((dir_ / "absent").string() + ": cannot read: ", 0), 0u) << error;
}

TEST_F(HasherTest, WriteFileAtomicallyCreatesParents) {
  fs::path target = dir_ / "a" / "b" / "c.txt";
  EXPECT_TRUE(WriteFileAtomically(target, "hello\n"));
  EXPECT_EQ(testing_helpers::ReadFile(target), "hello\n");
  EXPECT_EQ(Entries(), (std::vector<std::string>{"a", "a/b", "a/b/c.txt"}));
}

TEST_F(HasherTest, WriteFileAtomicallyReplacesContentAndLeavesNoTempFiles) {
  fs::path target = dir_ / "manifest.json";
  EXPECT_TRUE(WriteFileAtomically(target, std::string(1000, 'x')));
  EXPECT_TRUE(WriteFileAtomically(target, "short"));
  EXPECT_EQ(testing_helpers::ReadFile(target), "short");
  EXPECT_TRUE(WriteFileAtomically(target, ""));
  EXPECT_EQ(testing_helpers::ReadFile(target), "");
  EXPECT_TRUE(fs::is_regular_file(target));
  EXPECT_EQ(Entries(), (std::vector<std::string>{"manifest.json"}));
}

TEST_F(HasherTest, WriteFileAtomicallyReportsFailure) {
  ASSERT_TRUE(WriteFileAtomically(dir_ / "file", "x"));
  // A regular file cannot be a parent directory.
  Status written = WriteFileAtomically(dir_ / "file" / "child", "y");
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().find("cannot create"), std::string::npos) << written.error();
  EXPECT_EQ(Entries(), (std::vector<std::string>{"file"}));
}

TEST_F(HasherTest, TempPathForIsAUniqueSibling) {
  fs::path target = dir_ / "sub" / "m.vmfb";
  fs::path first = TempPathFor(target);
  fs::path second = TempPathFor(target);
  EXPECT_EQ(first.parent_path(), target.parent_path());
  EXPECT_EQ(first.filename().string().rfind("m.vmfb.tmp.", 0), 0u) << first;
  EXPECT_NE(first, second);
}

TEST_F(HasherTest, ReadSmallFile) {
  ASSERT_TRUE(WriteFileAtomically(dir_ / "f", std::string("a\0b", 3)));
  Result<std::string> contents = ReadSmallFile(dir_ / "f");
  ASSERT_TRUE(contents) << contents.error();
  EXPECT_EQ(*contents, std::string("a\0b", 3));
  Result<std::string> absent = ReadSmallFile(dir_ / "absent");
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error(),
            (dir_ / "absent").string() + ": cannot open: No such file or directory");
}

}  // namespace
}  // namespace iree_suite
