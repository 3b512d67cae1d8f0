#include "base/trace_sink.h"

namespace iree_suite {

namespace {

thread_local int trace_lane = 0;

}  // namespace

void SetTraceLane(int lane) { trace_lane = lane; }

int TraceLane() { return trace_lane; }

TraceSpan::TraceSpan(TraceSink* sink, std::string kind, std::string name, std::string test_id,
                     std::string artifact, int lane)
    : sink_(sink) {
  if (sink_ != nullptr) {
    token_ = sink_->Begin(std::move(kind), std::move(name), std::move(test_id), std::move(artifact),
                          lane);
  }
}

TraceSpan::~TraceSpan() {
  if (sink_ != nullptr) sink_->End(token_);
}

uint64_t TraceTee::Begin(std::string kind, std::string name, std::string test_id,
                         std::string artifact, int lane) {
  uint64_t second = second_ ? second_->Begin(kind, name, test_id, artifact, lane) : 0;
  uint64_t first = first_ ? first_->Begin(std::move(kind), std::move(name), std::move(test_id),
                                          std::move(artifact), lane)
                          : 0;
  std::lock_guard<std::mutex> lock(mutex_);
  tokens_.emplace_back(first, second);
  return tokens_.size();
}

void TraceTee::End(uint64_t token) {
  std::pair<uint64_t, uint64_t> tokens;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (token == 0 || token > tokens_.size()) return;
    tokens = std::exchange(tokens_[token - 1], {0, 0});
  }
  if (first_ && tokens.first) first_->End(tokens.first);
  if (second_ && tokens.second) second_->End(tokens.second);
}

}  // namespace iree_suite
