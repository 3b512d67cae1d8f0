// Test and module JSON files: any file is a definition or diagnostics that name the file, and
// (inside an object) the field, with a message; nothing escapes as an exception.
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "suite/json_file.h"
#include "suite/schema.h"

using iree_suite::Diagnostic;
using iree_suite::fuzz::Check;

namespace {

void CheckDiagnostics(const std::vector<Diagnostic>& diagnostics, const std::string& file,
                      bool is_object) {
  for (const Diagnostic& diagnostic : diagnostics) {
    Check(diagnostic.file == file, "a diagnostic names the file", diagnostic.ToString());
    Check(!diagnostic.message.empty(), "a diagnostic says what is wrong", diagnostic.ToString());
    // Only a document that is not an object is wrong as a whole.
    Check(!is_object || !diagnostic.field.empty(), "a diagnostic names the field",
          diagnostic.ToString());
  }
}

void CheckTest(const nlohmann::json& document, const std::filesystem::path& path) {
  iree_suite::TestDefinition test;
  std::vector<Diagnostic> diagnostics;
  const iree_suite::ParseStatus status =
      iree_suite::ParseTestDefinition(document, path, &test, &diagnostics);
  CheckDiagnostics(diagnostics, path.string(), document.is_object());
  Check((status == iree_suite::ParseStatus::kInvalid) == !diagnostics.empty(),
        "a test is invalid exactly when it has diagnostics");
  if (status != iree_suite::ParseStatus::kTest) return;
  Check(!test.modules.empty(), "a valid test names a module");
  Check(!test.markers.empty() && test.markers.back() == iree_suite::TestKindName(test.kind),
        "a valid test carries its kind's marker");
  // The field of an unknown-field warning is the key as written, which may be "".
  CheckDiagnostics(iree_suite::UnknownTestFields(document, test.kind, path), path.string(),
                   /*is_object=*/false);
}

void CheckModule(const nlohmann::json& document, const std::filesystem::path& path) {
  iree_suite::ModuleDefinition module;
  std::vector<Diagnostic> diagnostics;
  const bool valid = iree_suite::ParseModuleDefinition(document, path, &module, &diagnostics);
  CheckDiagnostics(diagnostics, path.string(), document.is_object());
  Check(valid == diagnostics.empty(), "a module is invalid exactly when it has diagnostics");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::filesystem::path path =
      iree_suite::fuzz::WriteScratchFile("test.json", iree_suite::fuzz::InputText(data, size));
  iree_suite::fuzz::NoExceptionEscapes([&] {
    Diagnostic diagnostic;
    std::optional<nlohmann::json> document = iree_suite::ReadJsonFile(path, &diagnostic);
    if (!document) {
      Check(diagnostic.file == path.string() && !diagnostic.message.empty(),
            "an unreadable file is a diagnostic naming it", diagnostic.ToString());
      return;
    }
    CheckTest(*document, path);
    CheckModule(*document, path);
  });
  return 0;
}
