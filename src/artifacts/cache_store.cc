#include "artifacts/cache_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "artifacts/entry_manifest.h"
#include "artifacts/fetch/digest.h"
#include "artifacts/fetch/download_cache.h"
#include "artifacts/parameters/irpa_format.h"
#include "base/atomic_file.h"
#include "suite/json_file.h"

namespace iree_suite {
namespace fs = std::filesystem;

namespace {

constexpr const char* kVmfbName = "module.vmfb";
constexpr const char* kStatsName = "compile_stats.json";
constexpr std::string_view kLockSuffix = ".lock";
constexpr std::string_view kFailedSuffix = ".failed";

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool IsLeftoverName(const std::string& name) {
  return name.find(".tmp.") != std::string::npos || name.find(".partial.") != std::string::npos;
}

// What the layout would name an entry: a key (16 hex digits), optionally
// followed by one of `suffixes`.
bool IsKeyName(const std::string& name, std::initializer_list<std::string_view> suffixes) {
  if (name.size() < 16 ||
      !std::all_of(name.begin(), name.begin() + 16, [](char c) { return std::isxdigit(c); })) {
    return false;
  }
  const std::string_view rest = std::string_view(name).substr(16);
  return std::find(suffixes.begin(), suffixes.end(), rest) != suffixes.end();
}

// The part of a leftover's name before ".tmp." or ".partial.": the name of
// what was being written.
std::string LeftoverTarget(const std::string& name) {
  return name.substr(0, std::min(name.find(".tmp."), name.find(".partial.")));
}

// Whether the process that named a lock-less leftover (".tmp.<pid>.") is gone.
bool WriterIsGone(const fs::path& leftover) {
  const std::string name = leftover.filename().string();
  size_t at = name.find(".tmp.");
  if (at == std::string::npos) return false;
  const long pid = std::strtol(name.c_str() + at + 5, nullptr, 10);
  return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

// A non-blocking flock, so cache maintenance never waits on (or stalls) a run.
class TryLock {
 public:
  TryLock() = default;
  ~TryLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  TryLock(const TryLock&) = delete;
  TryLock& operator=(const TryLock&) = delete;

  // True when held now; false when another process holds it.
  Result<bool> Acquire(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      return Error{
          fmt::format("{}: cannot open lock file: {}", path.string(), std::strerror(errno))};
    }
    int rc;
    do {
      rc = ::flock(fd, LOCK_EX | LOCK_NB);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      const int flock_errno = errno;
      ::close(fd);
      if (flock_errno == EWOULDBLOCK) return false;
      return Error{fmt::format("{}: cannot lock: {}", path.string(), std::strerror(flock_errno))};
    }
    fd_ = fd;
    return true;
  }

 private:
  int fd_ = -1;
};

struct Measure {
  uint64_t bytes = 0;
  fs::file_time_type newest{};
  int files = 0;
};

// Sizes and mtimes of the regular files under `path` (or of `path` itself),
// leaving out lock files. With split_leftovers, leftovers found inside are left
// out too and go to *leftovers when given.
Measure MeasurePath(const fs::path& path, bool split_leftovers,
                    std::vector<CacheLeftover>* leftovers, std::vector<std::string>* errors) {
  Measure measure;
  auto add_file = [&](const fs::path& file) {
    const std::string name = file.filename().string();
    if (name == kDownloadLockName || EndsWith(name, kLockSuffix)) return;
    std::error_code ec;
    uint64_t size = fs::file_size(file, ec);
    if (ec) return;  // vanished meanwhile
    if (split_leftovers && IsLeftoverName(name)) {
      if (leftovers) leftovers->push_back({file, size, {}});
      return;
    }
    fs::file_time_type mtime = fs::last_write_time(file, ec);
    if (!ec && (measure.files == 0 || mtime > measure.newest)) measure.newest = mtime;
    measure.bytes += size;
    ++measure.files;
  };
  std::error_code ec;
  fs::file_status status = fs::symlink_status(path, ec);
  if (fs::is_regular_file(status)) {
    add_file(path);
    return measure;
  }
  if (!fs::is_directory(status)) return measure;
  fs::recursive_directory_iterator it(path, ec), end;
  if (ec) errors->push_back(fmt::format("{}: cannot read: {}", path.string(), ec.message()));
  for (; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && !it->is_symlink(ec)) add_file(it->path());
  }
  return measure;
}

uint64_t TreeBytes(const fs::path& path, std::vector<std::string>* errors) {
  return MeasurePath(path, /*split_leftovers=*/false, nullptr, errors).bytes;
}

// The children of `directory`, sorted; none when it does not exist or is a
// link. Symbolic links among them are reported, never returned: the cache
// neither follows nor deletes one (it may lead out of the artifact directory).
std::vector<fs::directory_entry> Children(const fs::path& directory,
                                          std::vector<std::string>* errors) {
  std::vector<fs::directory_entry> children;
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(directory, ec))) return children;
  fs::directory_iterator it(directory, ec), end;
  if (ec) errors->push_back(fmt::format("{}: cannot read: {}", directory.string(), ec.message()));
  for (; !ec && it != end; it.increment(ec)) {
    std::error_code link_ec;
    if (it->is_symlink(link_ec)) {
      errors->push_back(
          fmt::format("{}: is a symbolic link; not followed, not deleted", it->path().string()));
      continue;
    }
    children.push_back(*it);
  }
  std::sort(children.begin(), children.end(),
            [](const auto& a, const auto& b) { return a.path() < b.path(); });
  return children;
}

