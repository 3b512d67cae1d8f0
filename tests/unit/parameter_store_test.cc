#include "artifacts/parameters/parameter_store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "artifacts/cache_layout.h"
#include "artifacts/parameters/irpa_reader.h"
#include "test_helpers.h"

namespace iree_suite {
namespace {

// Archives in a cache directory (lock files beside them do not count).
int CountArchives(const std::filesystem::path& dir) {
  int count = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    count += entry.path().extension() == ".irpa";
  }
  return count;
}

namespace fs = std::filesystem;

ParameterGlobal Global(std::string global, std::optional<std::string> scope, std::string name,
                       ElementType type, uint64_t bytes) {
  ParameterGlobal g;
  g.global = std::move(global);
  g.scope = std::move(scope);
  g.name = std::move(name);
  g.type = type;
  g.byte_length = bytes;
  g.shape = {static_cast<int64_t>(bytes / ElementByteSize(type))};
  return g;
}

TEST(ParameterSelectTest, TheScopeSelectsAndUnscopedBelongToEveryScope) {
  const std::vector<ParameterGlobal> globals = {
      Global("a", "model", "a", ElementType::kF16, 8),
      Global("b", "other", "b", ElementType::kF16, 8),
      Global("c", std::nullopt, "c", ElementType::kI8, 3),
      Global("a_again", "model", "a", ElementType::kF16, 8),  // same parameter twice
  };
  auto selected = SelectParameters(globals, "model", "m");
  ASSERT_TRUE(selected) << selected.error();
  ASSERT_EQ(selected->size(), 2u);
  EXPECT_EQ((*selected)[0].name, "a");
  EXPECT_EQ((*selected)[1].name, "c");

  auto other = SelectParameters(globals, "other", "m");
  ASSERT_TRUE(other) << other.error();
  EXPECT_EQ(other->size(), 2u);
}

TEST(ParameterSelectTest, ErrorsNameTheModule) {
  std::string error;
  error = testing_helpers::ErrorOf(SelectParameters({}, "model", "llama/modules/x"));
  EXPECT_EQ(error, "module \"llama/modules/x\" declares no named parameters");

  error = testing_helpers::ErrorOf(
      SelectParameters({Global("a", "weights", "a", ElementType::kF32, 4)}, "model", "m"));
  EXPECT_EQ(error, "module \"m\" declares no named parameters in scope \"model\" (it has weights)");

  error = testing_helpers::ErrorOf(SelectParameters(
      {Global("a", "s", "p", ElementType::kF32, 4), Global("b", "s", "p", ElementType::kF16, 4)},
      "s", "m"));
  EXPECT_EQ(error,
            "module \"m\": parameter \"p\" is declared as tensor<1xf32> by global @a and as "
            "tensor<2xf16> by global @b");
}

class ParameterStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) /
           ("parameter_store_" +
            std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    mlir_ = dir_ / "model.mlir";
    WriteMlir("f16", "\"model\"::");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteMlir(const std::string& type, const std::string& scope) {
    std::ofstream(mlir_) << "module {\n  util.global private @w = #stream.parameter.named<" << scope
                         << "\"w\"> : tensor<64x" << type << ">\n"
                         << "  util.global private @b = #stream.parameter.named<" << scope
                         << "\"b\"> : tensor<8xi32>\n}\n";
  }

  ParameterStore Store() {
    ParameterStore::Options options;
    options.artifact_directory = dir_ / "artifacts";
    options.events = nullptr;
    return ParameterStore(options);
  }

  static WeightSpec Random(int64_t seed) {
    WeightSpec weight;
    weight.kind = WeightSpec::Kind::kRandom;
    weight.scope = "model";
    weight.module = "group/modules/model_cpu";
    weight.seed = seed;
    return weight;
  }

  fs::path dir_;
  fs::path mlir_;
};

