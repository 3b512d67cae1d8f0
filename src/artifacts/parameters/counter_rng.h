// Counter-based random numbers: each draw is a pure function of a stream key
// and a counter, so a parameter's contents do not depend on how its elements
// are split into blocks or on which thread fills which block.
//
// A draw is SplitMix64 (Steele, Lea and Flood, 2014) evaluated at position
// `counter` of the sequence that starts at `key`; normals come from a
// 256-layer ziggurat (Marsaglia and Tsang, 2000) whose rare slow paths take
// their extra draws from a second stream of the same element.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <string_view>

namespace iree_suite {

inline constexpr uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ull;

// SplitMix64's output function: a bijective 64-bit mixer.
inline uint64_t Mix64(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// The stream of one parameter: keyed by the seed and the parameter's name, so
// a parameter keeps its values when other parameters are added or reordered.
uint64_t ParameterStreamKey(uint64_t seed, std::string_view parameter_name);

// 64 uniformly distributed bits for position `counter` of stream `key`.
inline uint64_t CounterBits(uint64_t key, uint64_t counter) {
  return Mix64(key + counter * kGoldenGamma);
}

// Standard normal variates from counter-based bits.
class NormalSampler {
 public:
  static constexpr int kLayerBits = 8;
  static constexpr int kLayers = 1 << kLayerBits;

  // Tables are computed once and shared.
  static const NormalSampler& Get();

  // N(0, 1) for position `counter` of stream `key`.
  double Sample(uint64_t key, uint64_t counter) const {
    const uint64_t bits = CounterBits(key, counter);
    const unsigned layer = static_cast<unsigned>(bits & (kLayers - 1));
    const int64_t u = static_cast<int64_t>(bits >> 11);  // 53 uniform bits
    // Inside the layer's inner rectangle (98.5% of draws): accept.
    if (u < accept_below_[layer]) {
      // The sign bit is set without a branch: it is a coin flip.
      const double x = static_cast<double>(u) * scale_[layer];
      return std::bit_cast<double>(std::bit_cast<uint64_t>(x) |
                                   ((bits & kLayers) << (63 - kLayerBits)));
    }
    return SampleSlow(key, counter, layer, u, (bits & kLayers) ? -1.0 : 1.0);
  }

 private:
  NormalSampler();
  double SampleSlow(uint64_t key, uint64_t counter, unsigned layer, int64_t u, double sign) const;

  // Layer i covers x in [0, x_[i]] between heights f(x_[i]) and f(x_[i + 1]);
  // x_[0] is the width of the base layer including its tail, x_[1] = r.
  std::array<double, kLayers + 1> x_;
  std::array<double, kLayers + 1> f_;          // exp(-x^2 / 2)
  std::array<int64_t, kLayers> accept_below_;  // 2^53 * x_[i + 1] / x_[i]
  std::array<double, kLayers> scale_;          // x_[i] / 2^53
};

}  // namespace iree_suite
