// Resolves the "url" of an MLIR file, weight or argspec to a local file.
// Remote (http/https) fetching is a separate fetcher; this handles what is
// already on disk: plain paths (relative to the external file directory)
// and file:// URLs.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace iree_suite {

bool IsRemoteUrl(const std::string& url);

// Returns the absolute path of an existing local file, or nullopt with *error.
std::optional<std::filesystem::path> ResolveLocalSource(
    const std::string& url, const std::filesystem::path& external_file_directory,
    std::string* error);

}  // namespace iree_suite
