// An advisory lock (flock) on a file, so processes that share an artifact
// directory take turns on one cache entry (exclusive) or keep benchmarks
// alone (shared by ordinary jobs). Released on destruction or when the
// process dies, so a crash never leaves a stale lock.
#pragma once

#include <filesystem>
#include <string>

#include "base/result.h"

namespace iree_suite {

class FileLock {
 public:
  FileLock() = default;
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&& other) noexcept;

  // Blocks until the lock on `path` (created if missing) is held, exclusive
  // or shared with other shared holders. The value tells whether someone else
  // held it first (this call waited).
  [[nodiscard]] Result<bool> Acquire(const std::filesystem::path& path, bool shared = false);

 private:
  int fd_ = -1;
};

}  // namespace iree_suite
