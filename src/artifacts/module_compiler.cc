#include "artifacts/module_compiler.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "artifacts/cache_layout.h"
#include "artifacts/entry_manifest.h"
#include "artifacts/fetch/download_cache.h"
#include "artifacts/hasher.h"
#include "base/atomic_file.h"
#include "base/file_lock.h"
#include "exec/subprocess.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

constexpr const char* kVmfbName = "module.vmfb";
constexpr const char* kStatsName = "compile_stats.json";
constexpr const char* kLogName = "compile.log";
// Beside the log of a failed compile when the failure is deterministic.
constexpr const char* kFailureName = "failure.json";
// Bump when the layout or the way modules are compiled changes.
constexpr const char* kCacheFormat = "iree-suite-module-v1";

// What a successful compile leaves in its output directory.
bool HasOutputs(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / kVmfbName, ec) && fs::is_regular_file(dir / kStatsName, ec);
}

// A published entry that is still what was published, as far as the cheap
// checks see (every file its recorded size, the module's header).
bool IsComplete(const fs::path& dir) {
  return HasOutputs(dir) && CheckEntryManifest(dir, ManifestCheck::kSizes).empty();
}

// Why an entry that exists cannot be used; empty when it is fine or absent.
std::string DamageOf(const fs::path& entry) {
  std::error_code ec;
  if (!fs::is_directory(entry, ec)) return {};
  if (!HasOutputs(entry)) return "module.vmfb or compile_stats.json missing";
  return CheckEntryManifest(entry, ManifestCheck::kSizes);
}

// Records the outputs of a compile in `dir` before it is published.
Status RecordOutputs(const fs::path& dir) {
  std::vector<std::string> names = {kVmfbName, kStatsName};
  std::error_code ec;
  if (fs::is_regular_file(dir / kLogName, ec)) names.push_back(kLogName);
  return WriteEntryManifest(dir, names);
}

// Moves `from` to `to` as one step, replacing an existing `to`; the old entry
// is moved aside first so `to` is never a half-removed directory.
std::string PublishDirectory(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (fs::exists(to, ec)) {
    fs::path old = TempPathFor(to);
    fs::rename(to, old, ec);
    fs::remove_all(old, ec);
  }
  fs::rename(from, to, ec);
  if (ec) return fmt::format("cannot publish {}: {}", to.string(), ec.message());
  return {};
}

// The input file a flag's value names ("--x=<path>"), resolved like the tools
// do (relative to the external file directory); nullopt when it names none.
std::optional<fs::path> FlagFile(const std::string& flag, const fs::path& external_directory) {
  size_t equals = flag.find('=');
  if (flag.rfind("--", 0) != 0 || equals == std::string::npos || equals + 1 == flag.size()) {
    return std::nullopt;
  }
  // What the compiler writes (--iree-...-dump-...=, ...-output...=) is no input.
  const std::string name = flag.substr(0, equals);
  if (name.find("dump") != std::string::npos || name.find("output") != std::string::npos) {
    return std::nullopt;
  }
  fs::path value = flag.substr(equals + 1);
  if (value.is_relative()) value = external_directory / value;
  std::error_code ec;
  if (!fs::is_regular_file(value, ec)) return std::nullopt;
  return value;
}

// A complete entry with the same key under another module's folder.
std::optional<fs::path> FindTwin(const fs::path& entry) {
  const fs::path modules = entry.parent_path().parent_path();
  std::error_code ec;
  for (const fs::directory_entry& module : fs::directory_iterator(modules, ec)) {
    fs::path candidate = module.path() / entry.filename();
    if (candidate != entry && IsComplete(candidate)) return candidate;
  }
  return std::nullopt;
}

// Publishes `entry` as hard links to the files of `twin` (copies where links
// are refused), through a temp directory like a compile.
bool LinkEntry(const fs::path& twin, const fs::path& entry) {
  const fs::path staging = TempPathFor(entry);
  std::error_code ec;
  fs::create_directories(staging, ec);
  for (const std::string& name :
       {std::string(kVmfbName), std::string(kStatsName), std::string(kLogName),
        CacheLayout::EntryManifest(twin).filename().string()}) {
    if (!fs::exists(twin / name, ec)) continue;
    fs::create_hard_link(twin / name, staging / name, ec);
    if (ec) fs::copy_file(twin / name, staging / name, ec);
    if (ec) break;
  }
  if (ec || !IsComplete(staging) || !PublishDirectory(staging, entry).empty()) {
    fs::remove_all(staging, ec);
    return false;
  }
  return true;
}

