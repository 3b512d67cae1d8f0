#include "exec/iree_tools.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/strings.h"
#include "exec/subprocess.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

bool IsExecutableFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

// VERSION = "x" from a version.py that IREE's Python packages ship.
std::optional<std::string> ReadPackageVersion(const fs::path& version_py) {
  std::ifstream in(version_py);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VERSION", 0) != 0) continue;
    size_t open = line.find('"');
    size_t close = line.rfind('"');
    if (open != std::string::npos && close > open) return line.substr(open + 1, close - open - 1);
  }
  return std::nullopt;
}

// The first `limit` bytes of a file; empty when it cannot be read.
std::string ReadHead(const fs::path& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  std::string head(limit, '\0');
  in.read(head.data(), static_cast<std::streamsize>(limit));
  head.resize(in ? limit : static_cast<size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return head;
}

// Where in site-packages a console script's module keeps its binaries.
std::optional<fs::path> PackagedBinaryDirectory(const std::string& script) {
  if (script.find("from iree.compiler.") != std::string::npos) {
    return fs::path("iree") / "compiler" / "_mlir_libs";
  }
  if (script.find("from iree._runtime.") != std::string::npos) {
    return fs::path("iree") / "_runtime_libs";
  }
  return std::nullopt;
}

}  // namespace

std::optional<fs::path> ResolveConsoleScript(const fs::path& tool) {
  const std::string script = ReadHead(tool, 4096);
  if (script.rfind("#!", 0) != 0) return std::nullopt;
  const std::string shebang = script.substr(2, script.find('\n') - 2);
  if (shebang.find("python") == std::string::npos) return std::nullopt;
  std::optional<fs::path> binaries = PackagedBinaryDirectory(script);
  // The compiler's wrapper looks in $IREE_TOOL_PATH first: then it decides.
  if (!binaries || (std::getenv("IREE_TOOL_PATH") && tool.filename() == "iree-compile")) {
    return std::nullopt;
  }
  // The site-packages of the interpreter's environment (the shebang names
  // <venv>/bin/python), then of the prefix the script itself sits in.
  std::vector<fs::path> prefixes;
  const fs::path interpreter = Trim(shebang.substr(0, shebang.find(' ')));
  if (interpreter.is_absolute()) prefixes.push_back(interpreter.parent_path().parent_path());
  prefixes.push_back(fs::absolute(tool).parent_path().parent_path());
  std::error_code ec;
  for (const fs::path& prefix : prefixes) {
    for (const auto& python : fs::directory_iterator(prefix / "lib", ec)) {
      const fs::path candidate = python.path() / "site-packages" / *binaries / tool.filename();
      if (IsExecutableFile(candidate) && ReadHead(candidate, 2) != "#!") {
        return fs::canonical(candidate, ec);
      }
    }
  }
  return std::nullopt;
}

Result<fs::path> FindTool(const std::string& name, const ToolSearch& search) {
  std::vector<fs::path> dirs;
  if (search.tools_dir) {
    dirs.push_back(*search.tools_dir);
  } else {
    std::stringstream path_list(search.path_env);
    std::string dir;
    while (std::getline(path_list, dir, ':')) {
      if (!dir.empty()) dirs.push_back(dir);
    }
    dirs.insert(dirs.end(), search.fallback_dirs.begin(), search.fallback_dirs.end());
  }
  for (const fs::path& dir : dirs) {
    fs::path candidate = dir / name;
    if (IsExecutableFile(candidate)) return fs::absolute(candidate);
  }
  const char* package = name == "iree-compile" ? "iree-base-compiler" : "iree-base-runtime";
  return Error{fmt::format(
      "cannot find the IREE tool '{}' ({}); install it with `make setup` or `pip install {}`, or "
      "point --iree-tools-dir / ${} at the directory that holds it",
      name,
      search.tools_dir ? fmt::format("not in {}", search.tools_dir->string())
                       : "not on PATH nor in the project venv",
      package, kToolsDirEnv)};
}

std::vector<fs::path> DefaultFallbackDirs(const fs::path& self_exe) {
  std::vector<fs::path> dirs;
  // Installed by pip into a venv: the IREE tools of that venv sit beside it.
  if (!self_exe.empty()) dirs.push_back(self_exe.parent_path());
#ifdef IREE_SUITE_SOURCE_DIR
  dirs.push_back(fs::path(IREE_SUITE_SOURCE_DIR) / ".venv" / "bin");
#endif
  if (!self_exe.empty()) {
    dirs.push_back(self_exe.parent_path() / ".." / ".venv" / "bin");
    dirs.push_back(self_exe.parent_path() / ".venv" / "bin");
  }
  return dirs;
}

std::string ToolVersion(const fs::path& tool) {
  if (tool.filename() == "iree-compile") {
    fs::path out = fs::temp_directory_path() / fmt::format("iree-suite-version.{}", getpid());
    ProcessResult result = RunProcess({{tool.string(), "--version"}, {}, out, {}, 60.0});
    std::ifstream in(out);
    std::string line;
    std::string version = "unknown";
    while (std::getline(in, line)) {
      if (size_t at = line.find("compiler version "); at != std::string::npos) {
        version = Trim(line.substr(at + 17));
        break;
      }
    }
    std::error_code ec;
    fs::remove(out, ec);
    return result.Succeeded() ? version : "unknown";
  }
  // Runtime tools have no --version. A pip-installed tool is a Python wrapper
  // in <venv>/bin; the package beside it records its version.
  if (auto version = ReadPackageVersion(tool.parent_path() / "version.py")) return *version;
  std::error_code ec;
  fs::path prefix = tool.parent_path().parent_path();
  fs::path lib = prefix / "lib";
  if (fs::is_directory(lib, ec)) {
    for (const auto& python : fs::directory_iterator(lib, ec)) {
      fs::path version_py =
          python.path() / "site-packages" / "iree" / "_runtime_libs" / "version.py";
      if (auto version = ReadPackageVersion(version_py)) return *version;
    }
  }
  return "unknown";
}

std::optional<fs::path> FindCompilerLibrary(const fs::path& iree_compile) {
  constexpr const char* kLibrary = "libIREECompiler.so";
  std::error_code ec;
  fs::path real = fs::canonical(iree_compile, ec);
  if (ec) real = iree_compile;
  std::vector<fs::path> candidates = {real.parent_path() / kLibrary,
                                      real.parent_path() / ".." / "lib" / kLibrary};
  // A pip-installed iree-compile is a wrapper in <venv>/bin; the library is in
  // <venv>/lib/python*/site-packages/iree/compiler/_mlir_libs/.
  fs::path lib = real.parent_path().parent_path() / "lib";
  if (fs::is_directory(lib, ec)) {
    for (const auto& python : fs::directory_iterator(lib, ec)) {
      candidates.push_back(python.path() / "site-packages" / "iree" / "compiler" / "_mlir_libs" /
                           kLibrary);
    }
  }
  for (const fs::path& candidate : candidates) {
    if (fs::is_regular_file(candidate, ec)) return fs::canonical(candidate, ec);
  }
  return std::nullopt;
}

std::string CompilerIdentity(const fs::path& iree_compile, const std::string& version) {
  std::string identity = fmt::format("{} {}", version, iree_compile.string());
  if (std::optional<fs::path> library = FindCompilerLibrary(iree_compile)) {
    std::error_code ec;
    auto size = fs::file_size(*library, ec);
    auto mtime = fs::last_write_time(*library, ec).time_since_epoch().count();
    identity += fmt::format(" {} {} {}", library->string(), size, mtime);
  }
  return identity;
}

}  // namespace iree_suite
