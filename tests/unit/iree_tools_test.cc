#include "exec/iree_tools.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

class IreeToolsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() /
        ("iree_tools_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "bin");
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  fs::path root_;
};

TEST_F(IreeToolsTest, PipLayoutFindsTheCompilerLibrary) {
  Write(root_ / "bin" / "iree-compile", "#!/usr/bin/python\n");
  fs::path library = root_ / "lib" / "python3.11" / "site-packages" / "iree" / "compiler" /
                     "_mlir_libs" / "libIREECompiler.so";
  Write(library, "v1");
  ASSERT_TRUE(FindCompilerLibrary(root_ / "bin" / "iree-compile").has_value());
  EXPECT_EQ(*FindCompilerLibrary(root_ / "bin" / "iree-compile"), fs::canonical(library));
}

TEST_F(IreeToolsTest, IdentityChangesWhenTheLibraryChanges) {
  Write(root_ / "bin" / "iree-compile", "#!/bin/true\n");
  Write(root_ / "lib" / "libIREECompiler.so", "v1");
  std::string before = CompilerIdentity(root_ / "bin" / "iree-compile", "3.13.0");
  EXPECT_NE(before.find("3.13.0"), std::string::npos);
  EXPECT_NE(before.find("libIREECompiler.so"), std::string::npos);
  Write(root_ / "lib" / "libIREECompiler.so", "v2, rebuilt");
  EXPECT_NE(CompilerIdentity(root_ / "bin" / "iree-compile", "3.13.0"), before);
}

TEST_F(IreeToolsTest, FindToolSearchesToolsDirOnlyWhenGiven) {
  Write(root_ / "bin" / "iree-run-module", "#!/bin/true\n");
  fs::permissions(root_ / "bin" / "iree-run-module", fs::perms::owner_all);
  ToolSearch search{root_ / "bin", "/usr/bin", {}};
  Result<fs::path> found = FindTool("iree-run-module", search);
  ASSERT_TRUE(found) << found.error();
  EXPECT_EQ(*found, root_ / "bin" / "iree-run-module");
  ToolSearch elsewhere{root_ / "nothing", (root_ / "bin").string(), {}};
  Result<fs::path> missing = FindTool("iree-run-module", elsewhere);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("not in " + (root_ / "nothing").string()), std::string::npos);
  ToolSearch path_then_fallback{std::nullopt, "/nonexistent", {root_ / "bin"}};
  Result<fs::path> fallback = FindTool("iree-run-module", path_then_fallback);
  ASSERT_TRUE(fallback) << fallback.error();
  EXPECT_EQ(*fallback, root_ / "bin" / "iree-run-module");
}

TEST_F(IreeToolsTest, FallbackStartsBesideTheBinary) {
  // pip installs iree-suite into a venv's bin/, where that venv's IREE tools are.
  std::vector<fs::path> dirs = DefaultFallbackDirs(root_ / "venv" / "bin" / "iree-suite");
  ASSERT_FALSE(dirs.empty());
  EXPECT_EQ(dirs.front(), root_ / "venv" / "bin");
  EXPECT_TRUE(DefaultFallbackDirs("").size() < dirs.size());
}

// A venv as pip lays it out: console scripts in bin/, binaries in the package.
TEST_F(IreeToolsTest, ConsoleScriptsResolveToThePackagedBinaries) {
  const fs::path site = root_ / "lib" / "python3.11" / "site-packages" / "iree";
  auto executable = [&](const fs::path& path, const std::string& text) {
    Write(path, text);
    fs::permissions(path, fs::perms::owner_all);
  };
  const std::string shebang = "#!" + (root_ / "bin" / "python3").string() + "\n";
  executable(root_ / "bin" / "iree-compile",
             shebang + "from iree.compiler.tools.scripts.iree_compile.__main__ import main\n");
  executable(root_ / "bin" / "iree-run-module",
             shebang + "from iree._runtime.scripts.iree_run_module.__main__ import main\n");
  executable(site / "compiler" / "_mlir_libs" / "iree-compile",
             "\x7f"
             "ELF");
  executable(site / "_runtime_libs" / "iree-run-module",
             "\x7f"
             "ELF");
  EXPECT_EQ(ResolveConsoleScript(root_ / "bin" / "iree-compile"),
            fs::canonical(site / "compiler" / "_mlir_libs" / "iree-compile"));
  EXPECT_EQ(ResolveConsoleScript(root_ / "bin" / "iree-run-module"),
            fs::canonical(site / "_runtime_libs" / "iree-run-module"));
  // The real binary itself, a shell script and a wrapper whose binary is
  // missing stay as they are.
  EXPECT_FALSE(ResolveConsoleScript(site / "_runtime_libs" / "iree-run-module").has_value());
  executable(root_ / "bin" / "iree-benchmark-module", "#!/bin/sh\nexec iree.compiler.x\n");
  EXPECT_FALSE(ResolveConsoleScript(root_ / "bin" / "iree-benchmark-module").has_value());
  executable(root_ / "bin" / "iree-opt",
             shebang + "from iree.compiler.tools.scripts.iree_opt.__main__ import main\n");
  EXPECT_FALSE(ResolveConsoleScript(root_ / "bin" / "iree-opt").has_value());
}

}  // namespace
}  // namespace iree_suite
