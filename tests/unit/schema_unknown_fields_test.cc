#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "suite/schema.h"

namespace iree_suite {
namespace {

TEST(SchemaUnknownFieldsTest, TypoGetsAWarningWithSuggestion) {
  auto document = nlohmann::json::parse(
      R"({"type": "benchmark", "markers": [], "modules": ["m"], "golden_time": 3})");
  std::vector<Diagnostic> warnings =
      UnknownTestFields(document, TestKind::kBenchmark, "suite/t.json");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].ToString(),
            "suite/t.json: golden_time: unknown field for a benchmark test, ignored (did you "
            "mean \"golden_time_ms\"?)");
}

TEST(SchemaUnknownFieldsTest, FieldOfAnotherKindIsUnknown) {
  auto document = nlohmann::json::parse(
      R"({"type": "quality", "markers": [], "modules": ["m"], "golden_time_ms": 3,
          "description": "free text"})");
  std::vector<Diagnostic> warnings = UnknownTestFields(document, TestKind::kQuality, "t.json");
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0].field, "description");
  EXPECT_EQ(warnings[0].message, "unknown field for a quality test, ignored");
  EXPECT_EQ(warnings[1].field, "golden_time_ms");
}

TEST(SchemaUnknownFieldsTest, KnownFieldsGiveNoWarning) {
  auto document = nlohmann::json::parse(
      R"({"type": "compstat", "markers": [], "module": "m", "golden_dispatch_count": 1,
          "golden_binary_size": 2})");
  EXPECT_TRUE(UnknownTestFields(document, TestKind::kCompstat, "t.json").empty());
}

}  // namespace
}  // namespace iree_suite
