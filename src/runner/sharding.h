// Splits the selected tests across CI machines: every shard runs a disjoint,
// deterministic part, and the shards together run the whole selection.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace iree_suite {

struct ShardSpec {
  size_t index = 0;  // 0-based
  size_t count = 1;
  std::string source;  // where index and count came from, for the console
};

using GetEnv = std::function<const char*(const char*)>;

// From --shard-index/--shard-count (both or neither), else from the first CI
// convention whose variables are set:
//   IREE_SUITE_SHARD_INDEX / IREE_SUITE_SHARD_COUNT (0-based)
//   JOB_COMPLETION_INDEX (Kubernetes Indexed Job, 0-based) / IREE_SUITE_SHARD_COUNT
//   CI_NODE_INDEX (GitLab, 1-based) / CI_NODE_TOTAL
//   CIRCLE_NODE_INDEX / CIRCLE_NODE_TOTAL (CircleCI, 0-based)
//   BUILDKITE_PARALLEL_JOB / BUILDKITE_PARALLEL_JOB_COUNT (Buildkite, 0-based)
// None set: one shard. Invalid values: an error naming the source.
Result<ShardSpec> ResolveShard(std::optional<size_t> flag_index, std::optional<size_t> flag_count,
                               const GetEnv& getenv_fn);

// Positions into `ids` that shard `shard` runs, in their original order. The
// ids are sorted and dealt round-robin, so shards differ in size by at most
// one and the split does not depend on discovery order.
std::vector<size_t> ShardPositions(const std::vector<std::string>& ids, const ShardSpec& shard);

}  // namespace iree_suite
