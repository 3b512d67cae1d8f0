#include "checks/allclose.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "artifacts/parameters/float_convert.h"

namespace iree_suite {
namespace {

// The float types arithmetic is done in, narrowest first.
enum class Arith { kF16, kBF16, kF32, kF64 };

// numpy's result type of an array of `dtype` with a Python float (NEP 50: a
// float array keeps its type, an integer or bool one becomes float64).
Arith ExpectedArith(DType dtype) {
  switch (dtype) {
    case DType::kFloat16:
      return Arith::kF16;
    case DType::kBFloat16:
      return Arith::kBF16;
    case DType::kFloat32:
      return Arith::kF32;
    default:
      return Arith::kF64;
  }
}

// numpy's promotion of `observed`'s type with a float type: the smallest
// float type that holds both exactly.
Arith Promote(DType observed, Arith expected) {
  Arith needed = Arith::kF64;
  switch (observed) {
    case DType::kBool:
      needed = Arith::kF16;
      break;
    case DType::kInt8:
    case DType::kUInt8:
    case DType::kFloat16:
      needed = Arith::kF16;
      break;
    case DType::kBFloat16:
      needed = Arith::kBF16;
      break;
    case DType::kInt16:
    case DType::kUInt16:
    case DType::kFloat32:
      needed = Arith::kF32;
      break;
    default:
      needed = Arith::kF64;
      break;
  }
  if (needed == expected) return needed;
  // f16 and bf16 hold each other only in float32.
  if ((needed == Arith::kF16 && expected == Arith::kBF16) ||
      (needed == Arith::kBF16 && expected == Arith::kF16)) {
    return Arith::kF32;
  }
  return std::max(needed, expected);
}

// Rounds an exactly computed (double) result to `type`: correct rounding of
// one operation, since double has more than twice the precision of each.
double RoundTo(Arith type, double value) {
  switch (type) {
    case Arith::kF16:
      return DecodeFloat(DoubleToF16(value), kF16Format);
    case Arith::kBF16:  // through float32, as ml_dtypes converts
      return DecodeFloat(DoubleToBF16(static_cast<float>(value)), kBF16Format);
    case Arith::kF32:
      return static_cast<float>(value);
    case Arith::kF64:
      return value;
  }
  return value;
}

// The C-order offset into an array of `shape` for an index of the broadcast
// shape `out` (missing or size-1 axes stay at 0).
int64_t BroadcastOffset(const std::vector<int64_t>& shape, const std::vector<int64_t>& out,
                        const std::vector<int64_t>& index) {
  int64_t offset = 0;
  const size_t skip = out.size() - shape.size();
  for (size_t axis = 0; axis < shape.size(); ++axis) {
    const int64_t i = shape[axis] == 1 ? 0 : index[skip + axis];
    offset = offset * shape[axis] + i;
  }
  return offset;
}

}  // namespace

bool BroadcastShapes(const std::vector<int64_t>& a, const std::vector<int64_t>& b,
                     std::vector<int64_t>* out) {
  const size_t rank = std::max(a.size(), b.size());
  out->assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) return false;
    (*out)[i] = da == 1 ? db : da;
  }
  return true;
}

AllcloseReport Allclose(const NdArray& observed, const NdArray& expected,
                        const AllcloseTolerance& tolerance) {
  AllcloseReport report;
  std::vector<int64_t> shape;
  if (!BroadcastShapes(observed.shape, expected.shape, &shape)) {
    report.close = false;
    report.error = fmt::format("shapes {} (observed) and {} (expected) do not broadcast",
                               ShapeRepr(observed.shape), ShapeRepr(expected.shape));
    return report;
  }
  const Arith y_type = ExpectedArith(expected.dtype);
  const Arith diff_type = Promote(observed.dtype, y_type);
  const double rtol = RoundTo(y_type, tolerance.rtol);
  const double atol = RoundTo(y_type, tolerance.atol);
  std::vector<int64_t> index(shape.size(), 0);
  double worst_excess = -std::numeric_limits<double>::infinity();
  report.elements = 1;
  for (int64_t dim : shape) report.elements *= dim;
  for (int64_t n = 0; n < report.elements; ++n) {
    const double x = RoundTo(
        diff_type, ElementAsDouble(observed, BroadcastOffset(observed.shape, shape, index)));
    const double y_raw =
        RoundTo(y_type, ElementAsDouble(expected, BroadcastOffset(expected.shape, shape, index)));
    const double y = RoundTo(diff_type, y_raw);
    const double difference = std::fabs(RoundTo(diff_type, x - y));
    const double limit = RoundTo(y_type, atol + RoundTo(y_type, rtol * std::fabs(y_raw)));
    bool close = (difference <= limit && std::isfinite(y_raw)) || x == y;
    if (tolerance.equal_nan && std::isnan(x) && std::isnan(y_raw)) close = true;
    if (!close) {
      ++report.mismatches;
      const double excess = std::isnan(difference) || std::isinf(difference) || std::isinf(limit)
                                ? std::numeric_limits<double>::infinity()
                                : difference - limit;
      if (excess > worst_excess) {
        worst_excess = excess;
        report.worst_index = index;
        report.worst_observed = x;
        report.worst_expected = y_raw;
        report.worst_difference = difference;
        report.worst_tolerance = limit;
      }
    }
    for (size_t axis = shape.size(); axis-- > 0;) {
      if (++index[axis] < shape[axis]) break;
      index[axis] = 0;
    }
  }
  report.close = report.mismatches == 0;
  report.single_precision = diff_type != Arith::kF64;
  return report;
}

std::string AllcloseReport::Describe(const AllcloseTolerance& tolerance) const {
  if (!error.empty()) return error;
  if (close) return "";
  // The shortest text of the value in the type it was computed in.
  auto text = [&](double value) -> std::string {
    if (std::isnan(value)) return "nan";  // as numpy prints any NaN, whatever its sign
    return single_precision ? fmt::format("{}", static_cast<float>(value))
                            : fmt::format("{}", value);
  };
  return fmt::format(
      "{} of {} elements differ (rtol={}, atol={}, equal_nan={}); the worst at [{}]: observed "
      "{}, expected {}, |difference| {} > tolerance {}",
      mismatches, elements, tolerance.rtol, tolerance.atol, tolerance.equal_nan,
      fmt::join(worst_index, ", "), text(worst_observed), text(worst_expected),
      text(worst_difference), text(worst_tolerance));
}

}  // namespace iree_suite