TEST_F(ParameterStoreTest, GeneratesIntoTheCacheLayout) {
  auto path = Store().Get(Random(1), "group/modules/model_cpu", mlir_);
  ASSERT_TRUE(path) << path.error();
  EXPECT_EQ(path->parent_path(),
            dir_ / "artifacts/parameters" / EntryName("group/modules/model_cpu"));
  EXPECT_TRUE(std::regex_match(path->filename().string(), std::regex("[0-9a-f]{16}-random\\.irpa")))
      << *path;
  auto entries = ReadIrpaIndex(*path);
  ASSERT_TRUE(entries) << entries.error();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].name, "w");
  EXPECT_EQ((*entries)[0].length, 128u);
  EXPECT_EQ((*entries)[1].length, 32u);
}

TEST_F(ParameterStoreTest, ReusesUntilTheMlirOrTheWeightChanges) {
  const fs::path first = *Store().Get(Random(1), "m", mlir_);
  const auto stamp = fs::last_write_time(first);
  EXPECT_EQ(*Store().Get(Random(1), "m", mlir_), first);
  EXPECT_EQ(fs::last_write_time(first), stamp);

  EXPECT_NE(*Store().Get(Random(2), "m", mlir_), first);
  WeightSpec other_scope = Random(1);
  other_scope.scope = "other";
  WriteMlir("f16", "");  // unscoped: belongs to any scope
  const fs::path changed = *Store().Get(Random(1), "m", mlir_);
  EXPECT_NE(changed, first);
  EXPECT_NE(*Store().Get(other_scope, "m", mlir_), changed);
  EXPECT_EQ(CountArchives(first.parent_path()), 4);
}

TEST_F(ParameterStoreTest, SplatArchives) {
  WeightSpec splat = Random(0);
  splat.kind = WeightSpec::Kind::kSplat;
  splat.value = 2.0;
  auto path = Store().Get(splat, "m", mlir_);
  ASSERT_TRUE(path) << path.error();
  EXPECT_TRUE(path->string().ends_with("-splat.irpa"));
  auto entries = ReadIrpaIndex(*path);
  ASSERT_TRUE(entries) << entries.error();
  EXPECT_EQ((*entries)[0].splat_pattern, (std::vector<uint8_t>{0x00, 0x40}));  // f16 2.0
  EXPECT_EQ((*entries)[1].splat_pattern, (std::vector<uint8_t>{2, 0, 0, 0}));
  splat.value = -0.0;  // a different bit pattern: a different archive
  EXPECT_NE(*Store().Get(splat, "m", mlir_), *path);
}

TEST_F(ParameterStoreTest, ADamagedArchiveIsMadeAnew) {
  const fs::path path = *Store().Get(Random(3), "m", mlir_);
  const uintmax_t size = fs::file_size(path);
  fs::resize_file(path, 10);
  EXPECT_EQ(*Store().Get(Random(3), "m", mlir_), path);
  EXPECT_EQ(fs::file_size(path), size);
}

TEST_F(ParameterStoreTest, ErrorsNameTheModuleAndTheGlobal) {
  std::string error;
  std::ofstream(mlir_) << "module {\n  func.func @f() { return }\n}\n";
  error = testing_helpers::ErrorOf(Store().Get(Random(1), "empty/modules/e", mlir_));
  EXPECT_EQ(error, "module \"empty/modules/e\" declares no named parameters");

  WriteMlir("f4E2M1FN", "\"model\"::");
  error = testing_helpers::ErrorOf(Store().Get(Random(1), "m", mlir_));
  EXPECT_EQ(error, "module \"m\": " + mlir_.string() +
                       ": line 2: global @w: unsupported element type \"f4E2M1FN\"");

  std::ofstream(mlir_) << "util.global private @x = #stream.parameter.named<model::x> : "
                          "tensor<4xf32>\n";
  error = testing_helpers::ErrorOf(Store().Get(Random(1), "m", mlir_));
  EXPECT_NE(error.find("module \"m\": "), std::string::npos) << error;
  EXPECT_NE(error.find("line 1: global @x: expected a quoted string"), std::string::npos) << error;
  EXPECT_EQ(CountArchives(dir_ / "artifacts/parameters/m"), 0);  // nothing written
}

}  // namespace
}  // namespace iree_suite