void AddEntry(CacheScan* scan, CacheKind kind, const fs::path& path, fs::path lock_path,
              bool failed) {
  const size_t first_leftover = scan->leftovers.size();
  Measure measure = MeasurePath(path, /*split_leftovers=*/true, &scan->leftovers, &scan->errors);
  // Leftovers inside an entry were being written under the entry's lock.
  for (size_t i = first_leftover; i < scan->leftovers.size(); ++i) {
    scan->leftovers[i].lock_path = lock_path;
  }
  // A download directory holding only its lock is what a failed fetch leaves.
  if (kind == CacheKind::kDownloads && measure.files == 0) return;
  scan->entries.push_back(
      {kind, path, std::move(lock_path), measure.bytes, measure.newest, failed});
}

void AddLeftover(CacheScan* scan, const fs::path& path, fs::path lock_path) {
  scan->leftovers.push_back({path, TreeBytes(path, &scan->errors), std::move(lock_path)});
}

void ScanDownloads(const fs::path& root, CacheScan* scan) {
  for (const fs::directory_entry& child : Children(root, &scan->errors)) {
    std::error_code ec;
    const std::string name = child.path().filename().string();
    if (IsLeftoverName(name)) {
      AddLeftover(scan, child.path(), {});
    } else if (child.is_directory(ec) && IsKeyName(name, {""})) {
      AddEntry(scan, CacheKind::kDownloads, child.path(), CacheLayout::DownloadLock(child.path()),
               false);
    }
  }
}

void ScanModules(const fs::path& root, CacheScan* scan) {
  for (const fs::directory_entry& module : Children(root, &scan->errors)) {
    std::error_code ec;
    if (!module.is_directory(ec)) continue;
    for (const fs::directory_entry& child : Children(module.path(), &scan->errors)) {
      const std::string name = child.path().filename().string();
      // A failed compile shares the lock of the entry it failed to make, and
      // so do the leftovers of either.
      const std::string key = LeftoverTarget(name).substr(0, 16);
      const fs::path lock = CacheLayout::ModuleLock(module.path() / key);
      if (IsLeftoverName(name)) {
        AddLeftover(scan, child.path(), IsKeyName(key, {""}) ? lock : fs::path());
      } else if (child.is_directory(ec) && IsKeyName(name, {"", kFailedSuffix})) {
        AddEntry(scan, CacheKind::kModules, child.path(), lock, EndsWith(name, kFailedSuffix));
      }
    }
  }
}

void ScanParameters(const fs::path& root, CacheScan* scan) {
  for (const fs::directory_entry& module : Children(root, &scan->errors)) {
    std::error_code ec;
    if (!module.is_directory(ec)) continue;
    for (const fs::directory_entry& child : Children(module.path(), &scan->errors)) {
      const std::string name = child.path().filename().string();
      const fs::path target = module.path() / LeftoverTarget(name);
      if (IsLeftoverName(name)) {
        AddLeftover(scan, child.path(), CacheLayout::ParameterLock(target));
      } else if (child.is_regular_file(ec) && IsKeyName(name, {"-random.irpa", "-splat.irpa"})) {
        AddEntry(scan, CacheKind::kParameters, child.path(), CacheLayout::ParameterLock(target),
                 false);
      }
    }
  }
}

void ScanLogs(const fs::path& root, CacheScan* scan) {
  for (const fs::directory_entry& child : Children(root, &scan->errors)) {
    if (IsLeftoverName(child.path().filename().string())) {
      AddLeftover(scan, child.path(), {});
    } else {
      AddEntry(scan, CacheKind::kLogs, child.path(), {}, false);
    }
  }
}