struct FailureRecord {
  std::string error;        // the reason the compile gave
  std::string recorded_at;  // UTC, ISO 8601
};

std::optional<FailureRecord> ReadFailureRecord(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  Result<std::string> text = ReadSmallFile(path);
  if (!text) return std::nullopt;
  nlohmann::json record = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  // A record this version cannot read is no record: the module compiles.
  if (!record.is_object() || !record.contains("error") || !record["error"].is_string() ||
      !record.contains("recorded_at") || !record["recorded_at"].is_string()) {
    return std::nullopt;
  }
  return FailureRecord{record["error"], record["recorded_at"]};
}

// What a compile of `entry` takes from the cache instead of compiling: the
// one decision for a run and for the "# cached:" note of --show-commands.
struct Reusable {
  enum class Kind { kNothing, kEntry, kFailure, kTwin };
  Kind kind = Kind::kNothing;
  fs::path from;                         // the entry, its failed entry, or the twin
  std::optional<FailureRecord> failure;  // kFailure's
};

// Nothing under --force-recompile (`force`); else the complete entry, a
// failure record this version reads, or (with `twins`) a twin (FindTwin, a
// scan of every module's folder), in that order.
Reusable FindReusable(const fs::path& entry, bool force, bool twins = true) {
  if (force) return {};
  if (IsComplete(entry)) return {Reusable::Kind::kEntry, entry, std::nullopt};
  const fs::path failed = CacheLayout::FailedModuleEntry(entry);
  if (std::optional<FailureRecord> failure = ReadFailureRecord(failed / kFailureName)) {
    return {Reusable::Kind::kFailure, failed, std::move(failure)};
  }
  if (!twins) return {};
  if (std::optional<fs::path> twin = FindTwin(entry)) {
    return {Reusable::Kind::kTwin, *twin, std::nullopt};
  }
  return {};
}

// "cached: <entry>" or "cached failure: <its log>", what -v and
// --show-commands say of a module taken from the cache; empty for nothing.
std::string NoteOf(const Reusable& found) {
  switch (found.kind) {
    case Reusable::Kind::kNothing:
      return "";
    case Reusable::Kind::kFailure:
      return "cached failure: " + (found.from / kLogName).string();
    case Reusable::Kind::kEntry:
    case Reusable::Kind::kTwin:
      break;
  }
  return "cached: " + found.from.string();
}

void WriteFailureRecord(const fs::path& path, const FailureRecord& failure) {
  nlohmann::json record = {{"error", failure.error}, {"recorded_at", failure.recorded_at}};
  // Best effort: without the record a later run compiles the module again.
  (void)WriteFileAtomically(path, record.dump(2) + "\n");
}

// Fills *result from what FindReusable found (linking a twin's files as
// `entry`); false when there is nothing to take.
bool TakeReusable(const Reusable& found, const fs::path& entry, CompiledModule* result) {
  switch (found.kind) {
    case Reusable::Kind::kNothing:
      return false;
    case Reusable::Kind::kTwin:
      // The same key under another module name (a renamed or duplicated
      // module JSON): the content is what counts, so its files are linked.
      if (!LinkEntry(found.from, entry)) return false;
      [[fallthrough]];
    case Reusable::Kind::kEntry:
      result->ok = true;
      return true;
    case Reusable::Kind::kFailure:
      break;
  }
  result->log = found.from / kLogName;
  result->output_tail = TailOfFile(result->log);
  result->error = fmt::format("{} (cached failure from {}; --force-recompile compiles it again)",
                              found.failure->error, found.failure->recorded_at);
  return true;
}

// The compiler ran to its end and rejected the input with diagnostics: the
// same inputs fail the same way again.
bool IsDeterministicFailure(const ProcessResult& process, const fs::path& log) {
  if (!process.spawn_error.empty() || process.timed_out || process.interrupted ||
      process.term_signal != 0 || process.exit_code <= 0) {
    return false;
  }
  const std::string tail = TailOfFile(log, 400, 1 << 20);
  return tail.find("error:") != std::string::npos &&
         tail.find("out of memory") == std::string::npos &&
         tail.find("bad_alloc") == std::string::npos;
}

