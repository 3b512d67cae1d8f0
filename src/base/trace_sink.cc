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

}  // namespace iree_suite
