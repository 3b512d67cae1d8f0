// iree-suite-make-parameters: writes the random or splat parameter archive of
// an MLIR module, exactly as the runner does for "random" and "splat"
// weights. For benchmarks and for making archives by hand:
//
//   iree-suite-make-parameters --mlir=model.mlir --scope=model --seed=42
//       --output=model.irpa [--threads=N]

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "artifacts/parameters/archive_writer.h"
#include "artifacts/parameters/mlir_scanner.h"
#include "artifacts/parameters/parameter_store.h"
#include "artifacts/progress_printer.h"
#include "base/line_printer.h"
#include "exec/iree_tools.h"
#include "exec/run_events.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

// This tool's console: the archive's progress on stderr.
class StderrProgress final : public RunEvents {
 public:
  void OnCommandStarted(const ProcessSpec&) override {}
  void OnJobProgress(const std::string& what, uint64_t done, uint64_t total,
                     double bytes_per_s) override {
    progress_.Update(what, done, total, bytes_per_s);
  }
  void OnJobFinished(const std::string& line) override { progress_.Finish(line); }
  void OnNotice(const std::string& line) override { printer_.PrintLine(line); }

 private:
  LinePrinter printer_{stderr};
  ProgressPrinter progress_{&printer_};
};

constexpr const char* kUsage =
    "usage: iree-suite-make-parameters --mlir=FILE --output=FILE.irpa (--seed=N | --splat=VALUE)\n"
    "           [--scope=NAME (default: model)] [--threads=N (default: all)]\n"
    "           [--module-name=NAME] [--iree-opt=PATH] [--quiet]\n"
    "Writes the parameter archive a \"random\" or \"splat\" weight of the module stands for.\n";

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

// --name=value or --name value; --quiet and --help take no value. Returns
// nullopt for anything else, unknown flags included.
std::optional<std::map<std::string, std::string>> ParseFlags(int argc, char** argv) {
  static const std::set<std::string> kWithValue = {"mlir",  "output",  "seed",     "splat",
                                                   "scope", "threads", "iree-opt", "module-name"};
  std::map<std::string, std::string> flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quiet" || arg == "--help") {
      flags[arg.substr(2)] = "";
      continue;
    }
    if (arg.rfind("--", 0) != 0) return std::nullopt;
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(2, equals == std::string::npos ? equals : equals - 2);
    if (!kWithValue.count(name)) return std::nullopt;
    if (equals != std::string::npos) {
      flags[name] = arg.substr(equals + 1);
    } else if (i + 1 < argc) {
      flags[name] = argv[++i];
    } else {
      return std::nullopt;
    }
  }
  return flags;
}

template <typename T>
bool ParseNumber(const std::string& text, T* value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *value);
  return ec == std::errc() && ptr == end;
}

fs::path FindIreeOpt(const std::map<std::string, std::string>& flags) {
  if (auto it = flags.find("iree-opt"); it != flags.end()) return it->second;
  ToolSearch search;
  if (const char* path = std::getenv("PATH")) search.path_env = path;
  std::error_code ec;
  search.fallback_dirs = DefaultFallbackDirs(fs::read_symlink("/proc/self/exe", ec));
  Result<fs::path> iree_opt = FindTool("iree-opt", search);
  return iree_opt ? *iree_opt : fs::path();
}

int Run(int argc, char** argv) {
  std::optional<std::map<std::string, std::string>> flags = ParseFlags(argc, argv);
  if (flags && flags->count("help")) {
    fmt::print("{}", kUsage);
    return 0;
  }
  if (!flags || !flags->count("mlir") || !flags->count("output") ||
      flags->count("seed") == flags->count("splat")) {
    fmt::print(stderr, "{}", kUsage);
    return kExitUsage;
  }
  const fs::path mlir = flags->at("mlir");
  const fs::path output = flags->at("output");
  const std::string scope = flags->count("scope") ? flags->at("scope") : "model";
  const std::string module_name =
      flags->count("module-name") ? flags->at("module-name") : mlir.filename().string();
  ArchiveContents contents;
  ArchiveWriteOptions options;
  bool valid = true;
  if (flags->count("seed")) {
    int64_t seed = 0;  // as JSON seeds are, and converted the same way
    valid &= ParseNumber(flags->at("seed"), &seed);
    contents.seed = static_cast<uint64_t>(seed);
  } else {
    contents.kind = ArchiveContents::Kind::kSplat;
    valid &= ParseNumber(flags->at("splat"), &contents.splat_value);
  }
  if (flags->count("threads")) valid &= ParseNumber(flags->at("threads"), &options.threads);
  if (!valid) {
    fmt::print(stderr,
               "iree-suite-make-parameters: error: --seed, --splat and --threads take "
               "numbers\n{}",
               kUsage);
    return kExitUsage;
  }

  const auto start = std::chrono::steady_clock::now();
  Result<std::vector<ParameterGlobal>> globals =
      ReadMlirParameters(mlir, FindIreeOpt(*flags), output.parent_path());
  Result<std::vector<ArchiveParameter>> parameters =
      globals ? SelectParameters(*globals, scope, module_name) : Error{globals.error()};
  if (!parameters) {
    fmt::print(stderr, "iree-suite-make-parameters: error: {}\n", parameters.error());
    return kExitError;
  }
  contents.parameters = std::move(*parameters);
  const uint64_t total = ArchiveDataBytes(contents);
  StderrProgress progress;
  if (!flags->count("quiet") && total > kProgressThresholdBytes) {
    options.progress = ReportArchiveProgress(&progress, "generating parameters for " + module_name);
    options.progress_interval_s = 0.2;
  }
  Status written = WriteParameterArchive(contents, output, options);
  if (options.progress) progress.OnJobFinished("");  // a terminal's progress line is cleared
  if (!written) {
    fmt::print(stderr, "iree-suite-make-parameters: error: {}\n", written.error());
    return kExitError;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!flags->count("quiet")) {
    fmt::print("wrote {}: {} parameters, {:.1f} MiB of data in {:.3f} s ({:.2f} GB/s)\n",
               output.string(), contents.parameters.size(), total / 1048576.0, seconds,
               total / 1e9 / std::max(seconds, 1e-9));
  }
  return 0;
}

}  // namespace
}  // namespace iree_suite

int main(int argc, char** argv) { return iree_suite::Run(argc, argv); }
