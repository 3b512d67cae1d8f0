// The change-point detector against known answers: synthetic series with
// steps of known size and position under several noise levels, and series
// without a step.
#include "history/change_points.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace iree_suite {
namespace {

// Gaussian noise by Box-Muller over mt19937 (fully specified, so the series
// are the same everywhere).
class Noise {
 public:
  explicit Noise(uint32_t seed) : engine_(seed) {}
  double Next() {
    const double u1 = (static_cast<double>(engine_()) + 1.0) / 4294967297.0;
    const double u2 = static_cast<double>(engine_()) / 4294967296.0;
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
  }

 private:
  std::mt19937 engine_;
};

// `n` values around 10 ms with relative noise `sigma`; from `step_at` on
// (when non-zero) the level is 10 x (1 + step).
std::vector<double> Series(size_t n, double sigma, size_t step_at, double step, uint32_t seed) {
  Noise noise(seed);
  std::vector<double> values;
  for (size_t i = 0; i < n; ++i) {
    const double level = step_at != 0 && i >= step_at ? 10 * (1 + step) : 10;
    values.push_back(level * (1 + sigma * noise.Next()));
  }
  return values;
}

TEST(ChangePointsTest, BestSplitOfAPlainStep) {
  const std::vector<double> values = {1, 1, 1, 1, 1, 5, 5, 5, 5, 5};
  BestSplit split = FindBestSplit(values.data(), values.size(), 2);
  EXPECT_EQ(split.tau, 5u);
  EXPECT_GT(split.q, 0);
  EXPECT_EQ(FindBestSplit(values.data(), 3, 2).tau, 0u);  // too short to split
}

struct StepCase {
  double sigma;  // relative noise
  double step;   // relative step, in multiples of sigma below
  size_t at;
};

TEST(ChangePointsTest, FindsOneStepOfKnownSizeAndPosition) {
  ChangePointOptions options;
  size_t checked = 0;
  size_t spurious = 0;  // further (small) splits the noise passed off as changes
  for (double sigma : {0.005, 0.02, 0.05}) {
    for (double step_in_sigmas : {-3.0, 2.0, 4.0, 8.0}) {
      for (size_t at : {30, 100, 170}) {
        const double step = step_in_sigmas * sigma;
        SCOPED_TRACE(testing::Message() << "sigma " << sigma << " step " << step << " at " << at);
        std::vector<double> values = Series(200, sigma, at, step, static_cast<uint32_t>(at));
        std::vector<ChangePoint> points = DetectChangePoints(values, options);
        std::vector<ChangePoint> real;
        for (const ChangePoint& point : points) {
          if (std::abs(point.RelativeChange()) >= std::abs(step) / 2) real.push_back(point);
        }
        spurious += points.size() - real.size();
        ASSERT_EQ(real.size(), 1u);
        // A larger step is placed more exactly.
        const double slack = std::abs(step_in_sigmas) >= 8   ? 1
                             : std::abs(step_in_sigmas) >= 4 ? 3
                                                             : 6;
        EXPECT_LE(std::abs(static_cast<double>(real[0].index) - static_cast<double>(at)), slack);
        EXPECT_NEAR(real[0].RelativeChange(), step, std::max(0.3 * std::abs(step), sigma));
        EXPECT_LE(real[0].p_value, options.alpha);
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 36u);
  // About alpha per tested segment: 36 series at alpha 0.01.
  EXPECT_LE(spurious, 2u);
}

TEST(ChangePointsTest, FindsTwoStepsUpThenDown) {
  std::vector<double> values = Series(300, 0.01, 0, 0, 7);
  for (size_t i = 100; i < 200; ++i) values[i] *= 1.05;  // regression, then its fix
  std::vector<ChangePoint> points = DetectChangePoints(values, {});
  ASSERT_EQ(points.size(), 2u);
  EXPECT_NEAR(static_cast<double>(points[0].index), 100, 2);
  EXPECT_NEAR(static_cast<double>(points[1].index), 200, 2);
  EXPECT_GT(points[0].RelativeChange(), 0.03);
  EXPECT_LT(points[1].RelativeChange(), -0.03);
}

TEST(ChangePointsTest, SeriesWithoutAStepReportNoneAtTheChosenSignificance) {
  // Each series is tested once before the search stops, so at alpha the
  // share of noise-only series with a (false) change point is about alpha.
  for (double alpha : {0.01, 0.05}) {
    ChangePointOptions options;
    options.alpha = alpha;
    size_t with_change = 0;
    const size_t series = 300;
    for (uint32_t seed = 0; seed < series; ++seed) {
      options.seed = seed;
      with_change += !DetectChangePoints(Series(120, 0.03, 0, 0, 1000 + seed), options).empty();
    }
    SCOPED_TRACE(testing::Message() << "alpha " << alpha);
    // Binomial(300, alpha): mean 3 / 15; the bound is far in the tail.
    EXPECT_LE(static_cast<double>(with_change), series * alpha * 2 + 4);
  }
  // And the very first series of the suite, by name: nothing.
  EXPECT_TRUE(DetectChangePoints(Series(200, 0.02, 0, 0, 1), {}).empty());
}

TEST(ChangePointsTest, DeterministicForASeed) {
  const std::vector<double> values = Series(150, 0.05, 75, 0.06, 3);
  ChangePointOptions options;
  options.seed = 42;
  std::vector<ChangePoint> a = DetectChangePoints(values, options);
  std::vector<ChangePoint> b = DetectChangePoints(values, options);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].index, b[i].index);
    EXPECT_EQ(a[i].p_value, b[i].p_value);
  }
}

TEST(ChangePointsTest, ShortAndConstantSeriesHaveNone) {
  EXPECT_TRUE(DetectChangePoints({}, {}).empty());
  EXPECT_TRUE(DetectChangePoints({1, 2, 3}, {}).empty());
  EXPECT_TRUE(DetectChangePoints(std::vector<double>(50, 4.0), {}).empty());
}

TEST(ChangePointsTest, AStepBetweenTwoConstantLevelsIsFound) {
  std::vector<double> values(40, 4.0);
  for (size_t i = 20; i < 40; ++i) values[i] = 5.0;
  std::vector<ChangePoint> points = DetectChangePoints(values, {});
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].index, 20u);
  EXPECT_DOUBLE_EQ(points[0].RelativeChange(), 0.25);
}

}  // namespace
}  // namespace iree_suite
