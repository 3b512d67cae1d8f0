#include "suite/tree_walk.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <string>
#include <utility>

namespace iree_suite {
namespace fs = std::filesystem;

namespace {

// One open directory per level: well under the descriptor limit.
constexpr size_t kMaxDepth = 4096;

// Reads `name` in the directory open at `directory` into `entry`.
void ReadAt(int directory, const std::string& name, TreeEntry* entry) {
  const int fd = ::openat(directory, name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    entry->read_error = fmt::format("cannot open: {}", std::strerror(errno));
    return;
  }
  std::string contents;
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      entry->read_error = fmt::format("cannot read: {}", std::strerror(errno));
      ::close(fd);
      return;
    }
    if (n == 0) break;
    contents.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  entry->contents = std::move(contents);
}

class TreeWalker {
 public:
  TreeWalker(std::vector<Diagnostic>* errors, const ReadFilePredicate& read)
      : errors_(errors), read_(read) {}

  // Walks the directory open at `fd` (taking it over), known as `path`.
  void Walk(int fd, const fs::path& path, size_t depth) {
    struct stat status;
    if (::fstat(fd, &status) != 0 || !visited_.insert({status.st_dev, status.st_ino}).second) {
      ::close(fd);  // entered already, through a link or a cycle
      return;
    }
    DIR* dir = ::fdopendir(fd);
    if (dir == nullptr) {
      Error(path, fmt::format("cannot read directory: {}", std::strerror(errno)));
      ::close(fd);
      return;
    }
    std::vector<std::string> subdirectories;
    while (const dirent* item = ::readdir(dir)) {
      const std::string name = item->d_name;
      if (name == "." || name == "..") continue;
      bool directory = item->d_type == DT_DIR;
      bool file = item->d_type == DT_REG;
      if (item->d_type == DT_LNK || item->d_type == DT_UNKNOWN) {
        struct stat target;
        if (::fstatat(::dirfd(dir), name.c_str(), &target, 0) != 0) continue;  // dangling link
        directory = S_ISDIR(target.st_mode);
        file = S_ISREG(target.st_mode);
      }
      if (file) {
        entries_.push_back({path / name, false, std::nullopt, {}});
        if (read_ && read_(name)) ReadAt(::dirfd(dir), name, &entries_.back());
      }
      if (directory) subdirectories.push_back(name);
    }
    for (const std::string& name : subdirectories) {
      const fs::path child_path = path / name;
      const int child = ::openat(::dirfd(dir), name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (child < 0) {
        Error(child_path, fmt::format("cannot read directory: {}", std::strerror(errno)));
        continue;
      }
      entries_.push_back({child_path, true, std::nullopt, {}});
      if (depth + 1 >= kMaxDepth) {
        Error(child_path,
              fmt::format("nested deeper than {} directories: not collected", kMaxDepth));
        ::close(child);
        continue;
      }
      Walk(child, child_path, depth + 1);
    }
    ::closedir(dir);
  }

  std::vector<TreeEntry> Take() { return std::move(entries_); }

 private:
  void Error(const fs::path& path, std::string message) {
    errors_->push_back({path.string(), "", std::move(message)});
  }

  std::vector<Diagnostic>* errors_;
  const ReadFilePredicate& read_;
  std::set<std::pair<dev_t, ino_t>> visited_;
  std::vector<TreeEntry> entries_;
};

}  // namespace

std::vector<TreeEntry> WalkTree(const fs::path& root, std::vector<Diagnostic>* errors,
                                const ReadFilePredicate& read) {
  TreeWalker walker(errors, read);
  const int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    errors->push_back(
        {root.string(), "", fmt::format("cannot read test directory: {}", std::strerror(errno))});
    return {};
  }
  walker.Walk(fd, root, 0);
  return walker.Take();
}

}  // namespace iree_suite
