#include "base/file_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace iree_suite {

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

Result<bool> FileLock::Acquire(const std::filesystem::path& path, bool shared) {
  bool waited = false;
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return Error{fmt::format("{}: cannot open lock file: {}", path.string(), std::strerror(errno))};
  const int mode = shared ? LOCK_SH : LOCK_EX;
  if (::flock(fd, mode | LOCK_NB) != 0) {
    waited = true;
    int rc;
    do {
      rc = ::flock(fd, mode);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      Error failed{fmt::format("{}: cannot lock: {}", path.string(), std::strerror(errno))};
      ::close(fd);
      return failed;
    }
  }
  fd_ = fd;
  return waited;
}

}  // namespace iree_suite
