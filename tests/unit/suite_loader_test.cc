#include "suite/suite_loader.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_helpers.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

// A suite tree in a fresh temp directory: <root>/tests and <root>/modules,
// removed at the end of the test.
class SuiteLoaderTest : public testing::Test {
 protected:
  SuiteLoaderTest() {
    tests_ = root_ / "tests";
    modules_ = root_ / "modules";
    fs::create_directories(tests_);
    fs::create_directories(modules_);
  }

  static void Write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  void WriteTest(const std::string& relative, const std::string& text) {
    Write(tests_ / relative, text);
  }
  void WriteModule(const std::string& name, const std::string& text) {
    Write(modules_ / (name + ".json"), text);
  }
  // A valid module `name`.
  void AddModule(const std::string& name) {
    WriteModule(name, R"({"mlir": ")" + name + R"(.mlir", "compiler_flags": ["-O3"]})");
  }
  // A valid quality test of `module` at tests/<relative>.
  void AddQuality(const std::string& relative, const std::string& module = "m") {
    WriteTest(relative,
              R"({"type": "quality", "markers": ["cpu"], "modules": [")" + module + R"("]})");
  }

  LoadedSuite Load(std::vector<fs::path> restrict_to = {}) {
    return LoadSuite({tests_, modules_, std::move(restrict_to)});
  }

  static std::vector<std::string> Ids(const LoadedSuite& suite) {
    std::vector<std::string> ids;
    for (const TestDefinition& test : suite.tests) ids.push_back(test.id);
    return ids;
  }
  static std::vector<std::string> Errors(const LoadedSuite& suite) {
    std::vector<std::string> lines;
    for (const Diagnostic& error : suite.errors) lines.push_back(error.ToString());
    return lines;
  }

  testing_helpers::TempDir temp_{"suite_loader_test"};
  const fs::path root_ = temp_.path();
  fs::path tests_;
  fs::path modules_;
};

TEST_F(SuiteLoaderTest, ModuleJsonPath) {
  EXPECT_EQ(ModuleJsonPath("/suite/modules", "sdxl/modules/clip_cpu"),
            fs::path("/suite/modules/sdxl/modules/clip_cpu.json"));
}

TEST_F(SuiteLoaderTest, DiscoveryIsRecursiveAndSortedElementWise) {
  AddModule("m");
  // As strings, "a-c.json" < "a.json" < "a/b.json"; element-wise (Python's
  // sorted(Path)), the directory "a" comes first.
  AddQuality("a.json");
  AddQuality("a-c.json");
  AddQuality("a/b.json");
  AddQuality("z/y/x/deep.json");
  AddQuality("b.json");
  WriteTest("a/notes.txt", "not json");
  WriteTest("a/data.json.bak", R"({"type": "quality"})");
  LoadedSuite suite = Load();
  EXPECT_TRUE(suite.errors.empty()) << testing::PrintToString(Errors(suite));
  EXPECT_EQ(Ids(suite), (std::vector<std::string>{"a/b.json", "a-c.json", "a.json", "b.json",
                                                  "z/y/x/deep.json"}));
  EXPECT_EQ(suite.invalid_test_files, 0u);
  EXPECT_EQ(suite.tests[0].json_path, tests_ / "a" / "b.json");
}

TEST_F(SuiteLoaderTest, FilesWithoutTypeAreSkipped) {
  AddModule("m");
  AddQuality("t.json");
  WriteTest("modules/m.json", R"({"mlir": "m.mlir", "compiler_flags": []})");
  LoadedSuite suite = Load();
  EXPECT_TRUE(suite.errors.empty()) << testing::PrintToString(Errors(suite));
  EXPECT_EQ(Ids(suite), (std::vector<std::string>{"t.json"}));
  EXPECT_EQ(suite.invalid_test_files, 0u);
}

TEST_F(SuiteLoaderTest, FilesThatAreNoObjectAreErrorsNotSkipped) {
  AddModule("m");
  AddQuality("t.json");
  WriteTest("data.json", R"([1, 2, 3])");
  WriteTest("null.json", "null");
  LoadedSuite suite = Load();
  EXPECT_EQ(Errors(suite),
            (std::vector<std::string>{
                (tests_ / "data.json").string() + ": expected a JSON object, got an array",
                (tests_ / "null.json").string() + ": expected a JSON object, got null"}));
  EXPECT_EQ(Ids(suite), (std::vector<std::string>{"t.json"}));
  EXPECT_EQ(suite.invalid_test_files, 2u);
}

