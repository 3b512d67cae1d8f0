// Inputs of torch_ops tests, bit-identical to what the reference computes with
// numpy: np.random.seed(seed) once per test, then for every formula in order
// (coeff * np.random.rand(*shape) + offset).astype(dtype).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "artifacts/arrays/dtype.h"
#include "base/result.h"

namespace iree_suite {

// numpy's legacy RandomState generator: MT19937 seeded from an integer by
// init_genrand (as np.random.seed(int) does), doubles in [0, 1) built from two
// 32-bit draws as (a >> 5) * 2^26 + (b >> 6), divided by 2^53.
class LegacyRandom {
 public:
  explicit LegacyRandom(uint32_t seed);
  uint32_t Next32();
  double NextDouble();

 private:
  void Twist();
  std::array<uint32_t, 624> state_;
  size_t position_;
};

// {"Formula": {"shape", "dtype", "coeff", "offset"}} of run_module_io.json.
struct Formula {
  std::vector<int64_t> shape;
  DType dtype = DType::kFloat32;
  double coeff = 1;
  double offset = 0;
};

// Draws the formula's elements from `random` (C order) and casts them as
// numpy's astype does: floats round to nearest even (float16 from the
// double directly, bfloat16 through float32 as ml_dtypes does), integers truncate toward zero, bool
// is "!= 0". numpy's cast of a value outside an integer type's range (or NaN) is undefined
// behaviour of C: such a value is an error here, not made-up bytes.
Result<NdArray> GenerateFormula(const Formula& formula, LegacyRandom* random);

}  // namespace iree_suite
