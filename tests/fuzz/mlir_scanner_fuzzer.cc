// The MLIR parameter scanner: any text gives the parameter globals, in order and with sizes
// that match their shapes, or a "line N: ..." error.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "artifacts/parameters/element_type.h"
#include "artifacts/parameters/mlir_scanner.h"
#include "fuzz_support.h"

using iree_suite::ParameterGlobal;
using iree_suite::fuzz::Check;

namespace {

void CheckGlobal(const ParameterGlobal& global, uint64_t lines) {
  Check(global.line >= 1 && global.line <= lines, "a global's line is in the text", global.global);
  uint64_t bytes = iree_suite::ElementByteSize(global.type);
  bool overflow = false;
  for (int64_t dim : global.shape) {
    Check(dim >= 0, "dimensions are not negative", global.global);
    overflow |= __builtin_mul_overflow(bytes, static_cast<uint64_t>(dim), &bytes);
  }
  Check(!overflow, "a parameter's size fits in 64 bits", global.global);
  Check(bytes == global.byte_length, "byte_length is the shape's size", global.global);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = iree_suite::fuzz::InputText(data, size);
  iree_suite::fuzz::NoExceptionEscapes([&] {
    std::istringstream in(text);
    iree_suite::Result<std::vector<ParameterGlobal>> scanned = iree_suite::ScanMlirText(in);
    if (!scanned) {
      Check(scanned.error().rfind("line ", 0) == 0, "an error names its line", scanned.error());
      return;
    }
    const std::vector<ParameterGlobal>& globals = *scanned;
    const uint64_t lines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    for (size_t i = 0; i < globals.size(); ++i) {
      CheckGlobal(globals[i], lines);
      if (i > 0) Check(globals[i - 1].line < globals[i].line, "globals come in text order");
    }
  });
  return 0;
}
