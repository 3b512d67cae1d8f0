#include "base/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace iree_suite {

namespace fs = std::filesystem;

std::filesystem::path TempPathFor(const std::filesystem::path& target) {
  static std::atomic<unsigned> counter{0};
  return target.parent_path() /
         fmt::format("{}.tmp.{}.{}", target.filename().string(), getpid(), counter++);
}

Result<AtomicFile> AtomicFile::Create(const fs::path& target) {
  if (target.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
      return Error{fmt::format("{}: cannot create directory: {}", target.parent_path().string(),
                               ec.message())};
    }
  }
  fs::path temp = TempPathFor(target);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    return Error{fmt::format("{}: cannot create: {}", temp.string(), std::strerror(errno))};
  return AtomicFile(target, std::move(temp), fd);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)),
      temp_(std::move(other.temp_)),
      fd_(other.fd_),
      committed_(other.committed_) {
  other.fd_ = -1;
  other.committed_ = true;  // the moved-from object owns no temp file any more
}

AtomicFile::~AtomicFile() {
  if (!committed_) Discard();
}

void AtomicFile::Discard() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(temp_.c_str());
}

Status AtomicFile::Write(std::string_view bytes) {
  if (fd_ < 0) return Error{fmt::format("{}: write after commit", temp_.string())};
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return Error{fmt::format("{}: write failed: {}", temp_.string(), std::strerror(errno))};
    written += static_cast<size_t>(n);
  }
  return {};
}

Status AtomicFile::Commit() {
  if (fd_ < 0) return Error{fmt::format("{}: committed twice", temp_.string())};
  // The descriptor is closed on every path, whether fsync fails or not.
  const bool synced = ::fsync(fd_) == 0;
  const int sync_errno = errno;
  const bool closed = ::close(fd_) == 0;
  const int close_errno = errno;
  fd_ = -1;
  if (!synced || !closed) {
    Discard();
    committed_ = true;
    return Error{fmt::format("{}: cannot flush: {}", temp_.string(),
                             std::strerror(synced ? close_errno : sync_errno))};
  }
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    std::string message =
        fmt::format("{}: cannot rename into place: {}", target_.string(), std::strerror(errno));
    Discard();
    committed_ = true;
    return Error{std::move(message)};
  }
  committed_ = true;
  return {};
}

Status WriteFileAtomically(const fs::path& target, std::string_view contents) {
  Result<AtomicFile> file = AtomicFile::Create(target);
  if (!file) return Error{file.error()};
  if (Status written = file->Write(contents); !written) return written;
  return file->Commit();
}

Result<std::string> ReadSmallFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno))};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

}  // namespace iree_suite
