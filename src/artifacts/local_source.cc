#include "artifacts/local_source.h"

#include <fmt/format.h>

namespace iree_suite {

bool IsRemoteUrl(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

Result<std::filesystem::path> ResolveLocalSource(
    const std::string& url, const std::filesystem::path& external_file_directory) {
  if (IsRemoteUrl(url)) {
    return Error{
        fmt::format("cannot fetch {}: http(s) downloads are not supported by this build yet", url)};
  }
  std::filesystem::path path;
  if (url.rfind("file://", 0) == 0) {
    path = url.substr(7);
    if (!path.is_absolute()) {
      return Error{fmt::format("{}: a file:// URL needs an absolute path (file:///...)", url)};
    }
  } else if (url.find("://") != std::string::npos) {
    return Error{
        fmt::format("{}: unsupported URL scheme; expected http://, https://, file:// or a "
                    "path",
                    url)};
  } else {
    path = std::filesystem::path(url);
    if (path.is_relative()) path = external_file_directory / path;
  }
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (!std::filesystem::is_regular_file(status)) {
    // Say what is there: a directory or a device is no "file not found".
    const char* what = !std::filesystem::exists(status)        ? "file not found"
                       : std::filesystem::is_directory(status) ? "a directory, not a file"
                                                               : "not a regular file";
    return Error{fmt::format("{}: {} ({})", url, what, path.string())};
  }
  return std::filesystem::absolute(path).lexically_normal();
}

}  // namespace iree_suite
