// Files become visible only complete: written under a temp name, then renamed.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.h"

namespace iree_suite {

// A unique sibling temp name for `target` ("<name>.tmp.<pid>.<n>"), so a crash
// never leaves anything at `target` itself.
std::filesystem::path TempPathFor(const std::filesystem::path& target);

// A file that appears at `target` only when Commit() succeeds. It is written
// under TempPathFor(target); destroying it without a successful Commit()
// closes and removes the temp file and never publishes anything.
class AtomicFile {
 public:
  // Creates the parent directories and the temp file.
  [[nodiscard]] static Result<AtomicFile> Create(const std::filesystem::path& target);
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  // Appends all of `bytes` (retrying short writes).
  [[nodiscard]] Status Write(std::string_view bytes);
  // fsync, close and rename over `target`. On failure the temp file is gone
  // and `target` is untouched. Call at most once.
  [[nodiscard]] Status Commit();

  const std::filesystem::path& temp_path() const { return temp_; }

 private:
  AtomicFile(std::filesystem::path target, std::filesystem::path temp, int fd)
      : target_(std::move(target)), temp_(std::move(temp)), fd_(fd) {}
  // Closes the descriptor (if open) and removes the temp file.
  void Discard();

  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  bool committed_ = false;
};

// Writes `contents` through an AtomicFile.
[[nodiscard]] Status WriteFileAtomically(const std::filesystem::path& target,
                                         std::string_view contents);

// Reads a whole (small) file.
Result<std::string> ReadSmallFile(const std::filesystem::path& path);

}  // namespace iree_suite
