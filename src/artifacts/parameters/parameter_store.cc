#include "artifacts/parameters/parameter_store.h"

#include <fmt/format.h>

#include <bit>
#include <chrono>
#include <memory>
#include <optional>
#include <set>

#include "artifacts/cache_layout.h"
#include "artifacts/hasher.h"
#include "artifacts/module_compiler.h"
#include "artifacts/parameters/irpa_reader.h"
#include "artifacts/parameters/mlir_scanner.h"
#include "base/bytes.h"
#include "base/file_lock.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

const char* KindName(const WeightSpec& weight) {
  return weight.kind == WeightSpec::Kind::kSplat ? "splat" : "random";
}

// What distinguishes two weights of the same module, for this run's memo.
std::string WeightIdentity(const WeightSpec& weight, const std::string& module_name) {
  const uint64_t value = weight.kind == WeightSpec::Kind::kSplat
                             ? std::bit_cast<uint64_t>(weight.value)
                             : static_cast<uint64_t>(weight.seed);
  return fmt::format("{}\n{}\n{:016x}\n{}", module_name, KindName(weight), value, weight.scope);
}

std::string DescribeType(const ParameterGlobal& global) {
  std::string type = "tensor<";
  for (int64_t dim : global.shape) type += fmt::format("{}x", dim);
  return type + std::string(ElementTypeName(global.type)) + ">";
}

}  // namespace

Result<std::vector<ArchiveParameter>> SelectParameters(const std::vector<ParameterGlobal>& globals,
                                                       const std::string& scope,
                                                       const std::string& module_name) {
  std::vector<ArchiveParameter> selected;
  std::map<std::string, const ParameterGlobal*> by_name;
  std::set<std::string> other_scopes;
  for (const ParameterGlobal& global : globals) {
    if (global.scope && *global.scope != scope) {
      other_scopes.insert(*global.scope);
      continue;
    }
    auto [it, inserted] = by_name.emplace(global.name, &global);
    if (inserted) {
      selected.push_back({global.name, global.type, global.byte_length});
      continue;
    }
    const ParameterGlobal& first = *it->second;
    if (first.type != global.type || first.byte_length != global.byte_length) {
      return Error{fmt::format(
          "module \"{}\": parameter \"{}\" is declared as {} by global @{} and as {} by global @{}",
          module_name, global.name, DescribeType(first), first.global, DescribeType(global),
          global.global)};
    }
  }
  if (selected.empty()) {
    if (other_scopes.empty()) {
      return Error{fmt::format("module \"{}\" declares no named parameters", module_name)};
    }
    return Error{
        fmt::format("module \"{}\" declares no named parameters in scope \"{}\" (it has {})",
                    module_name, scope, fmt::join(other_scopes, ", "))};
  }
  return selected;
}

std::function<void(uint64_t, uint64_t)> ReportArchiveProgress(RunEvents* events, std::string what) {
  auto start = std::make_shared<std::optional<std::chrono::steady_clock::time_point>>();
  return [events, what = std::move(what), start](uint64_t done, uint64_t total) {
    auto now = std::chrono::steady_clock::now();
    if (!*start) *start = now;
    const double seconds = std::chrono::duration<double>(now - **start).count();
    events->OnJobProgress(what, done, total, seconds > 0 ? static_cast<double>(done) / seconds : 0);
  };
}

ParameterStore::ParameterStore(Options options) : options_(std::move(options)) {}

Result<fs::path> ParameterStore::ArchivePath(const WeightSpec& weight,
                                             const std::string& module_name,
                                             const fs::path& mlir) const {
  Hasher hasher;
  hasher.Add("format", kParameterGeneratorVersion);
  if (Status added = hasher.AddFile("mlir", mlir); !added) return Error{added.error()};
  hasher.Add("kind", KindName(weight));
  if (weight.kind == WeightSpec::Kind::kSplat) {
    hasher.Add("value", fmt::format("{:016x}", std::bit_cast<uint64_t>(weight.value)));
  } else {
    hasher.Add("seed", fmt::format("{}", weight.seed));
  }
  hasher.Add("scope", weight.scope);
  return CacheLayout(options_.artifact_directory)
      .ParameterArchive(module_name, hasher.HexDigest(), KindName(weight));
}

Result<fs::path> ParameterStore::Get(const WeightSpec& weight, const std::string& module_name,
                                     const fs::path& mlir) {
  const std::string identity = WeightIdentity(weight, module_name);
  if (auto it = ready_.find(identity); it != ready_.end()) return it->second;

  Result<fs::path> path = ArchivePath(weight, module_name, mlir);
  if (!path) return path;
  // Before anything is read or removed there: parameters/<module> may be a planted link.
  if (Status prepared = CacheLayout(options_.artifact_directory).PrepareParent(*path); !prepared) {
    return Error{prepared.error()};
  }
  std::error_code ec;
  auto reusable = [&] {
    if (!fs::is_regular_file(*path, ec)) return false;
    if (ReadIrpaIndex(*path)) return true;
    fs::remove(*path, ec);  // damaged on disk: make it anew
    return false;
  };
  if (reusable()) return ready_[identity] = *path;
  // Runners sharing the artifact directory take turns: the second waits for
  // the first's archive and reuses it instead of generating it again.
  FileLock lock;
  if (Result<bool> locked = lock.Acquire(CacheLayout::ParameterLock(*path)); !locked) {
    return Error{locked.error()};
  }
  if (reusable()) return ready_[identity] = *path;

  Result<std::vector<ParameterGlobal>> globals =
      ReadMlirParameters(mlir, options_.iree_opt, path->parent_path(), options_.events);
  if (!globals) return Error{fmt::format("module \"{}\": {}", module_name, globals.error())};
  ArchiveContents contents;
  contents.kind = weight.kind == WeightSpec::Kind::kSplat ? ArchiveContents::Kind::kSplat
                                                          : ArchiveContents::Kind::kRandom;
  contents.seed = static_cast<uint64_t>(weight.seed);
  contents.splat_value = weight.value;
  Result<std::vector<ArchiveParameter>> parameters =
      SelectParameters(*globals, weight.scope, module_name);
  if (!parameters) return Error{parameters.error()};
  contents.parameters = std::move(*parameters);

  ArchiveWriteOptions write;
  write.threads = options_.threads;
  write.replace_existing = false;
  write.cancelled = options_.cancelled;
  const uint64_t total = ArchiveDataBytes(contents);
  const bool report = options_.events != nullptr && total > kProgressThresholdBytes;
  const std::string what = fmt::format("{} parameters for {}", KindName(weight), module_name);
  if (report) {
    write.progress = ReportArchiveProgress(options_.events, "generating " + what);
    write.progress_interval_s = 0.2;  // the printer throttles further in CI logs
  }
  Status written = WriteParameterArchive(contents, *path, write);
  if (report) {
    options_.events->OnJobFinished(
        written ? fmt::format("generated {} ({})", what, FormatBytes(static_cast<double>(total)))
                : "");
  }
  if (!written) {
    return Error{fmt::format("module \"{}\": cannot write its {} parameters: {}", module_name,
                             KindName(weight), written.error())};
  }
  return ready_[identity] = *path;
}

}  // namespace iree_suite
