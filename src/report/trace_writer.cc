#include "report/trace_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "base/atomic_file.h"

namespace iree_suite {

namespace {

constexpr int kProcessId = 1;
constexpr int64_t kShortestWaitUs = 1000;

}  // namespace

TraceWriter::TraceWriter() : origin_(std::chrono::steady_clock::now()) {}

int64_t TraceWriter::NowMicros() const {
  auto elapsed = std::chrono::steady_clock::now() - origin_;
  return std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
}

uint64_t TraceWriter::Begin(std::string kind, std::string name, std::string test_id,
                            std::string artifact, int lane) {
  Span span{std::move(kind), std::move(name), std::move(test_id), std::move(artifact), lane,
            NowMicros(),     std::nullopt};
  std::lock_guard<std::mutex> lock(mutex_);
  spans_.push_back(std::move(span));
  return spans_.size();
}

void TraceWriter::End(uint64_t token) {
  int64_t now = NowMicros();
  std::lock_guard<std::mutex> lock(mutex_);
  if (token == 0 || token > spans_.size()) return;
  Span& span = spans_[token - 1];
  // steady_clock is monotonic, but Begin reads it before taking the lock.
  if (!span.end_us) span.end_us = std::max(now, span.begin_us);
}

std::string TraceWriter::Render() const {
  int64_t now = NowMicros();
  std::lock_guard<std::mutex> lock(mutex_);
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  events.push_back({{"name", "process_name"},
                    {"ph", "M"},
                    {"pid", kProcessId},
                    {"tid", 0},
                    {"args", {{"name", "iree-suite"}}}});
  std::set<int> lanes;
  for (const Span& span : spans_) lanes.insert(span.lane);
  for (int lane : lanes) {
    events.push_back({{"name", "thread_name"},
                      {"ph", "M"},
                      {"pid", kProcessId},
                      {"tid", lane},
                      {"args", {{"name", fmt::format("worker {}", lane)}}}});
  }
  for (const Span& span : spans_) {
    // A turn taken at once is no wait worth drawing.
    if (span.kind == "wait" && span.end_us && *span.end_us - span.begin_us < kShortestWaitUs) {
      continue;
    }
    nlohmann::ordered_json args = {{"test", span.test_id}, {"artifact", span.artifact}};
    if (!span.end_us) args["unfinished"] = true;
    int64_t end = span.end_us.value_or(std::max(now, span.begin_us));
    events.push_back({{"name", span.name},
                      {"cat", span.kind},
                      {"ph", "X"},
                      {"ts", span.begin_us},
                      {"dur", end - span.begin_us},
                      {"pid", kProcessId},
                      {"tid", span.lane},
                      {"args", std::move(args)}});
  }
  nlohmann::ordered_json trace = {{"traceEvents", std::move(events)}};
  // Test ids are file names and may hold invalid UTF-8: replace rather than throw.
  return trace.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

Status TraceWriter::Write(const std::filesystem::path& path) const {
  return WriteFileAtomically(path, Render());
}

}  // namespace iree_suite