TEST_F(SuiteLoaderTest, LoadsNamedModules) {
  AddModule("sdxl/modules/clip");
  AddModule("unused");
  AddQuality("t.json", "sdxl/modules/clip");
  LoadedSuite suite = Load();
  ASSERT_EQ(suite.tests.size(), 1u);
  ASSERT_EQ(suite.modules.size(), 1u);
  const ModuleDefinition& module = suite.modules.at("sdxl/modules/clip");
  EXPECT_EQ(module.name, "sdxl/modules/clip");
  EXPECT_EQ(module.json_path, modules_ / "sdxl/modules/clip.json");
  EXPECT_EQ(module.mlir, "sdxl/modules/clip.mlir");
  EXPECT_EQ(module.compiler_flags, (std::vector<std::string>{"-O3"}));
}

TEST_F(SuiteLoaderTest, MissingModuleIsAnErrorOnTheModulesField) {
  AddModule("m");
  WriteTest("t.json", R"({"type": "quality", "markers": [], "modules": ["m", "missing"]})");
  LoadedSuite suite = Load();
  EXPECT_TRUE(suite.tests.empty());
  EXPECT_EQ(suite.invalid_test_files, 1u);
  ASSERT_EQ(suite.errors.size(), 1u);
  EXPECT_EQ(suite.errors[0].file, (tests_ / "t.json").string());
  EXPECT_EQ(suite.errors[0].field, "modules[1]");
  EXPECT_EQ(suite.errors[0].message, "module \"missing\" not found: " +
                                         (modules_ / "missing.json").string() + " does not exist");
}

TEST_F(SuiteLoaderTest, MissingCompstatModuleIsAnErrorOnTheModuleField) {
  WriteTest("c.json", R"({"type": "compstat", "markers": [], "module": "gone"})");
  LoadedSuite suite = Load();
  EXPECT_TRUE(suite.tests.empty());
  ASSERT_EQ(suite.errors.size(), 1u);
  EXPECT_EQ(suite.errors[0].field, "module");
  EXPECT_EQ(suite.errors[0].message,
            "module \"gone\" not found: " + (modules_ / "gone.json").string() + " does not exist");
}

TEST_F(SuiteLoaderTest, InvalidModuleJsonIsReportedOnceWithItsOwnPath) {
  WriteModule("bad", "{\"mlir\": \"m.mlir\",\n ]");
  AddQuality("one.json", "bad");
  AddQuality("two.json", "bad");
  LoadedSuite suite = Load();
  EXPECT_TRUE(suite.tests.empty());
  EXPECT_EQ(suite.invalid_test_files, 2u);
  const std::string module_error =
      (modules_ / "bad.json").string() +
      ": invalid JSON at line 2, column 2: syntax error while parsing object key - unexpected "
      "']'; expected string literal";
  EXPECT_EQ(Errors(suite), (std::vector<std::string>{
                               module_error,
                               (tests_ / "one.json").string() +
                                   ": modules[0]: module \"bad\" is invalid: " + module_error,
                               (tests_ / "two.json").string() +
                                   ": modules[0]: module \"bad\" is invalid: " + module_error}));
}

TEST_F(SuiteLoaderTest, ModuleSchemaErrorsAreReportedOnce) {
  WriteModule("nomlir", R"({"compiler_flags": []})");
  AddQuality("one.json", "nomlir");
  AddQuality("two.json", "nomlir");
  LoadedSuite suite = Load();
  EXPECT_TRUE(suite.tests.empty());
  const std::string module_error =
      (modules_ / "nomlir.json").string() + ": mlir: missing required field; expected a string";
  EXPECT_EQ(Errors(suite), (std::vector<std::string>{
                               module_error,
                               (tests_ / "one.json").string() +
                                   ": modules[0]: module \"nomlir\" is invalid: " + module_error,
                               (tests_ / "two.json").string() +
                                   ": modules[0]: module \"nomlir\" is invalid: " + module_error}));
}