// Deletes an entry; the caller holds its lock. Lock files stay (see header).
// Checked again just before: a link planted since the scan is not followed.
std::string RemoveEntry(const CacheLayout& layout, const CacheEntry& entry) {
  if (std::string link = layout.FindSymlink(entry.path); !link.empty()) return link;
  std::error_code ec;
  if (entry.kind == CacheKind::kDownloads) {
    for (const fs::directory_entry& child : fs::directory_iterator(entry.path, ec)) {
      if (child.path().filename() == kDownloadLockName) continue;
      std::error_code remove_ec;
      fs::remove_all(child.path(), remove_ec);
      if (remove_ec && !ec) ec = remove_ec;
    }
  } else {
    fs::remove_all(entry.path, ec);
  }
  if (ec) return fmt::format("{}: cannot remove: {}", entry.path.string(), ec.message());
  return {};
}

void Problem(std::vector<CacheProblem>* problems, const CacheEntry& entry, const fs::path& path,
             std::string what) {
  problems->push_back({entry.kind, entry.path, path, std::move(what), false, {}});
}

void VerifyDownload(const CacheEntry& entry, std::vector<CacheProblem>* problems) {
  std::vector<std::string> ignored;
  std::vector<fs::path> data_files;
  for (const fs::directory_entry& child : Children(entry.path, &ignored)) {
    const std::string name = child.path().filename().string();
    std::error_code ec;
    if (child.is_regular_file(ec) && name != kDownloadMetaName && name != kDownloadLockName &&
        !IsLeftoverName(name)) {
      data_files.push_back(child.path());
    }
  }
  const fs::path meta_path = entry.path / kDownloadMetaName;
  auto untrusted = [&](const std::string& why) {
    for (const fs::path& data : data_files) {
      Problem(problems, entry, data, fmt::format("data file without a valid meta.json ({})", why));
    }
    if (data_files.empty()) Problem(problems, entry, meta_path, why);
  };
  Result<std::string> text = ReadSmallFile(meta_path);
  if (!text) {
    untrusted("meta.json is missing or unreadable");
    return;
  }
  std::string url;
  std::string md5;
  uint64_t size = 0;
  JsonParseError parse_error;
  std::optional<nlohmann::json> json = ParseJsonText(*text, &parse_error);
  if (!json) {
    untrusted(fmt::format("meta.json is not valid: {}", parse_error.ToString()));
    return;
  }
  try {
    url = json->at("url").get<std::string>();
    size = json->at("size").get<uint64_t>();
    md5 = json->at("md5").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    untrusted(fmt::format("meta.json is not valid: {}", e.what()));
    return;
  }
  // The fetcher finds an entry by the hash of its URL: any other is dead weight.
  if (Sha256Hex(url).substr(0, 16) != entry.path.filename().string()) {
    Problem(problems, entry, meta_path,
            fmt::format("meta.json names {}, which does not belong in this directory", url));
    return;
  }
  const fs::path data = entry.path / DownloadFileName(url);
  std::error_code ec;
  uint64_t actual = fs::file_size(data, ec);
  if (ec) {
    Problem(problems, entry, data, "data file missing (meta.json describes it)");
    return;
  }
  if (actual != size) {
    Problem(problems, entry, data,
            fmt::format("size {} differs from meta.json's {}{}", actual, size,
                        actual < size ? " (truncated)" : ""));
    return;
  }
  if (md5.empty()) return;  // nothing to compare against
  Md5Stream stream;
  if (Status hashed = stream.UpdateFromFile(data, size); !hashed) {
    Problem(problems, entry, data, fmt::format("cannot read: {}", hashed.error()));
    return;
  }
  std::string actual_md5 = HexEncode(stream.Digest());
  std::string expected_md5 = md5;
  std::transform(expected_md5.begin(), expected_md5.end(), expected_md5.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (actual_md5 != expected_md5) {
    Problem(problems, entry, data,
            fmt::format("MD5 {} differs from meta.json's {}", actual_md5, md5));
  }
}

void VerifyModule(const CacheEntry& entry, std::vector<CacheProblem>* problems) {
  std::error_code ec;
  if (!fs::is_regular_file(entry.path / kVmfbName, ec)) {
    Problem(problems, entry, entry.path / kVmfbName, "module.vmfb missing");
  }
  const fs::path stats = entry.path / kStatsName;
  if (!fs::is_regular_file(stats, ec)) {
    Problem(problems, entry, stats, "compile_stats.json missing");
  } else if (Result<std::string> text = ReadSmallFile(stats); !text) {
    Problem(problems, entry, stats, text.error());
  } else if (JsonParseError parse_error; !ParseJsonText(*text, &parse_error)) {
    Problem(problems, entry, stats, fmt::format("does not parse: {}", parse_error.ToString()));
  }
  // Sizes and hashes against what was published; a run recompiles such an entry.
  if (std::string damage = CheckEntryManifest(entry.path, ManifestCheck::kHashes);
      !damage.empty()) {
    Problem(problems, entry, entry.path, damage);
  }
}

void VerifyParameters(const CacheEntry& entry, std::vector<CacheProblem>* problems) {
  std::error_code ec;
  uint64_t size = fs::file_size(entry.path, ec);
  if (ec) {
    Problem(problems, entry, entry.path, fmt::format("cannot stat: {}", ec.message()));
    return;
  }
  if (size % kIrpaFileAlignment != 0) {
    Problem(problems, entry, entry.path,
            fmt::format("size {} is not a multiple of {}", size, kIrpaFileAlignment));
  }
  char magic[4] = {};
  std::ifstream in(entry.path, std::ios::binary);
  in.read(magic, sizeof(magic));
  if (in.gcount() != sizeof(magic) || std::string_view(magic, sizeof(magic)) != "IRPA") {
    Problem(problems, entry, entry.path, "does not start with the \"IRPA\" magic");
  }
}

// Removes the leftovers that no process is writing: the lock of their entry
// is free (and held here meanwhile) or, without a lock, their writer is gone.
std::vector<CacheLeftover> RemoveAbandonedLeftovers(const CacheLayout& layout,
                                                    const std::vector<CacheLeftover>& leftovers,
                                                    bool dry_run,
                                                    std::vector<std::string>* errors) {
  std::vector<CacheLeftover> removed;
  for (const CacheLeftover& leftover : leftovers) {
    TryLock lock;
    Result<bool> held =
        leftover.lock_path.empty() ? WriterIsGone(leftover.path) : lock.Acquire(leftover.lock_path);
    if (!held) errors->push_back(held.error());
    if (!held || !*held) continue;
    if (std::string link = layout.FindSymlink(leftover.path); !link.empty()) {
      errors->push_back(link);
      continue;
    }
    std::error_code ec;
    if (!dry_run) fs::remove_all(leftover.path, ec);
    if (ec) {
      errors->push_back(fmt::format("{}: cannot remove: {}", leftover.path.string(), ec.message()));
      continue;
    }
    removed.push_back(leftover);
  }
  return removed;
}

}  // namespace

