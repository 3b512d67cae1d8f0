#include "suite/op_suite_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "artifacts/atomic_file.h"
#include "suite/json_file.h"
#include "suite/tree_walk.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

const char* const kListFields[] = {"skip_compile_tests", "skip_run_tests",
                                   "expected_compile_failures", "expected_run_failures"};

std::string NormalizeFolder(std::string folder) {
  while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
  return folder;
}

// Reads `field` as an array of strings; `required` fields must be present.
bool ReadStringArray(const nlohmann::json& document, const char* field, bool required,
                     const fs::path& file, std::vector<std::string>* out,
                     std::vector<Diagnostic>* errors) {
  auto it = document.find(field);
  if (it == document.end()) {
    if (!required) return true;
    errors->push_back({file.string(), field, "required field is missing (array of strings)"});
    return false;
  }
  if (!it->is_array()) {
    errors->push_back({file.string(), field,
                       fmt::format("expected an array of strings, got {}", it->type_name())});
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < it->size(); ++i) {
    const nlohmann::json& entry = (*it)[i];
    if (!entry.is_string()) {
      errors->push_back({file.string(), fmt::format("{}[{}]", field, i),
                         fmt::format("expected a string, got {}", entry.type_name())});
      ok = false;
      continue;
    }
    out->push_back(entry.get<std::string>());
  }
  return ok;
}

bool IsWithin(const fs::path& path, const fs::path& root) {
  auto [root_end, unused] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

// Test folders below `root` (relative, '/'-separated, sorted element-wise as
// pytest sorts paths); folders with the flagfile but not exactly one model are errors.
std::vector<std::pair<fs::path, fs::path>> FindTestFolders(const fs::path& root,
                                                           std::vector<Diagnostic>* errors) {
  // The files of each directory, from one walk (links followed, each real
  // directory once: a link cycle repeats no folder).
  std::map<fs::path, std::vector<fs::path>> files_by_directory = {{root, {}}};
  for (const TreeEntry& entry : WalkTree(root, errors)) {
    if (entry.directory) {
      files_by_directory[entry.path];
    } else {
      files_by_directory[entry.path.parent_path()].push_back(entry.path);
    }
  }
  std::vector<std::pair<fs::path, fs::path>> folders;  // (relative folder, model)
  for (const auto& [directory, files] : files_by_directory) {
    bool has_flagfile = false;
    std::vector<fs::path> models;
    for (const fs::path& file : files) {
      const std::string ext = file.extension().string();
      has_flagfile |= file.filename() == kOpSuiteFlagfile;
      if (ext == ".mlir" || ext == ".mlirbc") models.push_back(file);
    }
    if (!has_flagfile) continue;
    if (models.size() != 1) {
      errors->push_back(
          {directory.string(), "",
           fmt::format("a test folder needs exactly one .mlir or .mlirbc file beside {}, found {}",
                       kOpSuiteFlagfile, models.size())});
      continue;
    }
    folders.emplace_back(directory.lexically_relative(root), models.front());
  }
  std::sort(folders.begin(), folders.end());
  return folders;
}

}  // namespace

std::string OpSuiteTestId(const std::string& folder, const std::string& config_name) {
  return folder + "::" + config_name;
}

std::optional<OpSuiteConfig> ReadOpSuiteConfig(const fs::path& file,
                                               std::vector<Diagnostic>* errors,
                                               std::vector<Diagnostic>* warnings) {
  std::string text;
  std::string read_error;
  if (!ReadSmallFile(file, &text, &read_error)) {
    errors->push_back({file.string(), "", read_error});
    return std::nullopt;
  }
  // The reference reads configs as JSON5: // comments and trailing commas.
  JsonParseError parse_error;
  std::optional<nlohmann::json> parsed =
      ParseJsonText(BlankTrailingCommas(text), &parse_error, /*allow_comments=*/true);
  if (!parsed) {
    errors->push_back({file.string(), parse_error.field, parse_error.message});
    return std::nullopt;
  }
  const nlohmann::json& document = *parsed;
  if (!document.is_object()) {
    errors->push_back({file.string(), "", "expected a JSON object"});
    return std::nullopt;
  }
  OpSuiteConfig config;
  config.file = file;
  bool ok = true;
  auto name = document.find("config_name");
  if (name == document.end()) {
    errors->push_back({file.string(), "config_name", "required field is missing (string)"});
    ok = false;
  } else if (!name->is_string() || name->get<std::string>().empty()) {
    errors->push_back({file.string(), "config_name",
                       fmt::format("expected a non-empty string, got {}", name->dump())});
    ok = false;
  } else {
    config.name = name->get<std::string>();
  }
  ok &= ReadStringArray(document, "iree_compile_flags", true, file, &config.compile_flags, errors);
  ok &= ReadStringArray(document, "iree_run_module_flags", true, file, &config.run_flags, errors);
  std::vector<std::string>* lists[] = {&config.skip_compile_tests, &config.skip_run_tests,
                                       &config.expected_compile_failures,
                                       &config.expected_run_failures};
  for (size_t i = 0; i < std::size(kListFields); ++i) {
    ok &= ReadStringArray(document, kListFields[i], false, file, lists[i], errors);
    for (std::string& folder : *lists[i]) folder = NormalizeFolder(folder);
  }
  static const std::set<std::string> kKnown = {
      "config_name",    "iree_compile_flags",        "iree_run_module_flags", "skip_compile_tests",
      "skip_run_tests", "expected_compile_failures", "expected_run_failures"};
  for (const auto& [key, value] : document.items()) {
    if (!kKnown.count(key)) warnings->push_back({file.string(), key, "unknown field, ignored"});
  }
  if (!ok) return std::nullopt;
  return config;
}

