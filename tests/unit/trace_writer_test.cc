#include "report/trace_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "base/atomic_file.h"

namespace iree_suite {
namespace {

nlohmann::json Events(const TraceWriter& trace) {
  nlohmann::json json = nlohmann::json::parse(trace.Render());
  EXPECT_TRUE(json.is_object());
  EXPECT_EQ(json.size(), 1u);
  EXPECT_TRUE(json["traceEvents"].is_array());
  return json["traceEvents"];
}

std::vector<nlohmann::json> OfPhase(const nlohmann::json& events, const std::string& phase) {
  std::vector<nlohmann::json> found;
  for (const auto& event : events) {
    if (event["ph"] == phase) found.push_back(event);
  }
  return found;
}

TEST(TraceWriterTest, EmptyTraceHasOnlyTheProcessName) {
  TraceWriter trace;
  nlohmann::json events = Events(trace);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], nlohmann::json::parse(R"({"name": "process_name", "ph": "M", "pid": 1,
      "tid": 0, "args": {"name": "iree-suite"}})"));
}

TEST(TraceWriterTest, CompleteEventHasAllFields) {
  TraceWriter trace;
  uint64_t token = trace.Begin("compile", "compile clip_cpu", "sdxl/clip.json",
                               "modules/clip_cpu/0123/module.vmfb", 3);
  EXPECT_NE(token, 0u);
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  trace.End(token);
  auto spans = OfPhase(Events(trace), "X");
  ASSERT_EQ(spans.size(), 1u);
  const nlohmann::json& span = spans[0];
  EXPECT_EQ(span["name"], "compile clip_cpu");
  EXPECT_EQ(span["cat"], "compile");
  EXPECT_EQ(span["pid"], 1);
  EXPECT_EQ(span["tid"], 3);
  EXPECT_TRUE(span["ts"].is_number_integer());
  EXPECT_GE(span["ts"].get<int64_t>(), 0);
  EXPECT_GE(span["dur"].get<int64_t>(), 2000);
  EXPECT_EQ(span["args"], nlohmann::json::parse(R"({"test": "sdxl/clip.json",
      "artifact": "modules/clip_cpu/0123/module.vmfb"})"));
}

TEST(TraceWriterTest, AWaitIsDrawnOnlyWhenItLasted) {
  TraceWriter trace;
  trace.End(trace.Begin("wait", "turn", "quick.json", "", 1));  // a turn taken at once
  uint64_t token = trace.Begin("wait", "benchmark turn", "slow.json", "", 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  trace.End(token);
  auto spans = OfPhase(Events(trace), "X");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0]["cat"], "wait");
  EXPECT_EQ(spans[0]["args"]["test"], "slow.json");
}

TEST(TraceWriterTest, EventsFromManyThreadsEachGetTheirLane) {
  TraceWriter trace;
  constexpr int kThreads = 8;
  constexpr int kSpansPerThread = 50;
  std::vector<std::thread> threads;
  for (int lane = 0; lane < kThreads; ++lane) {
    threads.emplace_back([&trace, lane] {
      SetTraceLane(lane);
      for (int i = 0; i < kSpansPerThread; ++i) {
        TraceSpan outer(&trace, "run", "run " + std::to_string(i), "t" + std::to_string(lane), "");
        TraceSpan inner(&trace, "fetch", "fetch", "t" + std::to_string(lane), "x.bin");
      }
    });
  }
  for (auto& thread : threads) thread.join();

  nlohmann::json events = Events(trace);
  auto spans = OfPhase(events, "X");
  ASSERT_EQ(spans.size(), static_cast<size_t>(kThreads * kSpansPerThread * 2));
  std::map<int, int> per_lane;
  for (const auto& span : spans) {
    EXPECT_GE(span["ts"].get<int64_t>(), 0);
    EXPECT_GE(span["dur"].get<int64_t>(), 0);
    EXPECT_FALSE(span["args"].contains("unfinished"));
    int lane = span["tid"].get<int>();
    EXPECT_EQ(span["args"]["test"], "t" + std::to_string(lane));
    ++per_lane[lane];
  }
  EXPECT_EQ(per_lane.size(), static_cast<size_t>(kThreads));
  for (const auto& [lane, count] : per_lane) EXPECT_EQ(count, kSpansPerThread * 2) << lane;

  auto metadata = OfPhase(events, "M");
  std::set<int> named_lanes;
  int process_names = 0;
  for (const auto& event : metadata) {
    EXPECT_EQ(event["pid"], 1);
    if (event["name"] == "process_name") {
      ++process_names;
      EXPECT_EQ(event["args"]["name"], "iree-suite");
    } else {
      ASSERT_EQ(event["name"], "thread_name");
      int lane = event["tid"].get<int>();
      EXPECT_EQ(event["args"]["name"], "worker " + std::to_string(lane));
      named_lanes.insert(lane);
    }
  }
  EXPECT_EQ(process_names, 1);
  EXPECT_EQ(named_lanes.size(), static_cast<size_t>(kThreads));
  EXPECT_EQ(*named_lanes.rbegin(), kThreads - 1);
}

