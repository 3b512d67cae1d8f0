// Resolves the "url" of an MLIR file, weight or argspec to a local file.
// Remote (http/https) fetching is a separate fetcher; this handles what is
// already on disk: plain paths (relative to the external file directory)
// and file:// URLs.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "base/result.h"

namespace iree_suite {

bool IsRemoteUrl(const std::string& url);

// The absolute path of an existing local file.
Result<std::filesystem::path> ResolveLocalSource(
    const std::string& url, const std::filesystem::path& external_file_directory);

}  // namespace iree_suite
