#include "exec/tool_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

namespace iree_suite {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Two gates over one lock directory stand for two processes: flock treats
// separately opened files alike whether they are in one process or two.
class ToolGateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tool_gate_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    first_.ShareAcrossProcesses(dir_);
    second_.ShareAcrossProcesses(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Whether `take` on another thread gets its turn within 200 ms while
  // `held` is held, and then once `held` is released.
  template <typename Take>
  std::pair<bool, bool> BlockedBy(ToolGate::Turn held, Take take) {
    std::atomic<bool> got{false};
    std::thread other([&] {
      ToolGate::Turn turn = take();
      got = true;
    });
    std::this_thread::sleep_for(200ms);
    bool while_held = got.load();
    held = ToolGate::Turn();
    other.join();
    return {while_held, got.load()};
  }

  fs::path dir_;
  ToolGate first_;
  ToolGate second_;
};

TEST_F(ToolGateTest, BenchmarkOfAnotherProcessWaitsForOrdinaryJobs) {
  auto [while_held, after] = BlockedBy(first_.Shared(), [&] { return second_.Exclusive(); });
  EXPECT_FALSE(while_held);
  EXPECT_TRUE(after);
}

TEST_F(ToolGateTest, OrdinaryJobsOfAnotherProcessWaitForABenchmark) {
  auto [while_held, after] = BlockedBy(first_.Exclusive(), [&] { return second_.Shared(); });
  EXPECT_FALSE(while_held);
  EXPECT_TRUE(after);
}

TEST_F(ToolGateTest, OrdinaryJobsOfTwoProcessesRunTogether) {
  auto [while_held, after] = BlockedBy(first_.Shared(), [&] { return second_.Shared(); });
  EXPECT_TRUE(while_held);
  EXPECT_TRUE(after);
}

TEST_F(ToolGateTest, OneGpuDeviceAtATimeAcrossProcesses) {
  auto [while_held, after] =
      BlockedBy(first_.Device("hip://0"), [&] { return second_.Device("hip://0"); });
  EXPECT_FALSE(while_held);
  EXPECT_TRUE(after);
  auto [other_device, unused] =
      BlockedBy(first_.Device("hip://0"), [&] { return second_.Device("hip://1"); });
  EXPECT_TRUE(other_device);
}

TEST_F(ToolGateTest, WithoutALockDirectoryProcessesAreIndependent) {
  ToolGate alone;
  auto [while_held, after] = BlockedBy(first_.Exclusive(), [&] { return alone.Exclusive(); });
  EXPECT_TRUE(while_held);
}

TEST(GpuDeviceOfTest, LastDeviceFlagWinsAndLocalIsTheCpu) {
  EXPECT_EQ(GpuDeviceOf({"--device=hip", "--function=main"}), "hip");
  EXPECT_EQ(GpuDeviceOf({"--device=local-task"}), "");
  EXPECT_EQ(GpuDeviceOf({"--device=cuda://0", "--device=local-sync"}), "");
  EXPECT_EQ(GpuDeviceOf({}), "");
}

}  // namespace
}  // namespace iree_suite
