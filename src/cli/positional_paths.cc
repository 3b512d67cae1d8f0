#include "cli/positional_paths.h"

#include <algorithm>

#include "base/paths.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSeparator = "::";

std::vector<std::string> SplitParts(std::string_view text) {
  std::vector<std::string> parts;
  for (size_t end = text.find(kSeparator);; end = text.find(kSeparator)) {
    parts.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + kSeparator.size());
  }
  return parts;
}

fs::path Canonical(const fs::path& path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(fs::absolute(path), ec);
  return ec ? fs::absolute(path).lexically_normal() : canonical;
}

// Where a test is defined: its JSON file, or an operator suite's test folder.
fs::path TestLocation(const TestDefinition& test) {
  return Canonical(test.working_directory.empty() ? test.json_path : test.working_directory);
}

// pytest names a JSON suite's test by its file name; an operator suite's by
// "model.mlir::<config>", which our ids shorten to "<folder>::<config>".
// `location` is the test's TestLocation, worked out once per test.
bool NamesTest(const PositionalPath& argument, const TestDefinition& test,
               const fs::path& location) {
  if (test.working_directory.empty()) {
    return argument.path == location && argument.parts.size() == 1 &&
           argument.parts[0] == location.filename().string();
  }
  const size_t config = test.id.rfind(kSeparator);
  return argument.root == location && argument.parts.size() <= 2 && config != std::string::npos &&
         argument.parts.back() == test.id.substr(config + kSeparator.size());
}

// Whether `argument` selects `test`: it lies at or below a plain path, or an
// argument with parts names it.
bool SelectsTest(const PositionalPath& argument, const TestDefinition& test,
                 const fs::path& location) {
  if (!argument.parts.empty()) return NamesTest(argument, test, location);
  return IsWithin(location, argument.root);
}

}  // namespace

Result<std::vector<PositionalPath>> ParsePositionalPaths(const std::vector<fs::path>& arguments,
                                                         bool operator_suite) {
  std::vector<PositionalPath> paths;
  for (const fs::path& argument : arguments) {
    std::vector<std::string> parts = SplitParts(argument.string());
    const fs::path path = parts.front();
    parts.erase(parts.begin());
    std::error_code ec;
    if (path.empty() || !fs::exists(path, ec)) {
      return Error{"file or directory not found: " + argument.string()};
    }
    const bool directory = fs::is_directory(path, ec);
    if (!parts.empty() && !operator_suite && directory) {
      return Error{"directory argument cannot contain :: selection parts: " + argument.string()};
    }
    const fs::path canonical = Canonical(path);
    const bool file_in_test_folder = operator_suite && !directory;
    paths.push_back({argument.string(), canonical,
                     file_in_test_folder ? canonical.parent_path() : canonical, std::move(parts)});
  }
  return paths;
}

std::vector<fs::path> CollectionRoots(const std::vector<PositionalPath>& paths) {
  std::vector<fs::path> roots;
  for (const PositionalPath& path : paths) roots.push_back(path.root);
  return roots;
}

std::vector<std::string> KeepSelectedByPaths(const std::vector<PositionalPath>& paths,
                                             std::vector<const TestDefinition*>* tests) {
  if (std::none_of(paths.begin(), paths.end(),
                   [](const PositionalPath& path) { return !path.parts.empty(); })) {
    return {};
  }
  std::vector<bool> used(paths.size());
  std::vector<const TestDefinition*> kept;
  for (const TestDefinition* test : *tests) {
    const fs::path location = TestLocation(*test);
    bool selected = false;
    for (size_t i = 0; i < paths.size(); ++i) {
      if (SelectsTest(paths[i], *test, location)) used[i] = selected = true;
    }
    if (selected) kept.push_back(test);
  }
  *tests = std::move(kept);
  std::vector<std::string> unmatched;
  for (size_t i = 0; i < paths.size(); ++i) {
    if (!used[i] && !paths[i].parts.empty()) unmatched.push_back(paths[i].argument);
  }
  return unmatched;
}

}  // namespace iree_suite
