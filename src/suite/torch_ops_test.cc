#include "suite/torch_ops_test.h"

#include <fmt/format.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "suite/json_file.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// What numpy can generate here (a Formula's dtype).
const std::set<std::string> kFormulaDTypes = {"bool",     "int8",    "int16",  "int32",  "int64",
                                              "uint8",    "uint16",  "uint32", "uint64", "float16",
                                              "bfloat16", "float32", "float64"};

// Collects problems of one file, each naming the field.
class FieldErrors {
 public:
  FieldErrors(const fs::path& file, std::vector<Diagnostic>* errors)
      : file_(file.string()), errors_(errors) {}
  void Add(const std::string& field, const std::string& message) {
    errors_->push_back({file_, field, message});
    ok_ = false;
  }
  bool ok() const { return ok_; }

 private:
  std::string file_;
  std::vector<Diagnostic>* errors_;
  bool ok_ = true;
};

bool ReadFormula(const json& formula, const std::string& field, TorchOpsArg* arg,
                 FieldErrors* errors) {
  if (!formula.is_object()) {
    errors->Add(field, fmt::format("expected an object, got {}", formula.type_name()));
    return false;
  }
  auto shape = formula.find("shape");
  if (shape == formula.end() || !shape->is_array()) {
    errors->Add(field + ".shape", "expected an array of non-negative integers");
    return false;
  }
  int64_t elements = 1;
  for (const json& dim : *shape) {
    // At most 2^40 elements: a shape beyond that is a typo, not a test input.
    if (!dim.is_number_integer() || dim.get<int64_t>() < 0 ||
        (dim.get<int64_t>() > 0 && elements > (int64_t{1} << 40) / dim.get<int64_t>())) {
      errors->Add(field + ".shape",
                  fmt::format("expected non-negative integers of at most 2^40 elements in all, "
                              "got {}",
                              shape->dump()));
      return false;
    }
    elements *= dim.get<int64_t>();
    arg->shape.push_back(dim.get<int64_t>());
  }
  for (const auto& [key, value] : formula.items()) {
    if (key == "shape") continue;
    if (key == "dtype" && value.is_string() && kFormulaDTypes.count(value.get<std::string>())) {
      arg->dtype = value.get<std::string>();
    } else if ((key == "coeff" || key == "offset") && value.is_number()) {
      (key == "coeff" ? arg->coeff : arg->offset) = value.get<double>();
    } else if (key == "dtype" || key == "coeff" || key == "offset") {
      errors->Add(field + "." + key, fmt::format("expected {}, got {}",
                                                 key == "dtype" ? "a numpy dtype name such as "
                                                                  "\"float32\""
                                                                : "a number",
                                                 value.dump()));
      return false;
    } else {
      errors->Add(field + "." + key, "unknown field (expected shape, dtype, coeff, offset)");
      return false;
    }
  }
  return true;
}

void ReadArgs(const json& args, TorchOpsTest* test, FieldErrors* errors) {
  if (args.is_null()) return;
  if (!args.is_array()) {
    errors->Add("flat_args", fmt::format("expected an array, got {}", args.type_name()));
    return;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const json& entry = args[i];
    const std::string field = fmt::format("flat_args[{}]", i);
    TorchOpsArg arg;
    if (entry.is_object() && entry.size() == 1 && entry.contains("Formula")) {
      if (!ReadFormula(entry["Formula"], field + ".Formula", &arg, errors)) continue;
    } else if (entry.is_number() || entry.is_boolean()) {
      arg.is_formula = false;
      arg.literal_dtype = entry.is_boolean()        ? "bool"
                          : entry.is_number_float() ? "float64"
                                                    : "int64";
      arg.literal_value = entry.is_boolean() ? (entry.get<bool>() ? 1 : 0) : entry.get<double>();
    } else {
      errors->Add(field, fmt::format("expected {{\"Formula\": {{...}}}} or a number, got {}",
                                     entry.dump()));
      continue;
    }
    test->args.push_back(std::move(arg));
  }
}