LoadedSuite LoadOpSuite(const OpSuiteOptions& options) {
  LoadedSuite suite;
  const fs::path root = fs::absolute(options.suite_root).lexically_normal();
  std::vector<OpSuiteConfig> configs;
  std::set<std::string> names;
  for (const fs::path& file : options.config_files) {
    std::optional<OpSuiteConfig> config = ReadOpSuiteConfig(file, &suite.errors, &suite.warnings);
    if (!config) {
      ++suite.invalid_test_files;
      continue;
    }
    if (!names.insert(config->name).second) {
      suite.errors.push_back({file.string(), "config_name",
                              fmt::format("\"{}\" is already the name of an earlier config; test "
                                          "ids would collide",
                                          config->name)});
      ++suite.invalid_test_files;
      continue;
    }
    configs.push_back(std::move(*config));
  }

  std::vector<std::pair<fs::path, fs::path>> folders = FindTestFolders(root, &suite.errors);
  std::set<std::string> known;
  for (const auto& [folder, model] : folders) known.insert(folder.generic_string());
  for (const OpSuiteConfig& config : configs) {
    const std::vector<std::string>* lists[] = {&config.skip_compile_tests, &config.skip_run_tests,
                                               &config.expected_compile_failures,
                                               &config.expected_run_failures};
    for (size_t i = 0; i < std::size(kListFields); ++i) {
      for (size_t j = 0; j < lists[i]->size(); ++j) {
        if (!known.count((*lists[i])[j])) {
          suite.warnings.push_back(
              {config.file.string(), fmt::format("{}[{}]", kListFields[i], j),
               fmt::format("\"{}\" is not a test folder under {}", (*lists[i])[j], root.string())});
        }
      }
    }
  }

  std::vector<fs::path> roots;
  for (const fs::path& path : options.restrict_to) {
    roots.push_back(fs::weakly_canonical(fs::absolute(path)));
  }
  const fs::path canonical_root = fs::weakly_canonical(root);
  auto contains = [](const std::vector<std::string>& list, const std::string& folder) {
    return std::find(list.begin(), list.end(), folder) != list.end();
  };
  for (const auto& [relative, model] : folders) {
    const fs::path wanted = canonical_root / relative;
    if (!roots.empty() && std::none_of(roots.begin(), roots.end(),
                                       [&](const fs::path& r) { return IsWithin(wanted, r); })) {
      continue;
    }
    const std::string folder = relative.generic_string();
    const fs::path directory = (root / relative).lexically_normal();
    std::string leaf = directory.filename().string();
    for (const OpSuiteConfig& config : configs) {
      if (contains(config.skip_compile_tests, folder)) continue;
      ModuleDefinition module;
      module.name = OpSuiteTestId(folder, config.name);
      module.json_path = config.file;
      module.mlir = fs::absolute(model).lexically_normal().string();
      module.compiler_flags = config.compile_flags;

      TestDefinition test;
      test.id = OpSuiteTestId(folder, config.name);
      test.json_path = config.file;
      test.kind = TestKind::kQuality;
      test.markers = {config.name, "op_suite"};
      if (std::find(test.markers.begin(), test.markers.end(), leaf) == test.markers.end()) {
        test.markers.push_back(leaf);
      }
      test.modules = {module.name};
      // iree-run-module calls the module's only exported function without --function.
      test.run_args = {fmt::format("--flagfile={}", kOpSuiteFlagfile)};
      test.run_args.insert(test.run_args.end(), config.run_flags.begin(), config.run_flags.end());
      test.working_directory = directory;
      test.compile_only = options.skip_all_runs || contains(config.skip_run_tests, folder);
      if (!options.ignore_xfails) {
        if (contains(config.expected_compile_failures, folder)) {
          test.expectation = TestDefinition::Expectation::kCompileFailure;
        } else if (contains(config.expected_run_failures, folder) && !test.compile_only) {
          // A test that is not run cannot fail at run time: no XPASS for it.
          test.expectation = TestDefinition::Expectation::kRunFailure;
        }
      }
      test.expectation_source = config.file.string();
      suite.modules.emplace(module.name, std::move(module));
      suite.tests.push_back(std::move(test));
    }
  }
  return suite;
}

}  // namespace iree_suite
