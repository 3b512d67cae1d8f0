#include "artifacts/compile_protocol.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace iree_suite {
namespace {

class CompileProtocolTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::pipe(fds_), 0); }
  void TearDown() override {
    ::close(fds_[0]);
    if (fds_[1] >= 0) ::close(fds_[1]);
  }
  void Send(const std::string& bytes) {
    ASSERT_EQ(::write(fds_[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  int fds_[2] = {-1, -1};
};

TEST_F(CompileProtocolTest, MessagesKeepEveryByte) {
  const WorkerMessage first = {"compile", "", "a\nb", std::string("\0x", 2), "--flag=1"};
  const WorkerMessage second = {"ok", "1234"};
  ASSERT_TRUE(WriteWorkerMessage(fds_[1], first));
  ASSERT_TRUE(WriteWorkerMessage(fds_[1], second));
  WorkerMessageReader reader(fds_[0]);
  bool timed_out = true;
  EXPECT_EQ(reader.Read(1000, &timed_out), first);
  EXPECT_FALSE(timed_out);
  EXPECT_EQ(reader.Read(1000, &timed_out), second);
}

TEST_F(CompileProtocolTest, SilenceTimesOutAndEndOfFileEnds) {
  WorkerMessageReader reader(fds_[0]);
  bool timed_out = false;
  EXPECT_FALSE(reader.Read(10, &timed_out).has_value());
  EXPECT_TRUE(timed_out);
  ::close(fds_[1]);
  fds_[1] = -1;
  EXPECT_FALSE(reader.Read(1000, &timed_out).has_value());
  EXPECT_FALSE(timed_out);
}

TEST_F(CompileProtocolTest, MalformedInputIsNoMessage) {
  for (const std::string& bytes : {std::string("x\n"), std::string("99999999999999\n"),
                                   std::string("1\n-3\n"), std::string("1\n5\nab")}) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    ASSERT_EQ(::write(fds[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    ::close(fds[1]);
    WorkerMessageReader reader(fds[0]);
    bool timed_out = false;
    EXPECT_FALSE(reader.Read(1000, &timed_out).has_value()) << bytes;
    ::close(fds[0]);
  }
}

}  // namespace
}  // namespace iree_suite
