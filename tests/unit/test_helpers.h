// Helpers shared by the unit tests: a scratch directory and whole-file reads.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "base/result.h"

namespace iree_suite::testing_helpers {

// A fresh directory under the system temp directory, removed with everything
// in it on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "iree_suite_test") {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "_XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& relative) const {
    return path_ / relative;
  }

 private:
  std::filesystem::path path_;
};

// The error of `result`, which must be one (a test failure when it holds a value).
template <typename T>
std::string ErrorOf(const Result<T>& result) {
  EXPECT_FALSE(result.ok()) << "expected an error";
  return result.ok() ? std::string() : result.error();
}

// The whole file's bytes; empty when it cannot be read.
inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace iree_suite::testing_helpers
