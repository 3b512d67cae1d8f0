#include "artifacts/parameters/counter_rng.h"

#include <cmath>

namespace iree_suite {
namespace {

// Start of the tail and area of each layer for 256 layers under exp(-x^2/2)
// (Marsaglia and Tsang, "The Ziggurat Method for Generating Random Variables").
constexpr double kTailStart = 3.6541528853610088;
constexpr double kLayerArea = 4.92867323399e-3;
constexpr double kTwoTo53 = 9007199254740992.0;
// Separates the slow-path stream of an element from its main stream.
constexpr uint64_t kSlowPathSalt = 0x5D0F1A2B3C4D5E6Full;

double Density(double x) { return std::exp(-0.5 * x * x); }

// Sequential draws private to one element, for the rare slow paths.
class ElementStream {
 public:
  ElementStream(uint64_t key, uint64_t counter)
      : state_(Mix64(key ^ kSlowPathSalt) + counter * kGoldenGamma) {}
  uint64_t Next() { return Mix64(state_ += kGoldenGamma); }
  // Uniform in (0, 1): never 0, so that log() stays finite.
  double Open01() { return (static_cast<double>(Next() >> 11) + 0.5) / kTwoTo53; }

 private:
  uint64_t state_;
};

}  // namespace

uint64_t ParameterStreamKey(uint64_t seed, std::string_view parameter_name) {
  // FNV-1a over the name, then mixed with the seed twice so that neighbouring
  // seeds and similar names give unrelated keys.
  uint64_t name_hash = 0xCBF29CE484222325ull;
  for (char c : parameter_name) {
    name_hash = (name_hash ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
  }
  return Mix64(Mix64(seed + kGoldenGamma) ^ Mix64(name_hash));
}

const NormalSampler& NormalSampler::Get() {
  static const NormalSampler sampler;
  return sampler;
}

NormalSampler::NormalSampler() {
  x_[0] = kLayerArea / Density(kTailStart);
  x_[1] = kTailStart;
  for (int i = 2; i < kLayers; ++i) {
    x_[i] = std::sqrt(-2.0 * std::log(kLayerArea / x_[i - 1] + Density(x_[i - 1])));
  }
  x_[kLayers] = 0;  // the top layer has no inner rectangle
  for (int i = 0; i <= kLayers; ++i) f_[i] = Density(x_[i]);  // f_[0] is unused
  for (int i = 0; i < kLayers; ++i) {
    accept_below_[i] = static_cast<int64_t>(kTwoTo53 * (x_[i + 1] / x_[i]));
    scale_[i] = x_[i] / kTwoTo53;
  }
}

double NormalSampler::SampleSlow(uint64_t key, uint64_t counter, unsigned layer, int64_t u,
                                 double sign) const {
  ElementStream stream(key, counter);
  while (true) {
    const double x = static_cast<double>(u) * scale_[layer];
    if (u < accept_below_[layer]) return sign * x;
    if (layer == 0) {
      // Beyond the tail start: Marsaglia's exponential rejection method.
      double tail = 0;
      double y = 0;
      do {
        tail = -std::log(stream.Open01()) / kTailStart;
        y = -std::log(stream.Open01());
      } while (2 * y < tail * tail);
      return sign * (kTailStart + tail);
    }
    // In the wedge between the inner rectangle and the curve.
    const double height = f_[layer] + stream.Open01() * (f_[layer + 1] - f_[layer]);
    if (height < Density(x)) return sign * x;
    // Rejected: start over with fresh bits from this element's own stream.
    const uint64_t bits = stream.Next();
    layer = static_cast<unsigned>(bits & (kLayers - 1));
    u = static_cast<int64_t>(bits >> 11);
    sign = (bits & kLayers) ? -1.0 : 1.0;
  }
}

}  // namespace iree_suite
