// Inputs, .npy files and allclose against what numpy computes: the cases and
// numpy's answers are in data/numpy_cases.json, written by
// data/make_numpy_cases.py.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "artifacts/arrays/npy_file.h"
#include "artifacts/arrays/numpy_random.h"
#include "artifacts/fetch/digest.h"
#include "base/atomic_file.h"
#include "checks/allclose.h"
#include "test_helpers.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

nlohmann::json Cases() {
  const fs::path file = fs::path(IREE_SUITE_SOURCE_DIR) / "tests/unit/data/numpy_cases.json";
  Result<std::string> text = ReadSmallFile(file);
  EXPECT_TRUE(text) << text.error();
  return nlohmann::json::parse(text ? *text : "");
}

std::string FromHex(const std::string& hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

TEST(LegacyRandomTest, FirstDrawsOfSeedZeroAreNumpys) {
  // np.random.seed(0); np.random.rand(2) and np.random.RandomState(0).randint(2**32) draws.
  LegacyRandom random(0);
  EXPECT_EQ(random.NextDouble(), 0.5488135039273248);
  EXPECT_EQ(random.NextDouble(), 0.7151893663724195);
  LegacyRandom raw(5489);
  EXPECT_EQ(raw.Next32(), 3499211612u);  // the reference MT19937's first output
}

TEST(NumpyFormulaTest, NpyBytesMatchNumpyForEveryCase) {
  const nlohmann::json cases = Cases();
  int checked = 0;
  for (const nlohmann::json& test : cases["formulas"]) {
    LegacyRandom random(test["seed"].get<uint32_t>());
    for (const nlohmann::json& entry : test["formulas"]) {
      Formula formula;
      formula.shape = entry["shape"].get<std::vector<int64_t>>();
      formula.dtype = *DTypeFromName(entry["dtype"].get<std::string>());
      formula.coeff = entry["coeff"].get<double>();
      formula.offset = entry["offset"].get<double>();
      Result<NdArray> array = GenerateFormula(formula, &random);
      SCOPED_TRACE(entry.dump());
      if (entry.contains("undefined")) {
        ASSERT_FALSE(array);
        EXPECT_NE(array.error().find("outside the range of"), std::string::npos) << array.error();
        break;  // the rest of this seed's stream is not drawn
      }
      ASSERT_TRUE(array) << array.error();
      EXPECT_EQ(Sha256Hex(NpyHeader(array->dtype, array->shape) + array->data),
                entry["sha256"].get<std::string>());
      ++checked;
    }
  }
  EXPECT_GE(checked, 14);
}

TEST(NpyFileTest, ReadsWhatNumpyWroteAndWritesItBack) {
  for (const nlohmann::json& test : Cases()["allclose"]) {
    for (const char* side : {"observed", "expected"}) {
      const std::string bytes = FromHex(test[side].get<std::string>());
      auto array = ParseNpy(bytes);
      ASSERT_TRUE(array) << array.error();
      EXPECT_EQ(NpyHeader(array->dtype, array->shape) + array->data, bytes);
    }
  }
}

TEST(NpyFileTest, FortranOrderIsReadInCOrder) {
  // np.save of np.asfortranarray([[1, 2, 3], [4, 5, 6]], dtype=np.int8).
  std::string header_dict = "{'descr': '|i1', 'fortran_order': True, 'shape': (2, 3), }";
  header_dict.append(128 - 10 - header_dict.size() - 1, ' ');
  header_dict.push_back('\n');
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
  bytes.push_back(static_cast<char>(header_dict.size()));
  bytes.push_back('\0');
  bytes += header_dict + std::string("\x01\x04\x02\x05\x03\x06", 6);
  auto array = ParseNpy(bytes);
  ASSERT_TRUE(array) << array.error();
  EXPECT_EQ(array->data, std::string("\x01\x02\x03\x04\x05\x06", 6));
}

TEST(NpyFileTest, BadFilesAreErrorsNotCrashes) {
  std::string error;
  error = testing_helpers::ErrorOf(ParseNpy("hello"));
  EXPECT_NE(error.find("magic"), std::string::npos);
  std::string truncated = NpyHeader(DType::kFloat32, {4}) + std::string(12, '\0');
  error = testing_helpers::ErrorOf(ParseNpy(truncated));
  EXPECT_NE(error.find("holds 12 bytes"), std::string::npos) << error;
  std::string huge = NpyHeader(DType::kFloat32, {1LL << 40, 1LL << 40});
  error = testing_helpers::ErrorOf(ParseNpy(huge));
  std::string complex = NpyHeader(DType::kFloat32, {1});
  complex.replace(complex.find("<f4"), 3, "<c8");
  error = testing_helpers::ErrorOf(ParseNpy(complex + std::string(8, '\0')));
  EXPECT_NE(error.find("unsupported element type"), std::string::npos) << error;
}

TEST(AllcloseTest, VerdictAndMismatchCountMatchNumpy) {
  for (const nlohmann::json& test : Cases()["allclose"]) {
    SCOPED_TRACE(test.dump());
    Result<NdArray> observed = ParseNpy(FromHex(test["observed"]));
    Result<NdArray> expected = ParseNpy(FromHex(test["expected"]));
    ASSERT_TRUE(observed) << observed.error();
    ASSERT_TRUE(expected) << expected.error();
    AllcloseTolerance tolerance{test["rtol"].get<double>(), test["atol"].get<double>(),
                                test["equal_nan"].get<bool>()};
    AllcloseReport report = Allclose(*observed, *expected, tolerance);
    if (test.contains("broadcasts")) {
      EXPECT_FALSE(report.close);
      EXPECT_NE(report.error.find("do not broadcast"), std::string::npos);
      continue;
    }
    EXPECT_EQ(report.close, test["allclose"].get<bool>());
    EXPECT_EQ(report.mismatches, test["mismatches"].get<int64_t>());
  }
}

TEST(AllcloseTest, ReportNamesTheWorstElement) {
  NdArray expected{DType::kFloat32, {2, 2}, std::string(16, '\0')};
  NdArray observed = expected;
  const float values[] = {1.0f, 2.0f, 3.0f, 4.0f};
  const float perturbed[] = {1.0f, 2.5f, 3.0f, 4.1f};
  std::memcpy(expected.data.data(), values, 16);
  std::memcpy(observed.data.data(), perturbed, 16);
  AllcloseTolerance tolerance;
  AllcloseReport report = Allclose(observed, expected, tolerance);
  EXPECT_FALSE(report.close);
  EXPECT_EQ(report.mismatches, 2);
  EXPECT_EQ(report.worst_index, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(report.Describe(tolerance),
            "2 of 4 elements differ (rtol=1e-05, atol=1e-08, equal_nan=false); the worst at "
            "[0, 1]: observed 2.5, expected 2, |difference| 0.5 > tolerance 2.001e-05");
}

}  // namespace
}  // namespace iree_suite