void ReadExpectedOutputs(const json& outputs, TorchOpsTest* test, FieldErrors* errors) {
  if (outputs.is_null()) return;
  if (!outputs.is_array()) {
    errors->Add("expected_output", fmt::format("expected an array, got {}", outputs.type_name()));
    return;
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    const json& entry = outputs[i];
    const std::string field = fmt::format("expected_output[{}]", i);
    ArgSpec spec;
    if (entry.is_object()) {
      for (const char* key : {"url", "value"}) {
        auto it = entry.find(key);
        if (it == entry.end() || it->is_null()) continue;
        if (!it->is_string() || it->get<std::string>().empty()) {
          errors->Add(field + "." + key, fmt::format("expected a string, got {}", it->dump()));
          continue;
        }
        (std::string(key) == "url" ? spec.url : spec.value) = it->get<std::string>();
      }
    }
    if (!spec.url && !spec.value) {
      errors->Add(field, "expected {\"url\": ...} or {\"value\": <path in the test folder>}");
      continue;
    }
    test->expected_outputs.push_back(std::move(spec));
  }
}

// A file name inside the folder: relative, without "..".
bool IsInsideName(const std::string& name) {
  const fs::path path(name);
  if (name.empty() || path.is_absolute()) return false;
  for (const fs::path& part : path) {
    if (part == "..") return false;
  }
  return true;
}

void ReadScalars(const json& document, TorchOpsTest* test, FieldErrors* errors) {
  for (const auto& member : document.items()) {
    const std::string& key = member.key();
    const json& value = member.value();
    auto expect = [&](bool ok, const char* what) {
      if (!ok) errors->Add(key, fmt::format("expected {}, got {}", what, value.dump()));
      return ok;
    };
    if (key == "function_name") {
      if (expect(value.is_string() && !value.get<std::string>().empty(), "a function name")) {
        test->function_name = value.get<std::string>();
      }
    } else if (key == "seed") {
      if (expect(value.is_number_unsigned() &&
                     value.get<uint64_t>() <= std::numeric_limits<uint32_t>::max(),
                 "an integer from 0 to 2^32 - 1")) {
        test->seed = value.get<uint32_t>();
      }
    } else if (key == "rtol" || key == "atol") {
      if (expect(value.is_number() && value.get<double>() >= 0, "a non-negative number")) {
        (key == "rtol" ? test->rtol : test->atol) = value.get<double>();
      }
    } else if (key == "equal_nan") {
      if (expect(value.is_boolean(), "true or false")) test->equal_nan = value.get<bool>();
    } else if (key == "mode") {
      if (expect(value == "compare" || value == "benchmark", "\"compare\" or \"benchmark\"")) {
        test->benchmark = value == "benchmark";
      }
    } else if (key == "file_name") {
      if (expect(value.is_string() && IsInsideName(value.get<std::string>()),
                 "a file name inside the test folder")) {
        test->mlir = test->folder / value.get<std::string>();
      }
    } else if (key == "vmfb_name" || key == "azure_blob") {
      // The reference writes its module into the test folder; ours goes to the cache.
    } else if (key != "flat_args" && key != "expected_output") {
      errors->Add(key, "unknown field (the reference rejects it too)");
    }
  }
}

}  // namespace

std::optional<TorchOpsTest> ReadTorchOpsTest(const fs::path& folder,
                                             std::vector<Diagnostic>* errors) {
  const fs::path file = folder / kTorchOpsTestFile;
  Diagnostic diagnostic;
  std::optional<json> document = ReadJsonFile(file, &diagnostic);
  if (!document) {
    errors->push_back(diagnostic);
    return std::nullopt;
  }
  FieldErrors field_errors(file, errors);
  if (!document->is_object()) {
    field_errors.Add("", "expected a JSON object");
    return std::nullopt;
  }
  TorchOpsTest test;
  test.folder = folder;
  test.name = folder.parent_path().filename().string() + "/" + folder.filename().string();
  test.mlir = folder / "test.mlir";
  ReadScalars(*document, &test, &field_errors);
  ReadArgs(document->value("flat_args", json()), &test, &field_errors);
  ReadExpectedOutputs(document->value("expected_output", json()), &test, &field_errors);
  if (!test.benchmark && test.expected_outputs.empty() && field_errors.ok()) {
    field_errors.Add("expected_output", "mode \"compare\" needs at least one expected output");
  }
  std::error_code ec;
  if (field_errors.ok() && !fs::is_regular_file(test.mlir, ec)) {
    field_errors.Add("file_name", fmt::format("{} does not exist", test.mlir.string()));
  }
  if (!field_errors.ok()) return std::nullopt;
  return test;
}

}  // namespace iree_suite
