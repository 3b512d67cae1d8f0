#include "suite/op_suite_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "base/atomic_file.h"
#include "base/paths.h"
#include "suite/json_file.h"
#include "suite/torch_ops_test.h"
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

// torch_ops: golden_times_ms (test name -> ms) and tolerance_factor.
bool ReadGoldenTimes(const nlohmann::json& document, const fs::path& file, OpSuiteConfig* config,
                     std::vector<Diagnostic>* errors) {
  bool ok = true;
  if (auto goldens = document.find("golden_times_ms"); goldens != document.end()) {
    if (!goldens->is_object()) {
      errors->push_back({file.string(), "golden_times_ms",
                         fmt::format("expected an object of test name -> milliseconds, got {}",
                                     goldens->type_name())});
      ok = false;
    } else {
      for (const auto& [name, value] : goldens->items()) {
        if (!value.is_number() || !(value.get<double>() > 0)) {
          errors->push_back({file.string(), "golden_times_ms." + name,
                             fmt::format("expected a positive number, got {}", value.dump())});
          ok = false;
          continue;
        }
        config->golden_times_ms[name] = value.get<double>();
      }
    }
  }
  if (auto factor = document.find("tolerance_factor"); factor != document.end()) {
    if (!factor->is_number() || !(factor->get<double>() > 0)) {
      errors->push_back({file.string(), "tolerance_factor",
                         fmt::format("expected a positive number, got {}", factor->dump())});
      ok = false;
    } else {
      config->tolerance_factor = factor->get<double>();
    }
  }
  return ok;
}

// A test folder: onnx_ops (flagfile and model) or torch_ops (run_module_io.json).
struct TestFolder {
  fs::path relative;  // to the suite root
  fs::path model;     // onnx_ops only: torch_ops names its own in run_module_io.json
  bool torch_ops = false;
  bool operator<(const TestFolder& other) const { return relative < other.relative; }
};

// Test folders below `root` (sorted element-wise as pytest sorts paths);
// folders with the flagfile but not exactly one model are errors.
std::vector<TestFolder> FindTestFolders(const fs::path& root, std::vector<Diagnostic>* errors) {
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
  std::vector<TestFolder> folders;
  for (const auto& [directory, files] : files_by_directory) {
    bool has_flagfile = false;
    bool torch_ops = false;
    std::vector<fs::path> models;
    for (const fs::path& file : files) {
      const std::string ext = file.extension().string();
      has_flagfile |= file.filename() == kOpSuiteFlagfile;
      torch_ops |= file.filename() == kTorchOpsTestFile;
      if (ext == ".mlir" || ext == ".mlirbc") models.push_back(file);
    }
    if (torch_ops) {
      folders.push_back({directory.lexically_relative(root), {}, true});
      continue;
    }
    if (!has_flagfile) continue;
    if (models.size() != 1) {
      errors->push_back(
          {directory.string(), "",
           fmt::format("a test folder needs exactly one .mlir or .mlirbc file beside {}, found {}",
                       kOpSuiteFlagfile, models.size())});
      continue;
    }
    folders.push_back({directory.lexically_relative(root), models.front(), false});
  }
  std::sort(folders.begin(), folders.end());
  return folders;
}

bool Contains(const std::vector<std::string>& list, const std::string& entry) {
  return std::find(list.begin(), list.end(), entry) != list.end();
}

// The configs in order; an invalid one, or one whose name an earlier one
// has, is reported and left out.
std::vector<OpSuiteConfig> ReadConfigs(const OpSuiteOptions& options, LoadedSuite* suite) {
  std::vector<OpSuiteConfig> configs;
  std::set<std::string> names;
  for (const fs::path& file : options.config_files) {
    std::optional<OpSuiteConfig> config = ReadOpSuiteConfig(file, &suite->errors, &suite->warnings);
    if (!config) {
      ++suite->invalid_test_files;
      continue;
    }
    if (!names.insert(config->name).second) {
      suite->errors.push_back({file.string(), "config_name",
                               fmt::format("\"{}\" is already the name of an earlier config; "
                                           "test ids would collide",
                                           config->name)});
      ++suite->invalid_test_files;
      continue;
    }
    configs.push_back(std::move(*config));
  }
  return configs;
}