TEST_F(SuiteLoaderTest, RandomWeightModuleIsChecked) {
  AddModule("m");
  WriteTest("t.json", R"({"type": "quality", "markers": [], "modules": ["m"],
    "weights": [{"type": "random", "module": "params", "seed": 1, "scope": "model"}]})");
  LoadedSuite suite = Load();
  EXPECT_TRUE(suite.tests.empty());
  ASSERT_EQ(suite.errors.size(), 1u);
  EXPECT_EQ(suite.errors[0].field, "weights[0].module");
  EXPECT_EQ(suite.errors[0].message, "module \"params\" not found: " +
                                         (modules_ / "params.json").string() + " does not exist");
}

TEST_F(SuiteLoaderTest, UrlWeightNeedsNoModule) {
  AddModule("m");
  WriteTest("t.json", R"({"type": "quality", "markers": [], "modules": ["m"],
    "weights": [{"type": "url", "url": "https://example.com/w.irpa", "scope": "model"}]})");
  LoadedSuite suite = Load();
  EXPECT_TRUE(suite.errors.empty()) << testing::PrintToString(Errors(suite));
  EXPECT_EQ(Ids(suite), (std::vector<std::string>{"t.json"}));
}

TEST_F(SuiteLoaderTest, RestrictToSubdirectory) {
  AddModule("m");
  AddQuality("a.json");
  AddQuality("sub/b.json");
  AddQuality("sub/deeper/c.json");
  AddQuality("subway/d.json");  // shares a string prefix, not a path prefix
  LoadedSuite suite = Load({tests_ / "sub"});
  EXPECT_TRUE(suite.errors.empty()) << testing::PrintToString(Errors(suite));
  EXPECT_EQ(Ids(suite), (std::vector<std::string>{"sub/b.json", "sub/deeper/c.json"}));
}

TEST_F(SuiteLoaderTest, RestrictToSubdirectoryWithTrailingSlash) {
  AddModule("m");
  AddQuality("a.json");
  AddQuality("sub/b.json");
  LoadedSuite suite = Load({fs::path((tests_ / "sub").string() + "/")});
  EXPECT_EQ(Ids(suite), (std::vector<std::string>{"sub/b.json"}));
}

TEST_F(SuiteLoaderTest, RestrictToSingleFileAndSeveralRoots) {
  AddModule("m");
  AddQuality("a.json");
  AddQuality("b.json");
  AddQuality("sub/c.json");
  AddQuality("sub/d.json");
  EXPECT_EQ(Ids(Load({tests_ / "b.json"})), (std::vector<std::string>{"b.json"}));
  EXPECT_EQ(Ids(Load({tests_ / "sub" / "d.json", tests_ / "a.json"})),
            (std::vector<std::string>{"a.json", "sub/d.json"}));
}

TEST_F(SuiteLoaderTest, RestrictToNothingMatching) {
  AddModule("m");
  AddQuality("a.json");
  LoadedSuite suite = Load({tests_ / "nowhere"});
  EXPECT_TRUE(suite.tests.empty());
  EXPECT_TRUE(suite.errors.empty());
}

TEST_F(SuiteLoaderTest, OtherTestsStillLoadWhenSomeAreInvalid) {
  AddModule("m");
  AddQuality("1_good.json");
  WriteTest("2_syntax.json", "{\"type\": \"quality\",");
  WriteTest("3_schema.json", R"({"type": "quality", "markers": "cpu", "modules": ["m"]})");
  WriteTest("4_unknown.json", R"({"type": "perf", "markers": [], "modules": ["m"]})");
  AddQuality("5_missing_module.json", "gone");
  AddQuality("6_good.json");
  LoadedSuite suite = Load();
  EXPECT_EQ(Ids(suite), (std::vector<std::string>{"1_good.json", "6_good.json"}));
  EXPECT_EQ(suite.invalid_test_files, 4u);
  ASSERT_EQ(suite.errors.size(), 4u);
  EXPECT_EQ(suite.errors[0].file, (tests_ / "2_syntax.json").string());
  EXPECT_EQ(suite.errors[0].message.rfind("invalid JSON at line 1, column ", 0), 0u)
      << suite.errors[0].message;
  EXPECT_EQ(suite.errors[1].ToString(), (tests_ / "3_schema.json").string() +
                                            ": markers: expected an array of strings, got a "
                                            "string");
  EXPECT_EQ(suite.errors[2].file, (tests_ / "4_unknown.json").string());
  EXPECT_EQ(suite.errors[2].field, "type");
  EXPECT_EQ(suite.errors[3].file, (tests_ / "5_missing_module.json").string());
  EXPECT_EQ(suite.errors[3].field, "modules[0]");
}

