#include "cli/cache_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "artifacts/cache_store.h"
#include "base/bytes.h"
#include "base/text_table.h"
#include "cli/options.h"

namespace iree_suite {
namespace fs = std::filesystem;

namespace {

void PrintTable(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right) {
  std::fputs(RenderColumns(rows, right).c_str(), stdout);
}

std::string FormatLastUse(fs::file_time_type time) {
  if (time == fs::file_time_type{}) return "-";
  std::time_t seconds = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(
          std::chrono::file_clock::to_sys(time)));
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

void PrintErrors(const std::vector<std::string>& errors) {
  for (const std::string& error : errors) std::fprintf(stderr, "error: %s\n", error.c_str());
}

int RunInfo(const fs::path& artifact_directory) {
  CacheInfo info = GetCacheInfo(artifact_directory);
  std::printf("artifact directory: %s\n\n", artifact_directory.string().c_str());
  std::vector<std::vector<std::string>> rows = {{"kind", "entries", "size", "bytes"}};
  for (int kind = 0; kind < kCacheKindCount; ++kind) {
    const CacheKindTotals& totals = info.kinds[kind];
    rows.push_back({CacheKindName(static_cast<CacheKind>(kind)), std::to_string(totals.entries),
                    FormatBytes(totals.bytes), std::to_string(totals.bytes)});
  }
  rows.push_back({"leftovers", std::to_string(info.leftovers.size()),
                  FormatBytes(info.leftover_bytes), std::to_string(info.leftover_bytes)});
  rows.push_back({"total", std::to_string(info.total_entries + info.leftovers.size()),
                  FormatBytes(info.total_bytes), std::to_string(info.total_bytes)});
  PrintTable(rows, {false, true, true, true});
  if (!info.leftovers.empty()) {
    // Interrupted writes; the next run that takes the entry's lock cleans most of them.
    std::printf("\nleftovers of interrupted writes:\n");
    std::vector<std::vector<std::string>> leftover_rows = {{"  size", "path"}};
    for (const CacheLeftover& leftover : info.leftovers) {
      leftover_rows.push_back({"  " + FormatBytes(leftover.bytes), leftover.path.string()});
    }
    PrintTable(leftover_rows, {true, false});
  }
  PrintErrors(info.errors);
  return info.errors.empty() ? kExitOk : kExitTestsFailed;
}

// Leftovers of killed runs that no process was writing any more.
void PrintRemovedLeftovers(const std::vector<CacheLeftover>& leftovers, const char* verb) {
  for (const CacheLeftover& leftover : leftovers) {
    std::printf("%s leftover of an interrupted write (%s): %s\n", verb,
                FormatBytes(leftover.bytes).c_str(), leftover.path.string().c_str());
  }
}

int RunVerify(const fs::path& artifact_directory, bool fix) {
  CacheVerifyReport report = VerifyCache(artifact_directory, fix);
  std::vector<std::vector<std::string>> rows;
  for (const CacheProblem& problem : report.problems) {
    std::string status = !fix ? "" : problem.removed ? " [removed]" : " [not removed]";
    rows.push_back({CacheKindName(problem.kind),
                    fmt::format("{}: {}{}", problem.path.string(), problem.what, status)});
    if (!problem.fix_error.empty()) PrintErrors({problem.fix_error});
  }
  if (!rows.empty()) {
    rows.insert(rows.begin(), {"kind", "problem"});
    PrintTable(rows, {false, false});
    std::printf("\n");
  }
  for (const fs::path& path : report.skipped_in_use) {
    std::printf("skipped (in use by another process): %s\n", path.string().c_str());
  }
  PrintRemovedLeftovers(report.removed_leftovers, "removed");
  size_t removed = 0;
  for (const CacheProblem& problem : report.problems) removed += problem.removed;
  std::printf("%llu entries checked, %zu problems%s, %zu skipped in use\n",
              static_cast<unsigned long long>(report.checked), report.problems.size(),
              fix ? fmt::format(" ({} fixed by removal)", removed).c_str() : "",
              report.skipped_in_use.size());
  PrintErrors(report.errors);
  return report.problems.empty() && report.errors.empty() ? kExitOk : kExitTestsFailed;
}

int RunPrune(const fs::path& artifact_directory, uint64_t max_bytes, bool dry_run) {
  PruneReport report = PruneCache(artifact_directory, {max_bytes, dry_run});
  if (!report.deleted.empty()) {
    std::vector<std::vector<std::string>> rows = {{"kind", "size", "last use", "path"}};
    for (const CacheEntry& entry : report.deleted) {
      rows.push_back({CacheKindName(entry.kind), FormatBytes(entry.bytes),
                      FormatLastUse(entry.last_use), entry.path.string()});
    }
    std::printf("%s\n", dry_run ? "would delete (dry run):" : "deleted:");
    PrintTable(rows, {false, true, false, false});
    std::printf("\n");
  }
  for (const CacheEntry& entry : report.skipped_locked) {
    std::printf("skipped (in use by another process): %s\n", entry.path.string().c_str());
  }
  PrintRemovedLeftovers(report.deleted_leftovers, dry_run ? "would delete (dry run)" : "deleted");
  uint64_t freed = 0;
  for (const CacheEntry& entry : report.deleted) freed += entry.bytes;
  PrintTable({{"limit", FormatBytes(max_bytes)},
              {"before", FormatBytes(report.bytes_before)},
              {dry_run ? "after (dry run)" : "after", FormatBytes(report.bytes_after)},
              {dry_run ? "would free" : "freed",
               fmt::format("{} in {} entries", FormatBytes(freed), report.deleted.size())}},
             {false, true});
  if (report.bytes_after > max_bytes) {
    std::printf("still above the limit: the rest is in use or leftovers of interrupted writes\n");
  }
  PrintErrors(report.errors);
  return report.errors.empty() ? kExitOk : kExitTestsFailed;
}

}  // namespace

int RunCacheCommand(int argc, char** argv) {
  CLI::App app{"Inspects, verifies and trims an artifact directory.", "iree-suite cache"};
  app.require_subcommand(1);
  fs::path artifact_directory = "artifacts";
  std::string max_size;
  bool fix = false;
  bool dry_run = false;
  auto add_directory = [&](CLI::App* command) {
    command->add_option("--artifact-directory", artifact_directory,
                        "the artifact directory (default ./artifacts)");
  };
  CLI::App* info = app.add_subcommand("info", "entries and bytes per kind, and leftovers");
  add_directory(info);
  CLI::App* verify =
      app.add_subcommand("verify", "checks downloads (size, MD5), modules and parameter archives");
  add_directory(verify);
  verify->add_flag("--fix", fix, "remove bad entries, so the next run fetches/compiles anew");
  CLI::App* prune =
      app.add_subcommand("prune", "deletes entries, oldest last use first, down to a size");
  add_directory(prune);
  prune
      ->add_option("--max-size", max_size,
                   "the size to trim to: bytes, or with K, M, G, T (powers of 1024), e.g. 20G")
      ->required();
  prune->add_flag("--dry-run", dry_run, "only list what would be deleted");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);  // prints help or the error
    return code == 0 ? kExitOk : kExitUsageError;
  }

  if (info->parsed()) return RunInfo(artifact_directory);
  if (verify->parsed()) return RunVerify(artifact_directory, fix);
  std::optional<uint64_t> max_bytes = ParseByteSize(max_size);
  if (!max_bytes) {
    std::fprintf(
        stderr, "iree-suite cache prune: --max-size: \"%s\" is not a size (e.g. 20G, 500M, 1024)\n",
        max_size.c_str());
    return kExitUsageError;
  }
  return RunPrune(artifact_directory, *max_bytes, dry_run);
}

}  // namespace iree_suite
