// Compiles modules with iree-compile into a content-addressed cache:
// <artifacts>/modules/<module name>/<key>/{module.vmfb,compile_stats.json,compile.log}
// where key = SHA-256 of the MLIR bytes, the compiler flags and the compiler's
// identity. Any change to those compiles anew; nothing else does. A compile
// the compiler rejected with diagnostics leaves <key>.failed/{compile.log,
// failure.json}: later runs report that failure without compiling again.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "artifacts/compile_worker_pool.h"
#include "base/result.h"
#include "base/trace_sink.h"
#include "exec/run_events.h"
#include "exec/single_flight.h"
#include "exec/subprocess.h"
#include "results/test_result.h"
#include "suite/test_definition.h"

namespace iree_suite {

// --compile-mode: through the compiler library in worker processes when it
// can take the module (auto), always (library), or never (process).
enum class CompileMode { kAuto, kLibrary, kProcess };

struct CompilerInfo {
  std::filesystem::path iree_compile;  // as found: what repro lines show
  std::string version;                 // identity that goes into every key
  // What runs: the real binary behind a pip console script; empty = iree_compile.
  std::filesystem::path executable;
  CompileMode mode = CompileMode::kProcess;
  CompileWorkerSettings workers;  // the worker program and library, unless kProcess
  bool verbose = false;           // say on stderr why a compile ran iree-compile
};

struct CompiledModule {
  bool ok = false;
  std::string error;        // why compilation failed
  std::string output_tail;  // end of the compiler's output when it failed
  std::filesystem::path vmfb;
  std::filesystem::path stats_json;
  std::filesystem::path log;
  std::string key;
  double seconds = 0;
  Repro repro;
};

// Where a compile runs and how it names its input. The compiled module embeds
// the input's path as the command line gives it (a longer path, a bigger
// .vmfb), so the input is named relative to the working directory: the
// suite's MLIR relative to the external file directory, a downloaded one as
// downloads/<hash of its URL>/<file> from the artifact directory.
struct CompileInput {
  std::filesystem::path working_directory;
  std::filesystem::path mlir;
};

// A module's compile as decided before anything runs: its cache key and
// entry, where it runs, and the repro command, which writes into
// repro/<module>/<key>/ so that pasting it never touches the entry.
struct CompilePlan {
  std::string key;
  std::filesystem::path entry;  // modules/<module>/<key>/
  std::filesystem::path vmfb;   // the module in it, which tests run
  CompileInput input;
  Repro repro;
};

class ModuleCompiler {
 public:
  // Maps a module's "mlir" (path, file:// or http(s) URL) to a local file.
  using MlirResolver = std::function<Result<std::filesystem::path>(const std::string&)>;

  // `trace` (may be nullptr) gets a span for every real compile.
  ModuleCompiler(std::filesystem::path artifact_directory,
                 std::filesystem::path external_file_directory, CompilerInfo compiler,
                 bool force_recompile, MlirResolver resolve_mlir, TraceSink* trace,
                 RunEvents* events = nullptr);

  // Compiles `module` or reuses the cached result; each module is compiled at
  // most once per run, however many tests (on however many threads) name it.
  const CompiledModule& Compile(const ModuleDefinition& module, std::optional<double> timeout_s);

  // The compile of `module` whose MLIR is the local file `mlir`, without
  // compiling or writing anything (the MLIR is read for the key).
  Result<CompilePlan> PlanCompile(const ModuleDefinition& module,
                                  const std::filesystem::path& mlir) const;
  // "cached: <entry>" / "cached failure: <log>" when a run would take `plan`'s
  // module from the cache (as it decides, --force-recompile included); else "".
  std::string CacheNote(const CompilePlan& plan) const;

  // That compile as iree-compile with its outputs in `out_dir` (module.vmfb,
  // compile_stats.json, and compile.log for the compiler's output): what a
  // compile runs, into its staging directory, and `iree-suite repro`, into
  // its scratch directory. argv[0] is the real executable.
  ProcessSpec CompileSpec(const ModuleDefinition& module, const CompilePlan& plan,
                          const std::filesystem::path& out_dir,
                          std::optional<double> timeout_s) const;

  // The argv iree-compile gets: <mlir> -o <vmfb> <flags...> <statistics flags>.
  static std::vector<std::string> CompileArgv(const std::filesystem::path& iree_compile,
                                              const std::filesystem::path& mlir,
                                              const std::filesystem::path& out_dir,
                                              const std::vector<std::string>& flags);

 private:
  CompiledModule CompileUncached(const ModuleDefinition& module, std::optional<double> timeout_s);
  // Tells the events of a module taken from the cache: the command it stands
  // for, which -v prints.
  void NoteCacheHit(const std::filesystem::path& entry, const CompiledModule& result) const;
  // The module's cache key.
  Result<std::string> ModuleKey(const ModuleDefinition& module,
                                const std::filesystem::path& mlir) const;
  CompileInput InputFor(const ModuleDefinition& module, const std::filesystem::path& mlir) const;
  void CompileInto(const ModuleDefinition& module, const CompilePlan& plan,
                   std::optional<double> timeout_s, CompiledModule* result);
  // Runs one compile into `out_dir`, in a worker or with iree-compile; *how
  // gets a note for the error message when a worker took it.
  ProcessResult RunCompiler(const ModuleDefinition& module, const CompilePlan& plan,
                            const std::filesystem::path& out_dir, std::optional<double> timeout_s,
                            std::string* how);
  // Prints why a compile goes to iree-compile, once per reason (-v).
  void NoteFallback(const std::string& reason);

  std::filesystem::path artifact_directory_;
  std::filesystem::path external_file_directory_;
  CompilerInfo compiler_;
  bool force_recompile_;
  MlirResolver resolve_mlir_;
  TraceSink* trace_;
  RunEvents* events_;  // hears of each compile command; may be null
  SingleFlight<std::string, CompiledModule> compiled_;  // by module name
  std::unique_ptr<CompileWorkerPool> workers_;          // unless CompileMode::kProcess
  std::mutex notes_mutex_;
  std::set<std::string> notes_;
};

}  // namespace iree_suite
