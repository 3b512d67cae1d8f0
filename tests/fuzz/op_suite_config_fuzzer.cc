// Operator-suite configs (JSON with comments and trailing commas): any file is a config or
// "<file>: <field>: <what>" errors; trailing-comma blanking keeps every byte offset.
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "suite/json_file.h"
#include "suite/op_suite_loader.h"

using iree_suite::Diagnostic;
using iree_suite::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = iree_suite::fuzz::InputText(data, size);
  const std::filesystem::path path = iree_suite::fuzz::WriteScratchFile("config.json", text);
  iree_suite::fuzz::NoExceptionEscapes([&] {
    Check(iree_suite::BlankTrailingCommas(text).size() == text.size(),
          "blanking trailing commas keeps the length");
    std::vector<Diagnostic> errors;
    std::vector<Diagnostic> warnings;
    std::optional<iree_suite::OpSuiteConfig> config =
        iree_suite::ReadOpSuiteConfig(path, &errors, &warnings);
    for (const Diagnostic& error : errors) {
      Check(error.file == path.string() && !error.message.empty(),
            "an error names the file and says what is wrong", error.ToString());
    }
    for (const Diagnostic& warning : warnings) {
      Check(warning.file == path.string() && !warning.message.empty(),
            "a warning names the file and says what is wrong", warning.ToString());
    }
    Check(config.has_value() == errors.empty(), "a config is rejected exactly when it has errors");
    if (config) Check(!config->name.empty(), "a config has a name");
  });
  return 0;
}
