// An exclusive advisory lock (flock) on a file, so processes that share an
// artifact directory take turns on one cache entry. Released on destruction
// or when the process dies, so a crash never leaves a stale lock.
#pragma once

#include <filesystem>
#include <string>

namespace iree_suite {

class FileLock {
 public:
  FileLock() = default;
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  // Blocks until the lock on `path` (created if missing) is held. *waited
  // tells whether someone else held it first. Returns an error message,
  // empty on success.
  std::string Acquire(const std::filesystem::path& path, bool* waited);

 private:
  int fd_ = -1;
};

}  // namespace iree_suite