CacheScan ScanCache(const fs::path& artifact_directory) {
  CacheScan scan;
  const CacheLayout layout(artifact_directory);
  using Scanner = void (*)(const fs::path&, CacheScan*);
  const std::pair<CacheKind, Scanner> kinds[] = {{CacheKind::kDownloads, ScanDownloads},
                                                 {CacheKind::kModules, ScanModules},
                                                 {CacheKind::kParameters, ScanParameters},
                                                 {CacheKind::kLogs, ScanLogs}};
  for (const auto& [kind, scanner] : kinds) {
    const fs::path directory = layout.KindDirectory(kind);
    if (std::string link = layout.FindSymlink(directory); !link.empty()) {
      scan.errors.push_back(link);
      continue;
    }
    scanner(directory, &scan);
  }
  std::sort(scan.entries.begin(), scan.entries.end(),
            [](const CacheEntry& a, const CacheEntry& b) { return a.path < b.path; });
  std::sort(scan.leftovers.begin(), scan.leftovers.end(),
            [](const CacheLeftover& a, const CacheLeftover& b) { return a.path < b.path; });
  return scan;
}

CacheInfo GetCacheInfo(const fs::path& artifact_directory) {
  CacheScan scan = ScanCache(artifact_directory);
  CacheInfo info;
  for (const CacheEntry& entry : scan.entries) {
    CacheKindTotals& totals = info.kinds[static_cast<int>(entry.kind)];
    ++totals.entries;
    totals.bytes += entry.bytes;
    ++info.total_entries;
    info.total_bytes += entry.bytes;
  }
  for (const CacheLeftover& leftover : scan.leftovers) info.leftover_bytes += leftover.bytes;
  info.total_bytes += info.leftover_bytes;
  info.leftovers = std::move(scan.leftovers);
  info.errors = std::move(scan.errors);
  return info;
}

