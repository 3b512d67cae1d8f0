#include "artifacts/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace iree_suite {

std::filesystem::path TempPathFor(const std::filesystem::path& target) {
  static std::atomic<unsigned> counter{0};
  return target.parent_path() /
         fmt::format("{}.tmp.{}.{}", target.filename().string(), getpid(), counter++);
}

std::string WriteFileAtomically(const std::filesystem::path& target, std::string_view contents) {
  std::error_code ec;
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
  const std::filesystem::path temp = TempPathFor(target);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return fmt::format("{}: cannot create: {}", temp.string(), std::strerror(errno));
  size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string message =
          fmt::format("{}: write failed: {}", temp.string(), std::strerror(errno));
      ::close(fd);
      ::unlink(temp.c_str());
      return message;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(temp.c_str());
    return fmt::format("{}: cannot flush: {}", temp.string(), std::strerror(errno));
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    std::string message =
        fmt::format("{}: cannot rename into place: {}", target.string(), std::strerror(errno));
    ::unlink(temp.c_str());
    return message;
  }
  return {};
}

bool ReadSmallFile(const std::filesystem::path& path, std::string* contents, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno));
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *contents = std::move(buffer).str();
  return true;
}

}  // namespace iree_suite
