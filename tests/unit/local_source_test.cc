#include "artifacts/local_source.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

std::string ResolveError(const std::string& url) {
  Result<fs::path> path = ResolveLocalSource(url, fs::temp_directory_path());
  return path ? "resolved" : path.error();
}

TEST(LocalSourceTest, SaysWhatIsThereWhenItIsNotAFile) {
  EXPECT_EQ(ResolveError("/dev/zero"), "/dev/zero: not a regular file (/dev/zero)");
  const fs::path directory = fs::temp_directory_path();
  EXPECT_EQ(ResolveError(directory.string()),
            directory.string() + ": a directory, not a file (" + directory.string() + ")");
  EXPECT_EQ(ResolveError("file:///nonexistent/m.mlir"),
            "file:///nonexistent/m.mlir: file not found (/nonexistent/m.mlir)");
}

}  // namespace
}  // namespace iree_suite