CacheVerifyReport VerifyCache(const fs::path& artifact_directory, bool fix) {
  CacheScan scan = ScanCache(artifact_directory);
  const CacheLayout layout(artifact_directory);
  CacheVerifyReport report;
  report.errors = std::move(scan.errors);
  if (fix) {
    report.removed_leftovers =
        RemoveAbandonedLeftovers(layout, scan.leftovers, /*dry_run=*/false, &report.errors);
  }
  for (const CacheEntry& entry : scan.entries) {
    if (entry.kind == CacheKind::kLogs || entry.failed_compile) continue;
    // Under the lock, so a fetch or compile in progress is not taken for damage.
    TryLock lock;
    Result<bool> held = lock.Acquire(entry.lock_path);
    if (!held || !*held) {
      if (held) {
        report.skipped_in_use.push_back(entry.path);
      } else {
        report.errors.push_back(held.error());
      }
      continue;
    }
    ++report.checked;
    std::vector<CacheProblem> problems;
    switch (entry.kind) {
      case CacheKind::kDownloads:
        VerifyDownload(entry, &problems);
        break;
      case CacheKind::kModules:
        VerifyModule(entry, &problems);
        break;
      case CacheKind::kParameters:
        VerifyParameters(entry, &problems);
        break;
      case CacheKind::kLogs:
        break;
    }
    if (fix && !problems.empty()) {
      std::string remove_error = RemoveEntry(layout, entry);
      for (CacheProblem& problem : problems) {
        problem.removed = remove_error.empty();
        problem.fix_error = remove_error;
      }
    }
    for (CacheProblem& problem : problems) report.problems.push_back(std::move(problem));
  }
  return report;
}

PruneReport PruneCache(const fs::path& artifact_directory, const PruneOptions& options) {
  CacheScan scan = ScanCache(artifact_directory);
  PruneReport report;
  report.errors = std::move(scan.errors);
  for (const CacheEntry& entry : scan.entries) report.bytes_before += entry.bytes;
  for (const CacheLeftover& leftover : scan.leftovers) report.bytes_before += leftover.bytes;
  uint64_t total = report.bytes_before;
  const CacheLayout layout(artifact_directory);
  report.deleted_leftovers =
      RemoveAbandonedLeftovers(layout, scan.leftovers, options.dry_run, &report.errors);
  for (const CacheLeftover& leftover : report.deleted_leftovers) {
    total -= std::min(total, leftover.bytes);
  }

  std::vector<CacheEntry> entries = std::move(scan.entries);
  std::stable_sort(entries.begin(), entries.end(), [](const CacheEntry& a, const CacheEntry& b) {
    return a.last_use < b.last_use;
  });
  for (const CacheEntry& entry : entries) {
    if (total <= options.max_bytes) break;
    TryLock lock;
    if (!entry.lock_path.empty()) {
      Result<bool> held = lock.Acquire(entry.lock_path);
      if (!held || !*held) {
        if (held) {
          report.skipped_locked.push_back(entry);
        } else {
          report.errors.push_back(held.error());
        }
        continue;
      }
      // Rewritten since the scan (e.g. just recompiled): no longer the oldest.
      std::vector<std::string> ignored;
      if (MeasurePath(entry.path, /*split_leftovers=*/true, nullptr, &ignored).newest !=
          entry.last_use) {
        report.skipped_locked.push_back(entry);
        continue;
      }
    }
    if (!options.dry_run) {
      if (std::string remove_error = RemoveEntry(layout, entry); !remove_error.empty()) {
        report.errors.push_back(remove_error);
        continue;
      }
    }
    total -= std::min(total, entry.bytes);
    report.deleted.push_back(entry);
  }
  report.bytes_after = total;
  return report;
}

std::optional<uint64_t> ParseByteSize(std::string_view text) {
  size_t digits_end = 0;
  while (digits_end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits_end])) || text[digits_end] == '.')) {
    ++digits_end;
  }
  std::string number(text.substr(0, digits_end));
  std::string unit(text.substr(digits_end));
  std::transform(unit.begin(), unit.end(), unit.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  if (number.empty() || number == "." || std::count(number.begin(), number.end(), '.') > 1) {
    return std::nullopt;
  }
  static const std::map<std::string, int> kShifts = {
      {"", 0},    {"B", 0},    {"K", 10}, {"KB", 10}, {"KIB", 10}, {"M", 20},
      {"MB", 20}, {"MIB", 20}, {"G", 30}, {"GB", 30}, {"GIB", 30}, {"T", 40},
      {"TB", 40}, {"TIB", 40}, {"P", 50}, {"PB", 50}, {"PIB", 50},
  };
  auto shift = kShifts.find(unit);
  if (shift == kShifts.end()) return std::nullopt;
  long double value = std::strtold(number.c_str(), nullptr) * std::ldexp(1.0L, shift->second);
  if (!std::isfinite(value) || value >= 18446744073709551615.0L) return std::nullopt;
  return static_cast<uint64_t>(value + 0.5L);
}

}  // namespace iree_suite
