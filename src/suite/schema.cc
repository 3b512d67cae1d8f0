#include "suite/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/strings.h"

namespace iree_suite {
namespace {

using nlohmann::json;

// "a string", "an array of strings", ...: what the user wrote instead.
std::string Describe(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    case json::value_t::discarded:
      return "nothing";
    default:
      return "a number";
  }
}

// Reads fields of one JSON object, recording a diagnostic per bad field.
class FieldReader {
 public:
  FieldReader(const json& object, std::string prefix, const std::filesystem::path& file,
              std::vector<Diagnostic>* diagnostics)
      : object_(object), prefix_(std::move(prefix)), file_(file), diagnostics_(diagnostics) {}

  std::string Path(const std::string& field) const {
    return prefix_.empty() ? field : prefix_ + "." + field;
  }
  void Error(const std::string& field, const std::string& message) {
    diagnostics_->push_back({file_.string(), Path(field), message});
  }
  const json* Find(const std::string& field) const {
    auto it = object_.find(field);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  bool Has(const std::string& field) const { return Find(field) != nullptr; }
  bool IsFloat(const std::string& field) const {
    const json* value = Find(field);
    return value != nullptr && value->is_number_float();
  }
  bool IsInteger(const std::string& field) const {
    const json* value = Find(field);
    return value != nullptr && value->is_number_integer();
  }

  std::optional<std::string> String(const std::string& field, bool required) {
    const json* value = Find(field);
    if (value == nullptr) {
      if (required) Error(field, "missing required field; expected a string");
      return std::nullopt;
    }
    if (!value->is_string()) {
      Error(field, fmt::format("expected a string, got {}", Describe(*value)));
      return std::nullopt;
    }
    return value->get<std::string>();
  }

  std::optional<std::vector<std::string>> StringArray(const std::string& field, bool required) {
    const json* value = Find(field);
    if (value == nullptr) {
      if (required) Error(field, "missing required field; expected an array of strings");
      return std::nullopt;
    }
    if (!value->is_array()) {
      Error(field, fmt::format("expected an array of strings, got {}", Describe(*value)));
      return std::nullopt;
    }
    std::vector<std::string> strings;
    bool ok = true;
    for (size_t i = 0; i < value->size(); ++i) {
      const json& element = (*value)[i];
      if (!element.is_string()) {
        Error(fmt::format("{}[{}]", field, i),
              fmt::format("expected a string, got {}", Describe(element)));
        ok = false;
        continue;
      }
      strings.push_back(element.get<std::string>());
    }
    if (!ok) return std::nullopt;
    return strings;
  }

  std::optional<double> Number(const std::string& field) {
    const json* value = Find(field);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number()) {
      Error(field, fmt::format("expected a number, got {}", Describe(*value)));
      return std::nullopt;
    }
    return value->get<double>();
  }

  // An optional golden maximum: no test can pass one of zero or less.
  std::optional<int64_t> PositiveInteger(const std::string& field) {
    std::optional<int64_t> value = Integer(field, false);
    if (value && *value <= 0) {
      Error(field, fmt::format("expected a positive integer, got {}", *value));
      return std::nullopt;
    }
    return value;
  }

  std::optional<int64_t> Integer(const std::string& field, bool required) {
    const json* value = Find(field);
    if (value == nullptr) {
      if (required) Error(field, "missing required field; expected an integer");
      return std::nullopt;
    }
    if (value->is_number_unsigned() && value->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      Error(field, "expected an integer, got a number too large for 64 bits");
      return std::nullopt;
    }
    if (value->is_number_integer()) return value->get<int64_t>();
    if (value->is_number_float()) {
      double number = value->get<double>();
      if (std::floor(number) == number && std::abs(number) < 9.0e18) {
        return static_cast<int64_t>(number);
      }
    }
    Error(field, fmt::format("expected an integer, got {}", Describe(*value)));
    return std::nullopt;
  }

