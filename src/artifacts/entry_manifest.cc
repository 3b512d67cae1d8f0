#include "artifacts/entry_manifest.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "artifacts/cache_layout.h"
#include "artifacts/hasher.h"
#include "base/atomic_file.h"
#include "suite/json_file.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

// Whether `path` starts as a compiled IREE module does: a ZIP archive (the
// .vmfb container) or a FlatBuffer with the "IREE" file identifier.
bool HasModuleHeader(const fs::path& path) {
  char head[8] = {};
  std::ifstream in(path, std::ios::binary);
  in.read(head, sizeof(head));
  if (in.gcount() != sizeof(head)) return false;
  const std::string_view bytes(head, sizeof(head));
  return bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4) || bytes.substr(4, 4) == "IREE";
}

constexpr int kManifestFormat = 1;

Result<std::string> FileHash(const fs::path& path) {
  Hasher hasher;
  if (Status added = hasher.AddFile("file", path); !added) return Error{added.error()};
  return hasher.HexDigest();
}

// The manifest's "files" object.
Result<nlohmann::json> ReadManifestFiles(const fs::path& directory) {
  const fs::path path = CacheLayout::EntryManifest(directory);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return Error{"manifest.json missing (no record of what was published)"};
  }
  Result<std::string> text = ReadSmallFile(path);
  if (!text) return Error{text.error()};
  JsonParseError parse_error;
  std::optional<nlohmann::json> json = ParseJsonText(*text, &parse_error);
  if (!json || !json->is_object() || !json->contains("files") || !(*json)["files"].is_object() ||
      (*json)["files"].empty()) {
    return Error{"manifest.json: files: expected an object naming each file with size and sha256"};
  }
  return (*json)["files"];
}

std::string CheckFile(const fs::path& directory, const std::string& name,
                      const nlohmann::json& record, ManifestCheck check) {
  if (!record.is_object() || !record.contains("size") || !record["size"].is_number_unsigned() ||
      !record.contains("sha256") || !record["sha256"].is_string()) {
    return fmt::format("manifest.json: files.{}: expected size and sha256", name);
  }
  const fs::path path = directory / name;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return fmt::format("{}: missing", name);
  const uint64_t size = fs::file_size(path, ec);
  if (ec) return fmt::format("{}: missing", name);
  const uint64_t recorded = record["size"].get<uint64_t>();
  if (size != recorded) {
    return fmt::format("{}: {} bytes, {} when published{}", name, size, recorded,
                       size < recorded ? " (truncated)" : "");
  }
  if (name.size() > 5 && name.ends_with(".vmfb") && !HasModuleHeader(path)) {
    return fmt::format("{}: not a compiled module (unknown header)", name);
  }
  if (check == ManifestCheck::kSizes) return {};
  Result<std::string> hash = FileHash(path);
  if (!hash) return hash.error();
  if (*hash != record["sha256"].get<std::string>()) {
    return fmt::format("{}: contents differ from when published (SHA-256 {}, recorded {})", name,
                       hash->substr(0, 16), record["sha256"].get<std::string>().substr(0, 16));
  }
  return {};
}

}  // namespace

Status WriteEntryManifest(const fs::path& directory, const std::vector<std::string>& names) {
  nlohmann::json files = nlohmann::json::object();
  for (const std::string& name : names) {
    std::error_code ec;
    const uint64_t size = fs::file_size(directory / name, ec);
    if (ec) return Error{fmt::format("{}: {}", (directory / name).string(), ec.message())};
    Result<std::string> hash = FileHash(directory / name);
    if (!hash) return Error{hash.error()};
    files[name] = {{"size", size}, {"sha256", *hash}};
  }
  nlohmann::json manifest = {{"format", kManifestFormat}, {"files", files}};
  return WriteFileAtomically(CacheLayout::EntryManifest(directory), manifest.dump(2) + "\n");
}

std::string CheckEntryManifest(const fs::path& directory, ManifestCheck check) {
  Result<nlohmann::json> files = ReadManifestFiles(directory);
  if (!files) return files.error();
  for (const auto& [name, record] : files->items()) {
    // A name is one file of this directory, never a path out of it.
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
      return fmt::format("manifest.json: files: \"{}\" is not a file name", name);
    }
    if (std::string problem = CheckFile(directory, name, record, check); !problem.empty()) {
      return problem;
    }
  }
  return {};
}

}  // namespace iree_suite