// A listed test that is not in the suite is a warning: likely a typo or a removed test.
void WarnAboutUnknownEntries(const std::vector<OpSuiteConfig>& configs,
                             const std::set<std::string>& known, const fs::path& root,
                             LoadedSuite* suite) {
  for (const OpSuiteConfig& config : configs) {
    const std::vector<std::string>* lists[] = {&config.skip_compile_tests, &config.skip_run_tests,
                                               &config.expected_compile_failures,
                                               &config.expected_run_failures};
    for (size_t i = 0; i < std::size(kListFields); ++i) {
      for (size_t j = 0; j < lists[i]->size(); ++j) {
        if (!known.count((*lists[i])[j])) {
          suite->warnings.push_back(
              {config.file.string(), fmt::format("{}[{}]", kListFields[i], j),
               fmt::format("\"{}\" is not a test folder under {}", (*lists[i])[j], root.string())});
        }
      }
    }
    for (const auto& [name, golden] : config.golden_times_ms) {
      if (!known.count(name)) {
        suite->warnings.push_back(
            {config.file.string(), "golden_times_ms." + name,
             fmt::format("\"{}\" is not a test under {}", name, root.string())});
      }
    }
  }
}

// The parts of a test that its config decides: skips and expected failures.
void ApplyConfigLists(const OpSuiteOptions& options, const OpSuiteConfig& config,
                      const std::string& entry, TestDefinition* test) {
  test->compile_only = options.skip_all_runs || Contains(config.skip_run_tests, entry);
  if (!options.ignore_xfails) {
    if (Contains(config.expected_compile_failures, entry)) {
      test->expectation = TestDefinition::Expectation::kCompileFailure;
    } else if (Contains(config.expected_run_failures, entry) && !test->compile_only) {
      // A test that is not run cannot fail at run time: no XPASS for it.
      test->expectation = TestDefinition::Expectation::kRunFailure;
    }
  }
  test->expectation_source = config.file.string();
}

void AddMarker(const std::string& marker, TestDefinition* test) {
  if (!Contains(test->markers, marker)) test->markers.push_back(marker);
}

// One onnx_ops test: the folder's model run with its flagfile.
void AddOnnxOpsTest(const OpSuiteOptions& options, const OpSuiteConfig& config,
                    const fs::path& directory, const std::string& folder, const fs::path& model,
                    LoadedSuite* suite) {
  ModuleDefinition module;
  module.name = OpSuiteTestId(folder, config.name);
  module.json_path = config.file;
  module.mlir = fs::absolute(model).lexically_normal().string();
  module.compiler_flags = config.compile_flags;

  TestDefinition test;
  test.id = module.name;
  test.json_path = config.file;
  test.kind = TestKind::kQuality;
  test.markers = {config.name, "op_suite"};
  AddMarker(directory.filename().string(), &test);
  test.modules = {module.name};
  // iree-run-module calls the module's only exported function without --function.
  test.run_args = {fmt::format("--flagfile={}", kOpSuiteFlagfile)};
  test.run_args.insert(test.run_args.end(), config.run_flags.begin(), config.run_flags.end());
  test.working_directory = directory;
  ApplyConfigLists(options, config, folder, &test);
  suite->modules.emplace(module.name, std::move(module));
  suite->tests.push_back(std::move(test));
}

// One torch_ops test: generated inputs, compared outputs or a benchmark.
void AddTorchOpsTest(const OpSuiteOptions& options, const OpSuiteConfig& config,
                     const std::shared_ptr<const TorchOpsTest>& spec, LoadedSuite* suite) {
  ModuleDefinition module;
  module.name = OpSuiteTestId(spec->name, config.name);
  module.json_path = spec->folder / kTorchOpsTestFile;
  module.mlir = spec->mlir.lexically_normal().string();
  module.compiler_flags = config.compile_flags;

  TestDefinition test;
  test.id = module.name;
  test.json_path = module.json_path;
  test.kind = spec->benchmark ? TestKind::kBenchmark : TestKind::kQuality;
  test.markers = {config.name, "torch_ops", spec->benchmark ? "benchmark" : "compare"};
  AddMarker(spec->folder.parent_path().filename().string(), &test);
  test.modules = {module.name};
  test.run_args = {"--function=" + spec->function_name};
  test.run_args.insert(test.run_args.end(), config.run_flags.begin(), config.run_flags.end());
  test.working_directory = spec->folder;
  if (auto golden = config.golden_times_ms.find(spec->name);
      golden != config.golden_times_ms.end()) {
    test.golden_time_ms = golden->second;
  }
  test.tolerance_factor = config.tolerance_factor;
  test.golden_required = true;
  test.torch_ops = spec;
  ApplyConfigLists(options, config, spec->name, &test);
  suite->modules.emplace(module.name, std::move(module));
  suite->tests.push_back(std::move(test));
}

}  // namespace

