// `iree-suite history import`: results files into the history, fast enough
// for a backfill of thousands of CI runs.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "history/history_store.h"

namespace iree_suite {

struct ImportCounts {
  size_t added = 0;  // new runs stored
  size_t known = 0;  // already in the history
  size_t bad = 0;    // unreadable, or the store refused them
};

// Runs per write transaction: one commit (and, in SQLite, one rewrite of the
// index pages a run touches) per batch, not per run; short enough that a run
// recording itself meanwhile waits well under the store's busy timeout.
inline constexpr size_t kImportRunsPerTransaction = 50;

// Parses `files` on `threads` worker threads, running ahead of the writer,
// and appends their runs in the files' order, kImportRunsPerTransaction to a
// transaction. Each problem (a file that cannot be read, a run the store
// refuses) goes to `on_problem` as one message and is counted as bad; the
// other files go on.
ImportCounts ImportResultsFiles(HistoryStore& store,
                                const std::vector<std::filesystem::path>& files, size_t threads,
                                const std::function<void(const std::string&)>& on_problem);

}  // namespace iree_suite
