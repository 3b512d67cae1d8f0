#include "runner/sharding.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <numeric>

namespace iree_suite {
namespace {

std::optional<size_t> ParseCount(const char* text) {
  if (text == nullptr) return std::nullopt;
  std::string_view view(text);
  size_t value = 0;
  auto [end, ec] = std::from_chars(view.data(), view.data() + view.size(), value);
  if (ec != std::errc() || end != view.data() + view.size() || view.empty()) return std::nullopt;
  return value;
}

struct Convention {
  const char* index;
  const char* count;
  size_t first_index;  // 1 for GitLab's CI_NODE_INDEX
};

constexpr Convention kConventions[] = {
    {"IREE_SUITE_SHARD_INDEX", "IREE_SUITE_SHARD_COUNT", 0},
    {"JOB_COMPLETION_INDEX", "IREE_SUITE_SHARD_COUNT", 0},
    {"CI_NODE_INDEX", "CI_NODE_TOTAL", 1},
    {"CIRCLE_NODE_INDEX", "CIRCLE_NODE_TOTAL", 0},
    {"BUILDKITE_PARALLEL_JOB", "BUILDKITE_PARALLEL_JOB_COUNT", 0},
};

Result<ShardSpec> Checked(size_t index, size_t count, std::string source) {
  if (count == 0 || index >= count) {
    return Error{
        fmt::format("{}: shard index {} is not below the shard count {}", source, index, count)};
  }
  return ShardSpec{index, count, std::move(source)};
}

}  // namespace

Result<ShardSpec> ResolveShard(std::optional<size_t> flag_index, std::optional<size_t> flag_count,
                               const GetEnv& getenv_fn) {
  if (flag_index || flag_count) {
    if (!flag_index || !flag_count) {
      return Error{"--shard-index and --shard-count go together"};
    }
    return Checked(*flag_index, *flag_count, "--shard-index/--shard-count");
  }
  for (const Convention& convention : kConventions) {
    const char* index_text = getenv_fn(convention.index);
    if (index_text == nullptr) continue;
    const char* count_text = getenv_fn(convention.count);
    std::string source = fmt::format("${}/${}", convention.index, convention.count);
    std::optional<size_t> index = ParseCount(index_text);
    std::optional<size_t> count = ParseCount(count_text);
    if (!index || !count || *index < convention.first_index) {
      return Error{fmt::format("{}: expected {}-based index and a count, got \"{}\" and \"{}\"",
                               source, convention.first_index, index_text,
                               count_text == nullptr ? "(unset)" : count_text)};
    }
    return Checked(*index - convention.first_index, *count, source);
  }
  // A count without an index would silently make every machine run everything.
  if (getenv_fn("IREE_SUITE_SHARD_COUNT") != nullptr) {
    return Error{
        "$IREE_SUITE_SHARD_COUNT is set but neither $IREE_SUITE_SHARD_INDEX nor "
        "$JOB_COMPLETION_INDEX is"};
  }
  return ShardSpec{0, 1, ""};
}

std::vector<size_t> ShardPositions(const std::vector<std::string>& ids, const ShardSpec& shard) {
  std::vector<size_t> order(ids.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ids[a] < ids[b]; });
  std::vector<size_t> kept;
  if (shard.count == 0) return kept;
  for (size_t rank = shard.index; rank < order.size(); rank += shard.count) {
    kept.push_back(order[rank]);
  }
  std::sort(kept.begin(), kept.end());
  return kept;
}

}  // namespace iree_suite
