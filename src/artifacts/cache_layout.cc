#include "artifacts/cache_layout.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "artifacts/fetch/digest.h"

namespace iree_suite {
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxReadableName = 160;  // well under NAME_MAX (255) with the suffix

bool IsKeptCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

std::string LinkRefusal(const fs::path& path) {
  return fmt::format(
      "{}: is a symbolic link; iree-suite neither writes nor deletes through links in the "
      "artifact directory",
      path.string());
}

// Walks from the root down to `path`, creating missing directories (all
// components when `create_last`, else all but the last) and refusing links.
Status Prepare(const fs::path& root, const fs::path& path, bool create_last) {
  const fs::path relative = path.lexically_relative(root);
  if (relative.empty() || *relative.begin() == "..") {
    return Error{
        fmt::format("{}: not below the artifact directory {}", path.string(), root.string())};
  }
  std::error_code ec;
  fs::create_directories(root, ec);
  fs::path current = root;
  size_t remaining = std::distance(relative.begin(), relative.end());
  for (const fs::path& component : relative) {
    current /= component;
    const bool last = --remaining == 0;
    struct stat status;
    if (::lstat(current.c_str(), &status) != 0) {
      if (errno != ENOENT) {
        return Error{fmt::format("{}: {}", current.string(), std::strerror(errno))};
      }
      if (last && !create_last) return {};
      if (::mkdir(current.c_str(), 0755) != 0 && errno != EEXIST) {
        return Error{fmt::format("{}: cannot create: {}", current.string(), std::strerror(errno))};
      }
      if (::lstat(current.c_str(), &status) != 0) {
        return Error{fmt::format("{}: {}", current.string(), std::strerror(errno))};
      }
    }
    if (S_ISLNK(status.st_mode)) return Error{LinkRefusal(current)};
    if (!S_ISDIR(status.st_mode) && (!last || create_last)) {
      return Error{fmt::format("{}: not a directory", current.string())};
    }
  }
  return {};
}

}  // namespace

const char* CacheKindName(CacheKind kind) {
  switch (kind) {
    case CacheKind::kDownloads:
      return "downloads";
    case CacheKind::kModules:
      return "modules";
    case CacheKind::kParameters:
      return "parameters";
    case CacheKind::kLogs:
      return "logs";
  }
  return "?";
}

std::string EntryName(std::string_view name) {
  std::string readable;
  bool changed = name.size() > kMaxReadableName || name.empty() || name[0] == '.';
  for (char c : name.substr(0, kMaxReadableName)) {
    changed |= !IsKeptCharacter(c);
    readable += IsKeptCharacter(c) ? c : '_';
  }
  if (!changed) return readable;
  if (!readable.empty() && readable[0] == '.') readable[0] = '_';  // never hidden, "." or ".."
  return fmt::format("{}+{}", readable, Sha256Hex(name).substr(0, 12));
}

fs::path CacheLayout::DownloadEntry(const std::string& url) const {
  return KindDirectory(CacheKind::kDownloads) / Sha256Hex(url).substr(0, 16);
}

fs::path CacheLayout::ModuleEntry(const std::string& module, const std::string& key) const {
  return KindDirectory(CacheKind::kModules) / EntryName(module) / key.substr(0, 16);
}

fs::path CacheLayout::ParameterArchive(const std::string& module, const std::string& key,
                                       const std::string& kind) const {
  return KindDirectory(CacheKind::kParameters) / EntryName(module) /
         fmt::format("{}-{}.irpa", key.substr(0, 16), kind);
}

fs::path CacheLayout::LogDirectory(const std::string& test_id) const {
  return KindDirectory(CacheKind::kLogs) / EntryName(test_id);
}

fs::path CacheLayout::HostLockDirectory(const std::string& host) const {
  return root_ / "locks" / EntryName(host);
}

fs::path CacheLayout::ReproDirectory(const std::string& module, const std::string& key) const {
  return root_ / "repro" / EntryName(module) / key.substr(0, 16);
}

fs::path CacheLayout::TestReproDirectory(const std::string& test_id) const {
  return root_ / "repro" / EntryName(test_id);
}

fs::path CacheLayout::ModuleLock(const fs::path& module_entry) {
  return module_entry.string() + ".lock";
}

fs::path CacheLayout::FailedModuleEntry(const fs::path& module_entry) {
  return module_entry.string() + ".failed";
}

fs::path CacheLayout::EntryManifest(const fs::path& entry) { return entry / "manifest.json"; }

fs::path CacheLayout::ParameterLock(const fs::path& archive) { return archive.string() + ".lock"; }

fs::path CacheLayout::DownloadLock(const fs::path& download_entry) {
  return download_entry / kDownloadLockName;
}

Status CacheLayout::PrepareParent(const fs::path& path) const {
  return Prepare(root_, path, /*create_last=*/false);
}

Status CacheLayout::PrepareDirectory(const fs::path& directory) const {
  return Prepare(root_, directory, /*create_last=*/true);
}

std::string CacheLayout::FindSymlink(const fs::path& path) const {
  const fs::path relative = path.lexically_relative(root_);
  if (relative.empty() || *relative.begin() == "..") {
    return fmt::format("{}: not below the artifact directory {}", path.string(), root_.string());
  }
  fs::path current = root_;
  for (const fs::path& component : relative) {
    current /= component;
    struct stat status;
    if (::lstat(current.c_str(), &status) != 0) return {};  // missing: nothing below to follow
    if (S_ISLNK(status.st_mode)) return LinkRefusal(current);
  }
  return {};
}

}  // namespace iree_suite
