#include "history/change_points.h"

#include <algorithm>
#include <numeric>

namespace iree_suite {
namespace {

// splitmix64: small, fast, the same sequence on every platform (the standard
// distributions are not).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

void Shuffle(std::vector<double>* values, Random* random) {
  for (size_t i = values->size(); i > 1; --i) {
    size_t j = static_cast<size_t>(random->Next() % i);
    std::swap((*values)[i - 1], (*values)[j]);
  }
}

struct Segment {
  size_t begin = 0;
  size_t end = 0;
  BestSplit split;
};

double Mean(const std::vector<double>& values, size_t begin, size_t end) {
  return std::accumulate(values.begin() + begin, values.begin() + end, 0.0) /
         static_cast<double>(end - begin);
}

// The permutation p-value of a segment's best split.
double PermutationPValue(const std::vector<double>& values, const Segment& segment,
                         const ChangePointOptions& options, Random* random) {
  std::vector<double> shuffled(values.begin() + segment.begin, values.begin() + segment.end);
  size_t at_least = 0;
  size_t done = 0;
  const double limit = options.alpha * static_cast<double>(options.permutations + 1);
  while (done < options.permutations) {
    Shuffle(&shuffled, random);
    ++done;
    if (FindBestSplit(shuffled.data(), shuffled.size(), options.min_segment).q >= segment.split.q) {
      ++at_least;
      // p can only be above alpha from here: stop.
      if (static_cast<double>(at_least + 1) > limit) break;
    }
  }
  return static_cast<double>(at_least + 1) / static_cast<double>(done + 1);
}

}  // namespace

BestSplit FindBestSplit(const double* values, size_t n, size_t min_segment) {
  BestSplit best;
  min_segment = std::max<size_t>(min_segment, 2);
  if (n < 2 * min_segment) return best;
  // Centred, so that the sums of squares do not lose the variance.
  double shift = 0;
  for (size_t i = 0; i < n; ++i) shift += values[i];
  shift /= static_cast<double>(n);
  double total = 0;
  double total_squares = 0;
  for (size_t i = 0; i < n; ++i) {
    const double x = values[i] - shift;
    total += x;
    total_squares += x * x;
  }
  double left = 0;
  double left_squares = 0;
  for (size_t tau = 1; tau + min_segment <= n; ++tau) {
    const double x = values[tau - 1] - shift;
    left += x;
    left_squares += x * x;
    if (tau < min_segment) continue;
    const double m = static_cast<double>(tau);
    const double k = static_cast<double>(n - tau);
    const double right = total - left;
    const double right_squares = total_squares - left_squares;
    const double mean_left = left / m;
    const double mean_right = right / k;
    const double var_left = std::max(0.0, (left_squares - left * mean_left) / (m - 1));
    const double var_right = std::max(0.0, (right_squares - right * mean_right) / (k - 1));
    const double diff = mean_left - mean_right;
    const double q =
        (m * k / static_cast<double>(n)) * (2 * diff * diff - 2 * var_left / m - 2 * var_right / k);
    if (best.tau == 0 || q > best.q) best = {tau, q};
  }
  return best;
}

std::vector<ChangePoint> DetectChangePoints(const std::vector<double>& values,
                                            const ChangePointOptions& options) {
  Random random(options.seed);
  std::vector<Segment> segments;
  auto add_segment = [&](size_t begin, size_t end) {
    Segment segment{begin, end, {}};
    segment.split = FindBestSplit(values.data() + begin, end - begin, options.min_segment);
    segments.push_back(segment);
  };
  add_segment(0, values.size());
  std::vector<std::pair<size_t, double>> splits;  // (index, p)
  while (true) {
    auto candidate =
        std::max_element(segments.begin(), segments.end(), [](const Segment& a, const Segment& b) {
          if ((a.split.tau == 0) != (b.split.tau == 0)) {
            return a.split.tau == 0;
          }
          return a.split.q < b.split.q;
        });
    if (candidate == segments.end() || candidate->split.tau == 0 || candidate->split.q <= 0) break;
    const double p = PermutationPValue(values, *candidate, options, &random);
    if (p > options.alpha) break;
    const Segment chosen = *candidate;
    segments.erase(candidate);
    const size_t at = chosen.begin + chosen.split.tau;
    splits.emplace_back(at, p);
    add_segment(chosen.begin, at);
    add_segment(at, chosen.end);
  }
  std::sort(splits.begin(), splits.end());
  std::vector<ChangePoint> points;
  for (size_t i = 0; i < splits.size(); ++i) {
    const size_t before = i == 0 ? 0 : splits[i - 1].first;
    const size_t after = i + 1 == splits.size() ? values.size() : splits[i + 1].first;
    const size_t at = splits[i].first;
    points.push_back({at, splits[i].second, Mean(values, before, at), Mean(values, at, after)});
  }
  return points;
}

uint64_t HashName(const char* name, size_t length) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < length; ++i) {
    hash ^= static_cast<unsigned char>(name[i]);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace iree_suite
