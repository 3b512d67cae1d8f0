#include "runner/sharding.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "test_helpers.h"

namespace iree_suite {
namespace {

GetEnv Env(std::map<std::string, std::string> values) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(values));
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

std::vector<std::string> Ids(size_t n) {
  std::vector<std::string> ids;
  for (size_t i = 0; i < n; ++i) ids.push_back(fmt::format("model{}/test_{}.json", i % 5, i));
  return ids;
}

TEST(ShardingTest, ShardsPartitionTheSelectionEvenly) {
  const std::vector<std::string> ids = Ids(31);
  for (size_t count : {1u, 2u, 3u, 7u, 40u}) {
    std::multiset<std::string> seen;
    size_t smallest = ids.size(), largest = 0;
    for (size_t index = 0; index < count; ++index) {
      std::vector<size_t> positions = ShardPositions(ids, {index, count, ""});
      EXPECT_TRUE(std::is_sorted(positions.begin(), positions.end()));
      for (size_t position : positions) seen.insert(ids[position]);
      smallest = std::min(smallest, positions.size());
      largest = std::max(largest, positions.size());
    }
    EXPECT_EQ(seen, std::multiset<std::string>(ids.begin(), ids.end()))
        << count;  // union, disjoint
    EXPECT_LE(largest - smallest, 1u) << count;
  }
}

TEST(ShardingTest, SplitDoesNotDependOnDiscoveryOrder) {
  std::vector<std::string> ids = Ids(12);
  std::vector<std::string> reversed(ids.rbegin(), ids.rend());
  for (size_t index = 0; index < 3; ++index) {
    std::set<std::string> a, b;
    for (size_t p : ShardPositions(ids, {index, 3, ""})) a.insert(ids[p]);
    for (size_t p : ShardPositions(reversed, {index, 3, ""})) b.insert(reversed[p]);
    EXPECT_EQ(a, b);
    EXPECT_EQ(ShardPositions(ids, {index, 3, ""}), ShardPositions(ids, {index, 3, ""}));
  }
}

TEST(ShardingTest, FlagsWinOverEnvironment) {
  auto shard = ResolveShard(1, 4, Env({{"CI_NODE_INDEX", "1"}, {"CI_NODE_TOTAL", "2"}}));
  ASSERT_TRUE(shard) << shard.error();
  EXPECT_EQ(shard->index, 1u);
  EXPECT_EQ(shard->count, 4u);
}

TEST(ShardingTest, CiConventions) {
  auto generic = ResolveShard({}, {},
                              Env({{"IREE_SUITE_SHARD_INDEX", "1"},
                                   {"IREE_SUITE_SHARD_COUNT", "3"},
                                   {"CI_NODE_INDEX", "1"},
                                   {"CI_NODE_TOTAL", "2"}}));
  ASSERT_TRUE(generic) << generic.error();  // the project's own variables come first
  EXPECT_EQ(generic->index, 1u);
  EXPECT_EQ(generic->count, 3u);
  auto gitlab = ResolveShard({}, {}, Env({{"CI_NODE_INDEX", "3"}, {"CI_NODE_TOTAL", "3"}}));
  ASSERT_TRUE(gitlab) << gitlab.error();
  EXPECT_EQ(gitlab->index, 2u);  // GitLab counts from 1
  EXPECT_EQ(gitlab->source, "$CI_NODE_INDEX/$CI_NODE_TOTAL");
  auto k8s =
      ResolveShard({}, {}, Env({{"JOB_COMPLETION_INDEX", "0"}, {"IREE_SUITE_SHARD_COUNT", "5"}}));
  ASSERT_TRUE(k8s) << k8s.error();
  EXPECT_EQ(k8s->index, 0u);
  EXPECT_EQ(k8s->count, 5u);
  auto circle = ResolveShard({}, {}, Env({{"CIRCLE_NODE_INDEX", "1"}, {"CIRCLE_NODE_TOTAL", "2"}}));
  ASSERT_TRUE(circle) << circle.error();
  EXPECT_EQ(circle->index, 1u);
  auto buildkite = ResolveShard(
      {}, {}, Env({{"BUILDKITE_PARALLEL_JOB", "2"}, {"BUILDKITE_PARALLEL_JOB_COUNT", "4"}}));
  ASSERT_TRUE(buildkite) << buildkite.error();
  EXPECT_EQ(buildkite->index, 2u);
  auto none = ResolveShard({}, {}, Env({}));
  ASSERT_TRUE(none) << none.error();
  EXPECT_EQ(none->count, 1u);
}

TEST(ShardingTest, Errors) {
  std::string error;
  error = testing_helpers::ErrorOf(ResolveShard(1, {}, Env({})));
  EXPECT_EQ(error, "--shard-index and --shard-count go together");
  error = testing_helpers::ErrorOf(ResolveShard(4, 4, Env({})));
  EXPECT_EQ(error, "--shard-index/--shard-count: shard index 4 is not below the shard count 4");
  error = testing_helpers::ErrorOf(ResolveShard({}, {}, Env({{"JOB_COMPLETION_INDEX", "2"}})));
  EXPECT_NE(error.find("$JOB_COMPLETION_INDEX/$IREE_SUITE_SHARD_COUNT"), std::string::npos);
  EXPECT_NE(error.find("(unset)"), std::string::npos);
  error = testing_helpers::ErrorOf(ResolveShard({}, {}, Env({{"IREE_SUITE_SHARD_COUNT", "4"}})));
  EXPECT_NE(error.find("neither $IREE_SUITE_SHARD_INDEX"), std::string::npos);
  error = testing_helpers::ErrorOf(
      ResolveShard({}, {}, Env({{"CI_NODE_INDEX", "0"}, {"CI_NODE_TOTAL", "2"}})));
  error = testing_helpers::ErrorOf(
      ResolveShard({}, {}, Env({{"CIRCLE_NODE_INDEX", "x"}, {"CIRCLE_NODE_TOTAL", "2"}})));
}

}  // namespace
}  // namespace iree_suite
