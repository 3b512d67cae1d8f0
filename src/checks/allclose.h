// numpy.allclose(observed, expected, rtol, atol, equal_nan), natively, with a
// report of what did not match.
//
// As numpy 2 computes it: `expected` is taken as at least a float (integers
// and bool as float64); |observed - expected| is computed in the promoted
// type of both, atol + rtol * |expected| in expected's type (rtol and atol
// rounded to it first); an element is close when that difference is within
// the tolerance and expected is finite, or when both are equal (so equal
// infinities are close), or, with equal_nan, when both are NaN. Shapes
// broadcast as numpy's do.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "artifacts/arrays/dtype.h"

namespace iree_suite {

struct AllcloseTolerance {
  double rtol = 1e-05;
  double atol = 1e-08;
  bool equal_nan = false;
};

struct AllcloseReport {
  bool close = true;
  std::string error;  // the shapes do not broadcast; close is false
  int64_t mismatches = 0;
  int64_t elements = 0;  // of the broadcast shape
  // The mismatch that exceeds its tolerance most (NaN and inf ones first).
  std::vector<int64_t> worst_index;
  double worst_observed = 0;
  double worst_expected = 0;
  double worst_difference = 0;
  double worst_tolerance = 0;
  bool single_precision = false;  // computed in float32 or narrower: printed as floats

  // "3 of 4096 elements differ (rtol=1e-05, atol=1e-08, equal_nan=false); the
  // worst at [2, 7]: observed 1.5, expected 1.25, |difference| 0.25 > tolerance 1.25e-05"
  std::string Describe(const AllcloseTolerance& tolerance) const;
};

AllcloseReport Allclose(const NdArray& observed, const NdArray& expected,
                        const AllcloseTolerance& tolerance);

// The broadcast shape of two shapes, or false when they do not broadcast.
bool BroadcastShapes(const std::vector<int64_t>& a, const std::vector<int64_t>& b,
                     std::vector<int64_t>* out);

}  // namespace iree_suite