std::string OpSuiteTestId(const std::string& folder, const std::string& config_name) {
  return folder + "::" + config_name;
}

std::optional<OpSuiteConfig> ReadOpSuiteConfig(const fs::path& file,
                                               std::vector<Diagnostic>* errors,
                                               std::vector<Diagnostic>* warnings) {
  Result<std::string> text = ReadSmallFile(file);
  if (!text) {
    errors->push_back({file.string(), "", text.error()});
    return std::nullopt;
  }
  // The reference reads configs as JSON5: // comments and trailing commas.
  JsonParseError parse_error;
  std::optional<nlohmann::json> parsed =
      ParseJsonText(BlankTrailingCommas(*text), &parse_error, /*allow_comments=*/true);
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
  ok &= ReadGoldenTimes(document, file, &config, errors);
  static const std::set<std::string> kKnown = {
      "config_name",           "iree_compile_flags", "iree_run_module_flags",
      "skip_compile_tests",    "skip_run_tests",     "expected_compile_failures",
      "expected_run_failures", "golden_times_ms",    "tolerance_factor"};
  for (const auto& [key, value] : document.items()) {
    if (!kKnown.count(key)) warnings->push_back({file.string(), key, "unknown field, ignored"});
  }
  if (!ok) return std::nullopt;
  return config;
}

LoadedSuite LoadOpSuite(const OpSuiteOptions& options) {
  LoadedSuite suite;
  const fs::path root = fs::absolute(options.suite_root).lexically_normal();
  const std::vector<OpSuiteConfig> configs = ReadConfigs(options, &suite);
  const std::vector<TestFolder> folders = FindTestFolders(root, &suite.errors);

  // torch_ops tests are read once for every config, and named "<class>/<test>".
  std::map<fs::path, std::shared_ptr<const TorchOpsTest>> torch_ops;
  std::map<std::string, fs::path> torch_ops_names;
  std::set<std::string> known;  // what the configs' lists may name
  for (const TestFolder& folder : folders) {
    if (!folder.torch_ops) {
      known.insert(folder.relative.generic_string());
      continue;
    }
    const fs::path directory = (root / folder.relative).lexically_normal();
    std::optional<TorchOpsTest> spec = ReadTorchOpsTest(directory, &suite.errors);
    if (!spec) {
      ++suite.invalid_test_files;
      continue;
    }
    if (auto [other, added] = torch_ops_names.emplace(spec->name, directory); !added) {
      suite.errors.push_back(
          {(directory / kTorchOpsTestFile).string(), "",
           fmt::format("its test name {} is that of {} too", spec->name, other->second.string())});
      ++suite.invalid_test_files;
      continue;
    }
    known.insert(spec->name);
    torch_ops.emplace(folder.relative, std::make_shared<const TorchOpsTest>(std::move(*spec)));
  }
  WarnAboutUnknownEntries(configs, known, root, &suite);

  std::vector<fs::path> roots;
  for (const fs::path& path : options.restrict_to) {
    roots.push_back(fs::weakly_canonical(fs::absolute(path)));
  }
  const fs::path canonical_root = fs::weakly_canonical(root);
  for (const TestFolder& folder : folders) {
    const fs::path wanted = canonical_root / folder.relative;
    if (!roots.empty() && std::none_of(roots.begin(), roots.end(),
                                       [&](const fs::path& r) { return IsWithin(wanted, r); })) {
      continue;
    }
    const std::string relative = folder.relative.generic_string();
    auto spec = torch_ops.find(folder.relative);
    if (folder.torch_ops && spec == torch_ops.end()) continue;  // reported above
    for (const OpSuiteConfig& config : configs) {
      if (folder.torch_ops) {
        if (!Contains(config.skip_compile_tests, spec->second->name)) {
          AddTorchOpsTest(options, config, spec->second, &suite);
        }
      } else if (!Contains(config.skip_compile_tests, relative)) {
        AddOnnxOpsTest(options, config, (root / folder.relative).lexically_normal(), relative,
                       folder.model, &suite);
      }
    }
  }
  return suite;
}

}  // namespace iree_suite