TEST_F(SuiteLoaderTest, TestDirectoryWithTrailingSlash) {
  AddModule("m");
  AddQuality("sub/a.json");
  LoadedSuite suite = LoadSuite({fs::path(tests_.string() + "/"), modules_, {}});
  EXPECT_EQ(Ids(suite), (std::vector<std::string>{"sub/a.json"}));
}

// Directory symlinks are followed, but a cycle (tests/b/loop -> ..) must not
// collect the same files again and again.
TEST_F(SuiteLoaderTest, SymlinkLoopDoesNotDuplicateTests) {
  AddModule("m");
  AddQuality("a.json");
  AddQuality("b/z.json");
  fs::create_directory_symlink("..", tests_ / "b" / "loop");
  LoadedSuite suite = Load();
  EXPECT_TRUE(suite.errors.empty());
  EXPECT_EQ(Ids(suite), (std::vector<std::string>{"a.json", "b/z.json"}));
}

// Creates `levels` nested directories named `name` below `parent` with
// mkdirat (their path outgrows PATH_MAX) and a file `file` at the bottom.
void MakeDeepTree(const fs::path& parent, const std::string& name, int levels,
                  const std::string& file, const std::string& text) {
  int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  for (int i = 0; i < levels; ++i) {
    ASSERT_EQ(::mkdirat(fd, name.c_str(), 0755), 0);
    int child = ::openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY);
    ::close(fd);
    ASSERT_GE(child, 0);
    fd = child;
  }
  int out = ::openat(fd, file.c_str(), O_WRONLY | O_CREAT, 0644);
  ASSERT_GE(out, 0);
  ASSERT_EQ(::write(out, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(out);
  ::close(fd);
}

// Removes what MakeDeepTree made, bottom up, without ever naming a long path.
void RemoveDeepTree(int parent_fd, const std::string& name) {
  int fd = ::openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  if (fd < 0) {
    ::unlinkat(parent_fd, name.c_str(), 0);
    return;
  }
  DIR* dir = ::fdopendir(fd);
  std::vector<std::string> children;
  while (const dirent* item = ::readdir(dir)) {
    if (std::string(item->d_name) != "." && std::string(item->d_name) != "..") {
      children.push_back(item->d_name);
    }
  }
  for (const std::string& child : children) RemoveDeepTree(::dirfd(dir), child);
  ::closedir(dir);
  ::unlinkat(parent_fd, name.c_str(), AT_REMOVEDIR);
}

TEST_F(SuiteLoaderTest, APathLongerThanPathMaxIsCollectedLikeAnyOther) {
  AddModule("m");
  AddQuality("a.json");
  const std::string level(200, 'd');
  MakeDeepTree(tests_, level, 25, "deep.json",
               R"({"type": "quality", "markers": ["cpu"], "modules": ["m"]})");
  LoadedSuite suite = Load();
  EXPECT_TRUE(suite.errors.empty()) << testing::PrintToString(Errors(suite));
  ASSERT_EQ(suite.tests.size(), 2u);
  EXPECT_EQ(suite.tests[0].id, "a.json");
  // Read relative to its folder, so the path beyond PATH_MAX is no obstacle.
  EXPECT_GT(suite.tests[1].id.size(), static_cast<size_t>(PATH_MAX));
  EXPECT_EQ(suite.tests[1].id.substr(suite.tests[1].id.size() - 10), "/deep.json");
  int fd = ::open(tests_.c_str(), O_RDONLY | O_DIRECTORY);
  RemoveDeepTree(fd, level);
  ::close(fd);
}

TEST_F(SuiteLoaderTest, MissingTestDirectory) {
  LoadedSuite suite = LoadSuite({root_ / "absent", modules_, {}});
  EXPECT_TRUE(suite.tests.empty());
  ASSERT_EQ(suite.errors.size(), 1u);
  EXPECT_EQ(suite.errors[0].file, (root_ / "absent").string());
  EXPECT_EQ(suite.errors[0].message.rfind("cannot read test directory: ", 0), 0u)
      << suite.errors[0].message;
}

}  // namespace
}  // namespace iree_suite
