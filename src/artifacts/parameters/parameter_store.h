// The parameter archives that "random" and "splat" weights stand for,
// generated from the module's MLIR on first use and cached by content:
//
//   <artifacts>/parameters/<module>/<key16>-<random|splat>.irpa
//
// key = SHA-256 over the generator's version label, the MLIR bytes, the kind,
// the seed (or the splat value's bit pattern) and the scope. A changed MLIR
// gets a new archive; concurrent runners each publish atomically and reuse
// whatever appeared first.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "artifacts/parameters/archive_writer.h"
#include "artifacts/parameters/parameter_global.h"
#include "exec/run_events.h"
#include "suite/test_definition.h"

namespace iree_suite {

// Bump when generated contents or the archive layout change.
inline constexpr const char* kParameterGeneratorVersion =
    "iree-suite-parameters-v1 splitmix64+ziggurat256 normal(0,0.01) irpa-v0";

// Archives above this size report their progress.
inline constexpr uint64_t kProgressThresholdBytes = uint64_t{64} << 20;

// The archive entries a weight of `scope` gets: the globals of that scope
// plus the unscoped ones, each parameter once. Errors name the module: none
// selected, or one parameter declared with two different types.
Result<std::vector<ArchiveParameter>> SelectParameters(const std::vector<ParameterGlobal>& globals,
                                                       const std::string& scope,
                                                       const std::string& module_name);

// ArchiveWriteOptions::progress that reports to `events` as downloads do
// (OnJobProgress of `what`), the rate measured from the first call.
std::function<void(uint64_t, uint64_t)> ReportArchiveProgress(RunEvents* events, std::string what);

class ParameterStore {
 public:
  struct Options {
    std::filesystem::path artifact_directory;
    std::filesystem::path iree_opt;  // empty: bytecode MLIR cannot be read
    unsigned threads = 0;            // 0: one per hardware thread
    RunEvents* events = nullptr;     // progress and iree-opt commands; nullptr: silent
    std::function<bool()> cancelled;
  };

  explicit ParameterStore(Options options);

  // The archive for a "random" or "splat" `weight` of the module `module_name`
  // whose MLIR is the local file `mlir`: from this run, the cache, or new.
  Result<std::filesystem::path> Get(const WeightSpec& weight, const std::string& module_name,
                                    const std::filesystem::path& mlir);

  // Where that archive lives; an error when the MLIR cannot be read.
  Result<std::filesystem::path> ArchivePath(const WeightSpec& weight,
                                            const std::string& module_name,
                                            const std::filesystem::path& mlir) const;

 private:
  Options options_;
  std::map<std::string, std::filesystem::path> ready_;  // by weight and module, this run
};

}  // namespace iree_suite
