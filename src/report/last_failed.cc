#include "report/last_failed.h"

#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "suite/json_file.h"

namespace iree_suite {

std::filesystem::path LastFailedPath(const std::filesystem::path& artifact_directory) {
  return artifact_directory / "lastfailed.json";
}

std::set<std::string> ReadLastFailed(const std::filesystem::path& artifact_directory) {
  std::set<std::string> ids;
  Result<std::string> text = ReadSmallFile(LastFailedPath(artifact_directory));
  if (!text) return ids;
  JsonParseError parse_error;
  std::optional<nlohmann::json> document = ParseJsonText(*text, &parse_error);
  if (!document || !document->is_object() || !(*document)["failed"].is_array()) return ids;
  for (const auto& id : (*document)["failed"]) {
    if (id.is_string()) ids.insert(id.get<std::string>());
  }
  return ids;
}

Status UpdateLastFailed(const std::filesystem::path& artifact_directory,
                        const std::vector<TestResult>& results) {
  std::set<std::string> ids = ReadLastFailed(artifact_directory);
  for (const TestResult& result : results) {
    if (IsFailure(result.outcome)) {
      ids.insert(result.test->id);
    } else if (result.outcome == Outcome::kPassed || result.outcome == Outcome::kXFailed) {
      ids.erase(result.test->id);
    }
  }
  nlohmann::json document = {{"failed", ids}};
  return WriteFileAtomically(
      LastFailedPath(artifact_directory),
      document.dump(2, ' ', true, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace iree_suite
