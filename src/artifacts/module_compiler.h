// Compiles modules with iree-compile into a content-addressed cache:
// <artifacts>/modules/<module name>/<key>/{module.vmfb,compile_stats.json,compile.log}
// where key = SHA-256 of the MLIR bytes, the compiler flags and the compiler's
// identity. Any change to those compiles anew; nothing else does.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "checks/test_result.h"
#include "exec/single_flight.h"
#include "report/trace_writer.h"
#include "suite/test_definition.h"

namespace iree_suite {

struct CompilerInfo {
  std::filesystem::path iree_compile;
  std::string version;  // identity that goes into every key
};

struct CompiledModule {
  bool ok = false;
  std::string error;        // why compilation failed
  std::string output_tail;  // end of the compiler's output when it failed
  std::filesystem::path vmfb;
  std::filesystem::path stats_json;
  std::filesystem::path log;
  std::string key;
  bool from_cache = false;
  double seconds = 0;
  Repro repro;
};

class ModuleCompiler {
 public:
  // Maps a module's "mlir" (path, file:// or http(s) URL) to a local file.
  using MlirResolver =
      std::function<std::optional<std::filesystem::path>(const std::string&, std::string*)>;

  // `trace` (may be nullptr) gets a span for every real compile.
  ModuleCompiler(std::filesystem::path artifact_directory,
                 std::filesystem::path external_file_directory, CompilerInfo compiler,
                 bool force_recompile, MlirResolver resolve_mlir, TraceWriter* trace);

  // Compiles `module` or reuses the cached result; each module is compiled at
  // most once per run, however many tests (on however many threads) name it.
  const CompiledModule& Compile(const ModuleDefinition& module, std::optional<double> timeout_s);

  // The argv iree-compile gets: <mlir> -o <vmfb> <flags...> <statistics flags>.
  static std::vector<std::string> CompileArgv(const std::filesystem::path& iree_compile,
                                              const std::filesystem::path& mlir,
                                              const std::filesystem::path& out_dir,
                                              const std::vector<std::string>& flags);

 private:
  CompiledModule CompileUncached(const ModuleDefinition& module, std::optional<double> timeout_s);

  std::filesystem::path artifact_directory_;
  std::filesystem::path external_file_directory_;
  CompilerInfo compiler_;
  bool force_recompile_;
  MlirResolver resolve_mlir_;
  TraceWriter* trace_;
  SingleFlight<std::string, CompiledModule> compiled_;  // by module name
};

}  // namespace iree_suite
