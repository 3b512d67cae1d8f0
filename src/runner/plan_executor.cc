#include "runner/plan_executor.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "base/trace_sink.h"

namespace iree_suite {

namespace {

void IgnoringExceptions(const std::function<void(const Job&)>& run_job, const Job& job) {
  try {
    run_job(job);
  } catch (...) {
  }
}

}  // namespace

void ExecutePlan(const Plan& plan, const ExecutorOptions& options,
                 const std::function<void(const Job&)>& run_job) {
  std::atomic<int> lanes{0};
  std::atomic<size_t> next_fetch{0};
  std::atomic<size_t> next_work{0};
  std::atomic<bool> work_done{false};
  // Takes jobs from `queue` in order until it is empty or the run stops.
  auto drain = [&](const std::vector<size_t>& queue, std::atomic<size_t>& next, bool fetching) {
    SetTraceLane(lanes.fetch_add(1));
    while (!options.stop() && !(fetching && work_done.load())) {
      const size_t position = next.fetch_add(1);
      if (position >= queue.size()) return;
      IgnoringExceptions(run_job, plan.jobs[queue[position]]);
    }
  };
  std::vector<std::thread> fetchers;
  for (size_t i = 0; i < std::min(options.fetch_jobs, plan.fetches.size()); ++i) {
    fetchers.emplace_back([&] { drain(plan.fetches, next_fetch, true); });
  }
  const size_t tests =
      static_cast<size_t>(std::count_if(plan.work.begin(), plan.work.end(), [&](size_t index) {
        return plan.jobs[index].kind == JobKind::kTest;
      }));
  const size_t workers = std::max<size_t>(1, std::min(options.jobs, tests));
  std::vector<std::thread> pool;
  for (size_t i = 1; i < workers; ++i) {
    pool.emplace_back([&] { drain(plan.work, next_work, false); });
  }
  drain(plan.work, next_work, false);
  for (std::thread& thread : pool) thread.join();
  work_done = true;  // what is still queued is no longer needed
  for (std::thread& thread : fetchers) thread.join();
}

}  // namespace iree_suite
