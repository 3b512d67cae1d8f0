#include "suite/suite_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "base/paths.h"
#include "suite/json_file.h"
#include "suite/schema.h"
#include "suite/tree_walk.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

// The JSON files of the suite, read during the walk (relative to their
// folder: a long path costs no lookup of every component per file).
std::vector<TreeEntry> FindJsonFiles(const SuiteLocation& location,
                                     std::vector<Diagnostic>* errors) {
  std::vector<fs::path> roots;
  std::error_code ec;
  for (const fs::path& path : location.restrict_to) roots.push_back(fs::weakly_canonical(path, ec));
  std::vector<TreeEntry> files;
  auto is_json = [](const fs::path& name) { return name.extension() == ".json"; };
  // Directory symlinks are followed (suites link shared folders), each real
  // directory once, so a link cycle cannot repeat tests.
  for (TreeEntry& entry : WalkTree(location.test_directory, errors, is_json)) {
    if (entry.directory || entry.path.extension() != ".json") continue;
    if (!roots.empty()) {
      fs::path canonical = fs::weakly_canonical(entry.path, ec);
      if (ec || std::none_of(roots.begin(), roots.end(),
                             [&](const fs::path& root) { return IsWithin(canonical, root); })) {
        continue;
      }
    }
    files.push_back(std::move(entry));
  }
  // std::filesystem::path orders element by element, as Python's sorted(Path) does.
  std::sort(files.begin(), files.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; });
  return files;
}

// Loads and validates module JSONs once each, however many tests name them.
class ModuleCache {
 public:
  explicit ModuleCache(fs::path module_directory)
      : module_directory_(std::move(module_directory)) {}

  // Returns an empty string when `name` is a valid module, else why not.
  std::string Check(const std::string& name, std::vector<Diagnostic>* errors) {
    auto it = status_.find(name);
    if (it != status_.end()) return it->second;
    fs::path path = ModuleJsonPath(module_directory_, name);
    std::string problem;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      problem = fmt::format("module \"{}\" not found: {} does not exist", name, path.string());
    } else {
      Diagnostic diagnostic;
      std::optional<nlohmann::json> document = ReadJsonFile(path, &diagnostic);
      ModuleDefinition module;
      module.name = name;
      if (!document) {
        errors->push_back(diagnostic);
        problem = fmt::format("module \"{}\" is invalid: {}", name, diagnostic.ToString());
      } else {
        std::vector<Diagnostic> module_errors;
        if (ParseModuleDefinition(*document, path, &module, &module_errors)) {
          modules_[name] = std::move(module);
        } else {
          problem = fmt::format("module \"{}\" is invalid: {}", name, module_errors[0].ToString());
          errors->insert(errors->end(), module_errors.begin(), module_errors.end());
        }
      }
    }
    status_[name] = problem;
    return problem;
  }

  std::map<std::string, ModuleDefinition>& modules() { return modules_; }

 private:
  fs::path module_directory_;
  std::map<std::string, std::string> status_;
  std::map<std::string, ModuleDefinition> modules_;
};

}  // namespace

fs::path ModuleJsonPath(const fs::path& module_directory, const std::string& name) {
  return module_directory / (name + ".json");
}

LoadedSuite LoadSuite(const SuiteLocation& location) {
  LoadedSuite suite;
  ModuleCache module_cache(location.module_directory);
  for (const TreeEntry& entry : FindJsonFiles(location, &suite.errors)) {
    const fs::path& file = entry.path;
    Diagnostic syntax{file.string(), "", entry.read_error};
    std::optional<nlohmann::json> document =
        entry.contents ? ParseJsonFileText(file, *entry.contents, &syntax) : std::nullopt;
    if (!document) {
      suite.errors.push_back(syntax);
      ++suite.invalid_test_files;
      continue;
    }
    TestDefinition test;
    std::vector<Diagnostic> errors;
    ParseStatus status = ParseTestDefinition(*document, file, &test, &errors);
    if (status == ParseStatus::kNotATest) continue;
    if (status == ParseStatus::kTest) {
      const char* field = test.kind == TestKind::kCompstat ? "module" : "modules";
      for (size_t i = 0; i < test.modules.size(); ++i) {
        std::string problem = module_cache.Check(test.modules[i], &errors);
        if (!problem.empty()) {
          std::string path =
              test.kind == TestKind::kCompstat ? field : fmt::format("{}[{}]", field, i);
          errors.push_back({file.string(), path, problem});
        }
      }
      for (size_t i = 0; i < test.weights.size(); ++i) {
        if (test.weights[i].kind == WeightSpec::Kind::kUrl) continue;
        std::string problem = module_cache.Check(test.weights[i].module, &errors);
        if (!problem.empty()) {
          errors.push_back({file.string(), fmt::format("weights[{}].module", i), problem});
        }
      }
    }
    if (!errors.empty()) {
      suite.errors.insert(suite.errors.end(), errors.begin(), errors.end());
      ++suite.invalid_test_files;
      continue;
    }
    std::vector<Diagnostic> unknown = UnknownTestFields(*document, test.kind, file);
    suite.warnings.insert(suite.warnings.end(), unknown.begin(), unknown.end());
    test.id = file.lexically_relative(location.test_directory).generic_string();
    suite.tests.push_back(std::move(test));
  }
  suite.modules = std::move(module_cache.modules());
  return suite;
}

}  // namespace iree_suite