// Workers take IREE's own options only. Others (--mlir-timing,
// --mlir-print-ir-after-all, --debug, LLVM's -stats ...) act on the whole
// process, print at its exit or pile up across compiles: iree-compile takes them.
std::string ProcessOnlyFlag(const std::vector<std::string>& flags) {
  for (const std::string& flag : flags) {
    if (flag.rfind("--iree-", 0) != 0) {
      return fmt::format("{} is no --iree-* option; such flags act on the whole process", flag);
    }
  }
  return {};
}

}  // namespace

ModuleCompiler::ModuleCompiler(fs::path artifact_directory, fs::path external_file_directory,
                               CompilerInfo compiler, bool force_recompile,
                               MlirResolver resolve_mlir, TraceSink* trace, RunEvents* events)
    : artifact_directory_(std::move(artifact_directory)),
      external_file_directory_(std::move(external_file_directory)),
      compiler_(std::move(compiler)),
      force_recompile_(force_recompile),
      resolve_mlir_(std::move(resolve_mlir)),
      trace_(trace),
      events_(events) {
  if (compiler_.mode != CompileMode::kProcess) {
    workers_ = std::make_unique<CompileWorkerPool>(compiler_.workers, events_);
  }
}

std::vector<std::string> ModuleCompiler::CompileArgv(const fs::path& iree_compile,
                                                     const fs::path& mlir, const fs::path& out_dir,
                                                     const std::vector<std::string>& flags) {
  std::vector<std::string> argv = {iree_compile.string(), mlir.string(), "-o",
                                   (out_dir / kVmfbName).string()};
  argv.insert(argv.end(), flags.begin(), flags.end());
  // Last, so they win over any statistics flags the module JSON carries.
  argv.push_back("--iree-scheduling-dump-statistics-file=" + (out_dir / kStatsName).string());
  argv.push_back("--iree-scheduling-dump-statistics-format=json");
  return argv;
}

const CompiledModule& ModuleCompiler::Compile(const ModuleDefinition& module,
                                              std::optional<double> timeout_s) {
  return compiled_.Get(module.name, [&] { return CompileUncached(module, timeout_s); });
}

CompiledModule ModuleCompiler::CompileUncached(const ModuleDefinition& module,
                                               std::optional<double> timeout_s) {
  CompiledModule result;
  Result<fs::path> mlir = resolve_mlir_(module.mlir);
  if (!mlir) {
    result.error = fmt::format("module \"{}\" ({}): mlir: {}", module.name,
                               module.json_path.string(), mlir.error());
    return result;
  }
  Result<CompilePlan> plan = PlanCompile(module, *mlir);
  if (!plan) {
    result.error = plan.error();
    return result;
  }
  const CacheLayout layout(artifact_directory_);
  const fs::path& entry = plan->entry;
  result.key = plan->key;
  result.vmfb = plan->vmfb;
  result.stats_json = entry / kStatsName;
  result.log = entry / kLogName;
  // The repro writes beside the cache, not into the entry the run uses.
  (void)layout.PrepareDirectory(layout.ReproDirectory(module.name, result.key));  // best effort
  result.repro = plan->repro;
  // Without the lock only what writes nothing: a twin is linked under it.
  if (TakeReusable(FindReusable(entry, force_recompile_, /*twins=*/false), entry, &result)) {
    NoteCacheHit(entry, result);
    return result;
  }

  // Runners sharing the artifact directory take turns: the second waits for
  // the first's compile and reuses it (even under --force-recompile, since it
  // was just made by this compiler).
  if (Status prepared = layout.PrepareParent(entry); !prepared) {
    result.error = prepared.error();
    return result;
  }
  FileLock lock;
  Result<bool> waited = lock.Acquire(CacheLayout::ModuleLock(entry));
  if (!waited) {
    result.error = waited.error();
    return result;
  }
  Reusable found = FindReusable(entry, force_recompile_ && !*waited);
  // What another runner just compiled is this compiler's; a twin may be older.
  if (force_recompile_ && found.kind == Reusable::Kind::kTwin) found = {};
  if (TakeReusable(found, entry, &result)) {
    NoteCacheHit(entry, result);
    return result;
  }
  // A damaged entry (truncated, emptied, edited) is compiled again, not used.
  if (!force_recompile_) {
    if (std::string damage = DamageOf(entry); !damage.empty()) {
      Notify(events_,
             fmt::format("iree-suite: cached module {} is damaged ({}); compiling it again",
                         entry.string(), damage));
    }
  }
  CompileInto(module, *plan, timeout_s, &result);
  return result;
}