TEST(TraceWriterTest, TraceLaneIsPerThread) {
  SetTraceLane(5);
  int other = -1;
  std::thread([&other] { other = TraceLane(); }).join();
  EXPECT_EQ(other, 0);
  EXPECT_EQ(TraceLane(), 5);
  SetTraceLane(0);
}

TEST(TraceWriterTest, SpanDefaultsToTheThreadsLane) {
  TraceWriter trace;
  std::thread([&trace] {
    SetTraceLane(7);
    TraceSpan span(&trace, "benchmark", "bench", "b.json", "");
  }).join();
  auto spans = OfPhase(Events(trace), "X");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0]["tid"], 7);
}

TEST(TraceWriterTest, NullTraceSpanIsANoOp) {
  TraceSpan span(nullptr, "run", "r", "t", "a", 1);  // must not crash
}

TEST(TraceWriterTest, UnknownAndRepeatedEndAreIgnored) {
  TraceWriter trace;
  trace.End(0);
  trace.End(42);
  uint64_t token = trace.Begin("run", "r", "t", "", 0);
  trace.End(token);
  int64_t dur = OfPhase(Events(trace), "X")[0]["dur"].get<int64_t>();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  trace.End(token);  // a second End must not stretch the span
  trace.End(token + 1);
  auto spans = OfPhase(Events(trace), "X");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0]["dur"].get<int64_t>(), dur);
}

TEST(TraceWriterTest, OpenSpanIsDrawnAsUnfinished) {
  TraceWriter trace;
  trace.Begin("generate-parameters", "random", "t", "p.irpa", 2);
  auto spans = OfPhase(Events(trace), "X");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_GE(spans[0]["dur"].get<int64_t>(), 0);
  EXPECT_EQ(spans[0]["args"]["unfinished"], true);
}

TEST(TraceWriterTest, InvalidUtf8IsReplacedNotThrown) {
  TraceWriter trace;
  trace.End(trace.Begin("run", "r", "bad\xff.json", "", 0));
  auto spans = OfPhase(Events(trace), "X");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0]["args"]["test"], "bad\xEF\xBF\xBD.json");
}

TEST(TraceWriterTest, WriteIsAtomicAndReadable) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("trace_writer_test." + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  TraceWriter trace;
  trace.End(trace.Begin("fetch", "f", "t", "x", 0));
  ASSERT_TRUE(trace.Write(dir / "sub" / "trace.json"));
  Result<std::string> text = ReadSmallFile(dir / "sub" / "trace.json");
  ASSERT_TRUE(text) << text.error();
  EXPECT_EQ(*text, trace.Render());
  size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir / "sub")) {
    ++entries;
  }
  EXPECT_EQ(entries, 1u);  // no temp file left behind
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace iree_suite
