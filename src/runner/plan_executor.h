// Runs a plan's queues on threads (ninja's Builder to plan.h's Plan): a pool
// of `fetch_jobs` threads downloads every fetch ahead while `jobs` workers
// take the work queue in order. A job's needs are met by whoever reaches them
// first: the artifact producers are single-flight, so a job that needs a
// fetch or compile still in flight waits for it, and one not yet started is
// done by the job itself. What a job does is the caller's `run_job`.
#pragma once

#include <cstddef>
#include <functional>

#include "runner/plan.h"

namespace iree_suite {

struct ExecutorOptions {
  size_t jobs = 1;        // workers (at most one per test, at least one)
  size_t fetch_jobs = 4;  // downloads in flight at once
  // Asked before each job: true stops taking new ones (interrupt, --maxfail).
  std::function<bool()> stop = [] { return false; };
};

// Calls `run_job` for each queued job of `plan`, from several threads, and
// returns when the work queue is done or stopped; downloads still queued
// then are dropped. An exception from `run_job` is dropped with its job:
// the tests that need that job meet the same failure in their own jobs.
void ExecutePlan(const Plan& plan, const ExecutorOptions& options,
                 const std::function<void(const Job&)>& run_job);

}  // namespace iree_suite
