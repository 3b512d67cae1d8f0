#include "report/event_stream.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "report/console.h"
#include "result_fixture.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

class EventStreamTest : public ResultFixture {
 protected:
  void SetUp() override {
    path_ =
        fs::temp_directory_path() /
        ("event_stream_test_" +
         std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".jsonl");
  }
  void TearDown() override { fs::remove(path_); }

  std::vector<Json> Events() {
    std::ifstream in(path_);
    std::vector<Json> events;
    std::string line;
    while (std::getline(in, line)) events.push_back(Json::parse(line));  // one object per line
    return events;
  }

  fs::path path_;
};

TEST_F(EventStreamTest, ARunIsStartCollectedResultsFinish) {
  TestDefinition* quality = Define("a/quality.json", TestKind::kQuality);
  quality->json_path = "/suite/a/quality.json";
  quality->markers = {"cpu", "quality"};
  TestDefinition* compstat = Define("b/compstat.json", TestKind::kCompstat);
  TestResult failed = Result(quality, Outcome::kFailed);
  failed.reason = "[FAILED] result[0]: element at index 0 (1) does not match the expected (2)";
  failed.output_tail = "EXEC @main";
  failed.repros.push_back({"/suite", {"iree-run-module", "--module=a b.vmfb"}});
  failed.logs.push_back("/artifacts/logs/a/run.log");
  TestResult passed = Result(compstat, Outcome::kPassed);
  passed.dispatch_count = 3;
  passed.binary_size = 4096;
  {
    EventStream stream(path_);
    ASSERT_TRUE(stream.ok());
    stream.Start();
    stream.Diagnostics("collection_error", {{"/suite/c.json", "markers", "expected an array"}});
    stream.Collected({quality, compstat});
    stream.OnTestStarted(*quality);
    stream.OnTestFinished(failed);
    stream.OnTestFinished(passed);
    stream.Finish(1);
  }
  std::vector<Json> events = Events();
  ASSERT_EQ(events.size(), 8u);
  EXPECT_EQ(events[0]["event"], "start");
  EXPECT_EQ(events[0]["protocol"], kEventProtocol);
  EXPECT_EQ(events[1]["event"], "collection_error");
  EXPECT_EQ(events[1]["text"], "/suite/c.json: markers: expected an array");
  EXPECT_EQ(events[2]["event"], "collected");
  EXPECT_EQ(events[2]["file"], "/suite/a/quality.json");
  EXPECT_EQ(events[2]["markers"], Json({"cpu", "quality"}));
  EXPECT_EQ(events[4]["event"], "test_started");
  const Json& failure = events[5];
  EXPECT_EQ(failure["event"], "test_finished");
  EXPECT_EQ(failure["outcome"], "failed");
  EXPECT_EQ(failure["repros"][0]["shell"], "cd /suite && iree-run-module '--module=a b.vmfb'");
  EXPECT_EQ(failure["repros"][0]["argv"][1], "--module=a b.vmfb");
  EXPECT_EQ(failure["logs"][0], "/artifacts/logs/a/run.log");
  // The console's failure block, so front ends show what the CLI shows.
  EXPECT_EQ(failure["details"], FailureDetails(failed));
  EXPECT_NE(failure["details"].get<std::string>().find("--- reproduce ---"), std::string::npos);
  EXPECT_EQ(events[6]["compstat"]["dispatch_count"], 3);
  EXPECT_EQ(events[7], Json({{"event", "finish"}, {"exit_code", 1}}));
}

TEST_F(EventStreamTest, InvalidUtf8InToolOutputIsReplaced) {
  TestDefinition* quality = Define("q.json", TestKind::kQuality);
  TestResult failed = Result(quality, Outcome::kFailed);
  failed.reason = "bad \xff byte";
  {
    EventStream stream(path_);
    stream.OnTestFinished(failed);
  }
  std::vector<Json> events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0]["reason"].get<std::string>().find("bad "), std::string::npos);
}

TEST_F(EventStreamTest, UnopenablePathIsAnError) {
  EventStream stream("/nonexistent-dir/events.jsonl");
  EXPECT_FALSE(stream.ok());
  EXPECT_NE(stream.error().find("/nonexistent-dir/events.jsonl"), std::string::npos);
}

TEST(EngineInfoTest, NamesProtocolAndVersion) {
  nlohmann::ordered_json info = EngineInfo();
  EXPECT_EQ(info["name"], "iree-suite");
  EXPECT_EQ(info["protocol"], kEventProtocol);
  EXPECT_EQ(info["version"], IREE_SUITE_VERSION);
}

}  // namespace
}  // namespace iree_suite
