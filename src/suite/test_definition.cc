#include "suite/test_definition.h"

#include <fmt/format.h>

namespace iree_suite {

const char* TestKindName(TestKind kind) {
  switch (kind) {
    case TestKind::kQuality:
      return "quality";
    case TestKind::kBenchmark:
      return "benchmark";
    case TestKind::kCompstat:
      return "compstat";
  }
  return "?";
}

std::string Diagnostic::ToString() const {
  if (field.empty()) return fmt::format("{}: {}", file, message);
  return fmt::format("{}: {}: {}", file, field, message);
}

}  // namespace iree_suite