void ModuleCompiler::NoteCacheHit(const fs::path& entry, const CompiledModule& result) const {
  // -v: the command a cached module stands for, as a compile would have shown it.
  if (events_) {
    events_->OnCommandCached({result.repro.argv, result.repro.cwd, {}, {}, {}},
                             fmt::format("cached{}: {}", result.ok ? "" : " failure",
                                         (result.ok ? entry : result.log).string()));
  }
}

Result<CompilePlan> ModuleCompiler::PlanCompile(const ModuleDefinition& module,
                                                const fs::path& mlir) const {
  CompilePlan plan;
  Result<std::string> key = ModuleKey(module, mlir);
  if (!key) return Error{key.error()};
  plan.key = std::move(*key);
  const CacheLayout layout(artifact_directory_);
  plan.entry = layout.ModuleEntry(module.name, plan.key);
  plan.vmfb = plan.entry / kVmfbName;
  plan.input = InputFor(module, mlir);
  plan.repro = {plan.input.working_directory,
                CompileArgv(compiler_.iree_compile, plan.input.mlir,
                            layout.ReproDirectory(module.name, plan.key), module.compiler_flags)};
  return plan;
}

std::string ModuleCompiler::CacheNote(const CompilePlan& plan) const {
  return NoteOf(FindReusable(plan.entry, force_recompile_));
}

ProcessSpec ModuleCompiler::CompileSpec(const ModuleDefinition& module, const CompilePlan& plan,
                                        const fs::path& out_dir,
                                        std::optional<double> timeout_s) const {
  const fs::path& executable =
      compiler_.executable.empty() ? compiler_.iree_compile : compiler_.executable;
  return {CompileArgv(executable, plan.input.mlir, out_dir, module.compiler_flags),
          plan.input.working_directory,
          out_dir / kLogName,
          {},
          timeout_s};
}

CompileInput ModuleCompiler::InputFor(const ModuleDefinition& module, const fs::path& mlir) const {
  auto below = [&](const fs::path& directory) {
    fs::path relative = mlir.lexically_normal().lexically_relative(directory);
    bool inside = !relative.empty() && *relative.begin() != "..";
    return inside ? relative : fs::path();
  };
  // A flag naming a file relative to the external directory keeps the
  // compile there (the seed's rule for every tool), downloaded MLIR or not.
  const bool flag_names_file = std::any_of(
      module.compiler_flags.begin(), module.compiler_flags.end(), [&](const std::string& flag) {
        std::optional<fs::path> file = FlagFile(flag, external_file_directory_);
        return file && fs::path(flag.substr(flag.find('=') + 1)).is_relative();
      });
  if (fs::path downloaded = below(artifact_directory_); !downloaded.empty() && !flag_names_file) {
    return {artifact_directory_, downloaded};
  }
  if (fs::path local = below(external_file_directory_); !local.empty()) {
    return {external_file_directory_, local};
  }
  return {external_file_directory_, mlir};
}

Result<std::string> ModuleCompiler::ModuleKey(const ModuleDefinition& module,
                                              const fs::path& mlir) const {
  Hasher hasher;
  hasher.Add("format", kCacheFormat);
  hasher.Add("compiler", compiler_.version);
  if (Status added = hasher.AddFile("mlir", mlir); !added) return Error{added.error()};
  for (const std::string& flag : module.compiler_flags) {
    hasher.Add("flag", flag);
    // A file a flag names (a tuning spec, a transform library) is an input
    // too: editing it in place must compile anew.
    if (std::optional<fs::path> file = FlagFile(flag, external_file_directory_)) {
      if (Status added = hasher.AddFile("flag-file", *file); !added) return Error{added.error()};
    }
  }
  return hasher.HexDigest();
}