 private:
  const json& object_;
  std::string prefix_;
  const std::filesystem::path& file_;
  std::vector<Diagnostic>* diagnostics_;
};

std::vector<ArgSpec> ParseArgSpecs(FieldReader& reader, const std::string& field) {
  std::vector<ArgSpec> specs;
  const json* list = reader.Find(field);
  if (list == nullptr) return specs;
  if (!list->is_array()) {
    reader.Error(field,
                 fmt::format("expected an array of argspec objects ({{\"url\", \"value\"}}), "
                             "got {}",
                             Describe(*list)));
    return specs;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const json& entry = (*list)[i];
    std::string path = fmt::format("{}[{}]", field, i);
    if (!entry.is_object()) {
      reader.Error(path, fmt::format("expected an argspec object with \"url\" and/or \"value\", "
                                     "got {}",
                                     Describe(entry)));
      continue;
    }
    ArgSpec spec;
    bool wrong_type = false;
    for (const char* name : {"url", "value"}) {
      auto it = entry.find(name);
      if (it == entry.end() || it->is_null()) continue;
      if (!it->is_string()) {
        reader.Error(path + "." + name, fmt::format("expected a string, got {}", Describe(*it)));
        wrong_type = true;
        continue;
      }
      (std::string(name) == "url" ? spec.url : spec.value) = it->get<std::string>();
    }
    if (wrong_type) continue;
    if (!spec.url && !spec.value) {
      reader.Error(path, "expected at least one of \"url\" and \"value\"");
      continue;
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

std::vector<WeightSpec> ParseWeights(FieldReader& reader, const std::filesystem::path& file,
                                     std::vector<Diagnostic>* diagnostics) {
  std::vector<WeightSpec> weights;
  const json* list = reader.Find("weights");
  if (list == nullptr) return weights;
  if (!list->is_array()) {
    reader.Error("weights",
                 fmt::format("expected an array of weightspec objects, got {}", Describe(*list)));
    return weights;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const json& entry = (*list)[i];
    std::string path = fmt::format("weights[{}]", i);
    if (!entry.is_object()) {
      reader.Error(path, fmt::format("expected a weightspec object, got {}", Describe(entry)));
      continue;
    }
    FieldReader weight(entry, path, file, diagnostics);
    size_t errors_before = diagnostics->size();
    WeightSpec spec;
    std::optional<std::string> type = weight.String("type", true);
    std::optional<std::string> scope = weight.String("scope", true);
    if (scope) spec.scope = *scope;
    if (type == "url") {
      spec.kind = WeightSpec::Kind::kUrl;
      spec.url = weight.String("url", true).value_or("");
    } else if (type == "random") {
      spec.kind = WeightSpec::Kind::kRandom;
      spec.module = weight.String("module", true).value_or("");
      spec.seed = weight.Integer("seed", true).value_or(0);
    } else if (type == "splat") {
      spec.kind = WeightSpec::Kind::kSplat;
      spec.module = weight.String("module", true).value_or("");
      if (!weight.Has("value")) weight.Error("value", "missing required field; expected a number");
      spec.value = weight.Number("value").value_or(0);
    } else if (type) {
      weight.Error("type",
                   fmt::format("unknown weight type \"{}\"; expected one of \"url\", \"random\", "
                               "\"splat\"",
                               *type));
    }
    if (diagnostics->size() == errors_before) weights.push_back(std::move(spec));
  }
  return weights;
}

}  // namespace

ParseStatus ParseTestDefinition(const json& document, const std::filesystem::path& file,
                                TestDefinition* test, std::vector<Diagnostic>* diagnostics) {
  if (!document.is_object()) {
    // Tests and modules are objects: anything else here is a mistake, not data.
    diagnostics->push_back(
        {file.string(), "", fmt::format("expected a JSON object, got {}", Describe(document))});
    return ParseStatus::kInvalid;
  }
  size_t errors_before = diagnostics->size();
  FieldReader reader(document, "", file, diagnostics);
  if (!document.contains("type")) return ParseStatus::kNotATest;
  std::optional<std::string> type = reader.String("type", true);
  if (!type) return ParseStatus::kInvalid;
  if (*type == "quality") {
    test->kind = TestKind::kQuality;
  } else if (*type == "benchmark") {
    test->kind = TestKind::kBenchmark;
  } else if (*type == "compstat") {
    test->kind = TestKind::kCompstat;
  } else {
    reader.Error("type", fmt::format("unknown test type \"{}\"; expected one of \"quality\", "
                                     "\"benchmark\", \"compstat\"",
                                     *type));
    return ParseStatus::kInvalid;
  }
  test->json_path = file;

  if (auto markers = reader.StringArray("markers", true)) test->markers = *markers;
  test->markers.push_back(TestKindName(test->kind));

  if (test->kind == TestKind::kCompstat) {
    if (auto module = reader.String("module", true)) test->modules = {*module};
    test->golden_dispatch_count = reader.PositiveInteger("golden_dispatch_count");
    test->golden_binary_size = reader.PositiveInteger("golden_binary_size");
    test->golden_dispatch_count_is_float = reader.IsFloat("golden_dispatch_count");
    test->golden_binary_size_is_float = reader.IsFloat("golden_binary_size");
  } else {
    if (auto modules = reader.StringArray("modules", true)) {
      if (modules->empty()) reader.Error("modules", "expected at least one module");
      test->modules = *modules;
    }
    test->weights = ParseWeights(reader, file, diagnostics);
    test->inputs = ParseArgSpecs(reader, "inputs");
    test->outputs = ParseArgSpecs(reader, "outputs");
    test->expected_outputs = ParseArgSpecs(reader, "expected_outputs");
    if (auto run_args = reader.StringArray("run_args", false)) test->run_args = *run_args;
    if (test->kind == TestKind::kBenchmark) {
      test->golden_time_ms = reader.Number("golden_time_ms");
      // A golden of zero or less fails every run: a mistake to report now.
      if (test->golden_time_ms && *test->golden_time_ms <= 0) {
        reader.Error("golden_time_ms",
                     fmt::format("expected a positive number, got {}", *test->golden_time_ms));
        test->golden_time_ms.reset();
      }
      if (auto factor = reader.Number("tolerance_factor")) {
        if (*factor <= 0) {
          reader.Error("tolerance_factor", "expected a positive number");
        } else {
          test->tolerance_factor = *factor;
          test->tolerance_factor_is_integer = reader.IsInteger("tolerance_factor");
        }
      }
    }
  }
  return diagnostics->size() == errors_before ? ParseStatus::kTest : ParseStatus::kInvalid;
}

std::vector<Diagnostic> UnknownTestFields(const json& document, TestKind kind,
                                          const std::filesystem::path& file) {
  std::vector<std::string> known = {"type", "markers"};
  if (kind == TestKind::kCompstat) {
    known.insert(known.end(), {"module", "golden_dispatch_count", "golden_binary_size"});
  } else {
    known.insert(known.end(),
                 {"modules", "weights", "inputs", "outputs", "expected_outputs", "run_args"});
    if (kind == TestKind::kBenchmark)
      known.insert(known.end(), {"golden_time_ms", "tolerance_factor"});
  }
  std::vector<Diagnostic> warnings;
  if (!document.is_object()) return warnings;
  for (const auto& item : document.items()) {
    // A named reference, not a structured binding: Clang 14 cannot capture those in lambdas.
    const std::string& field = item.key();
    if (std::find(known.begin(), known.end(), field) != known.end()) continue;
    std::string message = fmt::format("unknown field for a {} test, ignored", TestKindName(kind));
    if (std::optional<std::string> closest = ClosestMatch(field, known)) {
      message += fmt::format(" (did you mean \"{}\"?)", *closest);
    }
    warnings.push_back({file.string(), field, message});
  }
  return warnings;
}

bool ParseModuleDefinition(const json& document, const std::filesystem::path& file,
                           ModuleDefinition* module, std::vector<Diagnostic>* diagnostics) {
  if (!document.is_object()) {
    diagnostics->push_back({file.string(), "",
                            fmt::format("expected a module object with \"mlir\" and "
                                        "\"compiler_flags\", got {}",
                                        Describe(document))});
    return false;
  }
  size_t errors_before = diagnostics->size();
  FieldReader reader(document, "", file, diagnostics);
  module->json_path = file;
  if (auto mlir = reader.String("mlir", true)) module->mlir = *mlir;
  if (auto flags = reader.StringArray("compiler_flags", true)) module->compiler_flags = *flags;
  return diagnostics->size() == errors_before;
}

}  // namespace iree_suite
