#include "artifacts/fetch/download_cache.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "artifacts/fetch/digest.h"
#include "base/atomic_file.h"
#include "suite/json_file.h"

namespace iree_suite {
namespace fs = std::filesystem;

std::string DownloadFileName(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  size_t scheme = path.find("://");
  if (scheme != std::string::npos) {
    size_t slash = path.find('/', scheme + 3);
    path = slash == std::string::npos ? "" : path.substr(slash);
  }
  std::string name = path.substr(path.find_last_of('/') + 1);
  std::string safe;
  for (char c : name) {
    bool plain = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
                 c == '+' || c == '%';
    safe += plain ? c : '_';
  }
  if (safe.empty()) safe = "download";
  // Never a hidden name nor the name of the entry's own bookkeeping files.
  if (safe[0] == '.' || safe == kDownloadMetaName) safe.insert(0, "_");
  return safe;
}

std::string ApplyUrlMirrors(const std::string& url,
                            const std::vector<std::pair<std::string, std::string>>& mirrors) {
  for (const auto& [prefix, replacement] : mirrors) {
    if (!prefix.empty() && url.rfind(prefix, 0) == 0) {
      return replacement + url.substr(prefix.size());
    }
  }
  return url;
}

std::optional<DownloadMeta> ReadTrustedMeta(const fs::path& entry_directory,
                                            const std::string& file_name, const std::string& url) {
  Result<std::string> text = ReadSmallFile(entry_directory / kDownloadMetaName);
  if (!text) return std::nullopt;
  JsonParseError parse_error;
  std::optional<nlohmann::json> parsed = ParseJsonText(*text, &parse_error);
  if (!parsed || !parsed->is_object()) return std::nullopt;
  const nlohmann::json& json = *parsed;
  DownloadMeta meta;
  try {
    meta.url = json.at("url").get<std::string>();
    meta.fetched_from = json.value("fetched_from", meta.url);
    meta.size = json.at("size").get<uint64_t>();
    meta.etag = json.value("etag", "");
    meta.last_modified = json.value("last_modified", "");
    meta.content_md5 = json.value("content_md5", "");
    meta.md5 = json.at("md5").get<std::string>();
    meta.fetched_at = json.value("fetched_at", "");
    meta.data_mtime_ns = json.value("data_mtime_ns", int64_t{0});
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  // Size and time: rehashing multi-GB files on every run is what we avoid.
  const fs::path data = entry_directory / file_name;
  std::error_code ec;
  uintmax_t size = fs::file_size(data, ec);
  if (ec || meta.url != url || size != meta.size) return std::nullopt;
  const int64_t mtime = DataMtimeNs(data);
  if (meta.data_mtime_ns == 0 || mtime == meta.data_mtime_ns) return meta;
  // Touched since it was fetched: trusted again only with the same bytes.
  Md5Stream md5;
  if (!md5.UpdateFromFile(data, size) || HexEncode(md5.Digest()) != meta.md5) {
    return std::nullopt;
  }
  meta.data_mtime_ns = mtime;
  (void)WriteDownloadMeta(entry_directory / kDownloadMetaName, meta);  // best effort
  return meta;
}

int64_t DataMtimeNs(const fs::path& path) {
  std::error_code ec;
  fs::file_time_type time = fs::last_write_time(path, ec);
  if (ec) return 0;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

Status WriteDownloadMeta(const fs::path& path, const DownloadMeta& meta) {
  nlohmann::json json = {
      {"url", meta.url},
      {"fetched_from", meta.fetched_from},
      {"size", meta.size},
      {"etag", meta.etag},
      {"last_modified", meta.last_modified},
      {"content_md5", meta.content_md5},
      {"md5", meta.md5},
      {"fetched_at", meta.fetched_at},
      {"data_mtime_ns", meta.data_mtime_ns},
  };
  return WriteFileAtomically(path, json.dump(2) + "\n");
}

std::string UtcTimestamp() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace iree_suite
