// The one owner of the artifact directory's layout (as ccache's LocalStorage
// owns its cache): every writer (downloads, modules, parameters, logs, locks)
// and every cache command asks it for paths; none is built inline elsewhere.
//   downloads/<sha256(url)[:16]>/{<file>, meta.json, .lock}
//   modules/<name>/<key16>/{module.vmfb, compile_stats.json, compile.log, manifest.json}
//     with modules/<name>/<key16>.lock beside it; failed compiles in
//     <key16>.failed/ (an entry too, sharing that lock)
//   parameters/<name>/<key16>-<random|splat>.irpa with <that path>.lock
//   logs/<name>/ (no lock)
//   repro/<name>/<key16>/ (no lock; the outputs of a compile repro run by hand)
//   repro/<test>/ (no lock; `iree-suite repro`'s scratch directory, made anew)
//   locks/<host>/ (the benchmark gate's lock files)
// <name> is EntryName() of the module name or test id. Nothing below the
// artifact directory may be a symbolic link: writers refuse to write through
// one and the cache commands neither follow nor delete one.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.h"

namespace iree_suite {

enum class CacheKind { kDownloads = 0, kModules, kParameters, kLogs };
inline constexpr int kCacheKindCount = 4;
inline constexpr const char* kDownloadLockName = ".lock";  // inside a download entry

// "downloads", "modules", "parameters", "logs".
const char* CacheKindName(CacheKind kind);

// One path component for a module name or test id, distinct for distinct
// names: characters other than [A-Za-z0-9._-] become '_' and a name so
// changed (or longer than 160 bytes, then cut) gets "+" and 12 hex digits of
// its SHA-256; '+' is never kept, so a changed name never equals a kept one
// (and, unlike most other characters, needs no quoting in a shell command).
std::string EntryName(std::string_view name);

class CacheLayout {
 public:
  explicit CacheLayout(std::filesystem::path root) : root_(std::move(root)) {}
  const std::filesystem::path& root() const { return root_; }

  std::filesystem::path KindDirectory(CacheKind kind) const { return root_ / CacheKindName(kind); }
  std::filesystem::path DownloadEntry(const std::string& url) const;
  std::filesystem::path ModuleEntry(const std::string& module, const std::string& key) const;
  std::filesystem::path ParameterArchive(const std::string& module, const std::string& key,
                                         const std::string& kind) const;
  std::filesystem::path LogDirectory(const std::string& test_id) const;
  // Where a printed compile repro writes (repro/<name>/<key16>/): rerunning
  // it by hand must never overwrite the published entry it reproduces.
  std::filesystem::path ReproDirectory(const std::string& module, const std::string& key) const;
  // `iree-suite repro`'s scratch directory for a test (repro/<test>/).
  std::filesystem::path TestReproDirectory(const std::string& test_id) const;
  std::filesystem::path HostLockDirectory(const std::string& host) const;

  // Lock files and failed-compile entries, beside the entry they belong to.
  static std::filesystem::path ModuleLock(const std::filesystem::path& module_entry);
  static std::filesystem::path FailedModuleEntry(const std::filesystem::path& module_entry);
  static std::filesystem::path ParameterLock(const std::filesystem::path& archive);
  static std::filesystem::path DownloadLock(const std::filesystem::path& download_entry);
  // Inside a module entry: the size and hash of its files (entry_manifest.h).
  static std::filesystem::path EntryManifest(const std::filesystem::path& entry);

  // Creates the directories from the root down to `path`'s parent and checks
  // that none of them, nor `path` itself, is a symbolic link; `path` must be
  // below the root.
  [[nodiscard]] Status PrepareParent(const std::filesystem::path& path) const;
  // Same, creating `directory` itself too.
  [[nodiscard]] Status PrepareDirectory(const std::filesystem::path& directory) const;
  // The first component of `path` below the root that is a symbolic link
  // (or that is not below the root), as an error message; empty if none.
  std::string FindSymlink(const std::filesystem::path& path) const;

 private:
  std::filesystem::path root_;
};

}  // namespace iree_suite
