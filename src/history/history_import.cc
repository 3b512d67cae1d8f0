#include "history/history_import.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "history/run_record.h"
#include "results/results_json.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

// A file parsed into a run, or the reason it could not be.
using ParsedRun = Result<HistoryRunRecord>;

ParsedRun ParseResultsFile(const fs::path& file) {
  Result<ResultsFile> results = ReadResultsJson(file);
  if (!results) return Error{results.error()};
  return RunRecordFromResults(*results, file.string());
}

// Parses files on worker threads, at most `window` files ahead of the one
// taken last, and hands them out in order: parsing goes on while the writer
// writes, and memory stays bounded.
class ParsedFiles {
 public:
  ParsedFiles(const std::vector<fs::path>& files, size_t threads, size_t window)
      : files_(files), window_(window), slots_(files.size()) {
    for (size_t t = 0; t < std::max<size_t>(1, threads); ++t)
      workers_.emplace_back([this] { Work(); });
  }
  ~ParsedFiles() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    room_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  }

  // File `index`'s run, waiting for it; each index once, in order.
  ParsedRun Take(size_t index) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return slots_[index].has_value(); });
    ParsedRun parsed = std::move(*slots_[index]);
    slots_[index].reset();
    taken_ = index + 1;
    lock.unlock();
    room_.notify_all();
    return parsed;
  }

 private:
  void Work() {
    while (true) {
      std::unique_lock lock(mutex_);
      room_.wait(lock,
                 [&] { return stopping_ || next_ >= files_.size() || next_ < taken_ + window_; });
      if (stopping_ || next_ >= files_.size()) return;
      const size_t index = next_++;
      lock.unlock();
      ParsedRun parsed = ParseResultsFile(files_[index]);
      lock.lock();
      slots_[index] = std::move(parsed);
      lock.unlock();
      ready_.notify_all();
    }
  }

  const std::vector<fs::path>& files_;
  const size_t window_;
  std::mutex mutex_;
  std::condition_variable ready_;  // a slot was filled
  std::condition_variable room_;   // a slot was taken
  std::vector<std::optional<ParsedRun>> slots_;
  size_t next_ = 0;   // the next file to parse
  size_t taken_ = 0;  // files handed out so far
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

void WriteBatch(HistoryStore& store, std::vector<HistoryRunRecord>* batch, ImportCounts* counts,
                const std::function<void(const std::string&)>& on_problem) {
  if (batch->empty()) return;
  Result<std::vector<AppendOutcome>> outcomes = store.AppendRuns(*batch);
  if (!outcomes) {
    for (const HistoryRunRecord& run : *batch) on_problem(run.source + ": " + outcomes.error());
    counts->bad += batch->size();
    batch->clear();
    return;
  }
  for (size_t i = 0; i < outcomes->size(); ++i) {
    const AppendOutcome& outcome = (*outcomes)[i];
    if (!outcome) {
      on_problem((*batch)[i].source + ": " + outcome.error());
      ++counts->bad;
    } else {
      *outcome == Appended::kStored ? ++counts->added : ++counts->known;
    }
  }
  batch->clear();
}

}  // namespace

ImportCounts ImportResultsFiles(HistoryStore& store, const std::vector<fs::path>& files,
                                size_t threads,
                                const std::function<void(const std::string&)>& on_problem) {
  ImportCounts counts;
  ParsedFiles parsed(files, threads, 2 * kImportRunsPerTransaction);
  std::vector<HistoryRunRecord> batch;
  for (size_t i = 0; i < files.size(); ++i) {
    ParsedRun run = parsed.Take(i);
    if (!run) {
      on_problem(run.error());
      ++counts.bad;
    } else {
      batch.push_back(std::move(*run));
    }
    if (batch.size() == kImportRunsPerTransaction) WriteBatch(store, &batch, &counts, on_problem);
  }
  WriteBatch(store, &batch, &counts, on_problem);
  return counts;
}

}  // namespace iree_suite
