// Finds the IREE tools the runner drives and says which versions they are.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace iree_suite {

// Environment variable naming a directory that holds the IREE tools; same
// meaning as --iree-tools-dir, which takes precedence.
inline constexpr const char* kToolsDirEnv = "IREE_SUITE_TOOLS_DIR";

struct ToolSearch {
  std::optional<std::filesystem::path> tools_dir;    // --iree-tools-dir, else $IREE_SUITE_TOOLS_DIR
  std::string path_env;                              // $PATH
  std::vector<std::filesystem::path> fallback_dirs;  // e.g. the project venv's bin/
};

// Where to look, in order: tools_dir alone when given; else PATH, then the
// fallbacks. An actionable one-line error when missing.
Result<std::filesystem::path> FindTool(const std::string& name, const ToolSearch& search);

// The real executable behind a pip console script: a text file with a Python
// shebang that imports `iree.compiler` or `iree._runtime` and runs the binary
// the package ships (iree/compiler/_mlir_libs/<name>, iree/_runtime_libs/<name>).
// Calling that binary directly saves the interpreter's start-up (~0.1 s for
// iree-compile). Returns nullopt when `tool` is no such script or the binary
// is not where the package keeps it.
std::optional<std::filesystem::path> ResolveConsoleScript(const std::filesystem::path& tool);

// Fallback directories for this build: the binary's own directory (a venv's
// bin/ when pip installed it), then the project venv next to the source tree
// and next to the binary.
std::vector<std::filesystem::path> DefaultFallbackDirs(const std::filesystem::path& self_exe);

// A short version string: "3.13.0rc20261016 @ 89ece87..." for iree-compile
// (from --version); for runtime tools (which have no --version) the version
// of the Python package that ships them when found, else "unknown".
std::string ToolVersion(const std::filesystem::path& tool);

// What identifies a compiler for the module cache: its version line, its
// path, and the compiler library it loads (path, size, modification time),
// so a rebuilt or reinstalled compiler invalidates cached modules.
std::string CompilerIdentity(const std::filesystem::path& iree_compile, const std::string& version);

// libIREECompiler.so as an installed or built iree-compile loads it, if found.
std::optional<std::filesystem::path> FindCompilerLibrary(const std::filesystem::path& iree_compile);

}  // namespace iree_suite