void ModuleCompiler::CompileInto(const ModuleDefinition& module, const CompilePlan& plan,
                                 std::optional<double> timeout_s, CompiledModule* result) {
  const fs::path& entry = plan.entry;
  const fs::path staging = TempPathFor(entry);
  std::error_code ec;
  fs::create_directories(staging, ec);
  if (ec) {
    result->error = fmt::format("cannot create {}: {}", staging.string(), ec.message());
    return;
  }
  std::string how;
  ProcessResult process;
  {
    TraceSpan span(trace_, "compile", module.name, "", module.name);
    process = RunCompiler(module, plan, staging, timeout_s, &how);
  }
  result->seconds = process.elapsed_s;
  // -v: how long each module took (cache hits never get here).
  if (compiler_.verbose && events_) {
    events_->OnJobFinished(fmt::format("compiled {} in {:.2f}s{}", module.name, result->seconds,
                                       process.Succeeded() ? "" : " (failed)"));
  }
  const fs::path failed = CacheLayout::FailedModuleEntry(entry);
  if (!process.Succeeded() || !HasOutputs(staging)) {
    result->error =
        process.Succeeded()
            ? fmt::format("iree-compile succeeded but wrote no statistics file {}", kStatsName)
            : fmt::format("iree-compile failed ({}{}) for module \"{}\"", process.Describe(), how,
                          module.name);
    // Only the compiler's own verdict on these inputs is remembered; a
    // signal, a timeout or lack of memory may go differently next time.
    if (IsDeterministicFailure(process, staging / kLogName)) {
      WriteFailureRecord(staging / kFailureName, {result->error, UtcTimestamp()});
    }
    // Keep the log where the user can read it, under a name no run takes for
    // a module; what the compiler half wrote before it stopped goes.
    fs::remove(staging / kVmfbName, ec);
    fs::remove(staging / kStatsName, ec);
    PublishDirectory(staging, failed);
    result->log = failed / kLogName;
    result->output_tail = TailOfFile(result->log);
    return;
  }
  Status recorded = RecordOutputs(staging);
  std::string publish_error = recorded ? PublishDirectory(staging, entry) : recorded.error();
  if (!publish_error.empty()) {
    result->error = publish_error;
    fs::remove_all(staging, ec);
    return;
  }
  fs::remove_all(failed, ec);  // an earlier failure of this key is history now
  result->ok = true;
}

ProcessResult ModuleCompiler::RunCompiler(const ModuleDefinition& module, const CompilePlan& plan,
                                          const fs::path& out_dir, std::optional<double> timeout_s,
                                          std::string* how) {
  const CompileInput& input = plan.input;
  const ProcessSpec spec = CompileSpec(module, plan, out_dir, timeout_s);
  if (!workers_) return RunProcess(spec, events_);
  if (InterruptSignal() != 0) return RunProcess(spec);  // reports the interruption
  // A worker does iree-compile's work: the command it stands for is logged.
  if (events_) events_->OnCommandStarted(spec);
  // The worker gets iree-compile's arguments less its own (input and -o):
  // the module's flags, then the per-module statistics flags.
  WorkerCompileRequest request{
      input.working_directory, input.mlir,
      out_dir / kVmfbName,     out_dir / kLogName,
      module.compiler_flags,   std::vector<std::string>(spec.argv.end() - 2, spec.argv.end())};
  WorkerCompileResult compiled;
  compiled.fallback_reason = ProcessOnlyFlag(module.compiler_flags);
  if (compiled.fallback_reason.empty()) compiled = workers_->Compile(request, timeout_s);
  if (compiled.fallback_reason.empty()) {
    if (compiled.process.term_signal != 0 || compiled.process.exit_code > 1) {
      *how = fmt::format(" in compile worker {} on {}; the next compile starts a new worker",
                         compiled.worker, compiler_.workers.library.string());
    }
    return compiled.process;
  }
  if (compiler_.mode == CompileMode::kLibrary) {
    ProcessResult refused;
    refused.spawn_error = "--compile-mode=library: " + compiled.fallback_reason;
    return refused;
  }
  NoteFallback(compiled.fallback_reason);
  return RunProcess(spec, events_);
}

void ModuleCompiler::NoteFallback(const std::string& reason) {
  if (!compiler_.verbose) return;
  std::lock_guard<std::mutex> lock(notes_mutex_);
  if (!notes_.insert(reason).second) return;
  std::string line = reason.substr(0, reason.find('\n'));
  Notify(
      events_,
      fmt::format("iree-suite: compiling with iree-compile, not the compiler library: {}", line));
}

}  // namespace iree_suite
