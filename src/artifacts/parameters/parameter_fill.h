// The contents of generated parameters, as the little-endian bytes an archive
// stores: random values, or one value repeated (a splat).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "artifacts/parameters/element_type.h"

namespace iree_suite {

// Random floats are drawn from Normal(0, kRandomStddev).
inline constexpr double kRandomStddev = 0.01;

// Writes elements [first_element, first_element + count) of a random
// parameter whose stream is `key` (see ParameterStreamKey) to `out`, which
// holds count * ElementByteSize(type) bytes. Floats: Normal(0, 0.01) rounded
// to the type; integers: uniform over every bit pattern (i1: 0 or 1). The
// bytes depend only on (type, key, element index), never on the split.
void FillRandom(ElementType type, uint64_t key, uint64_t first_element, size_t count, uint8_t* out);

// `value` converted to `type`, as one element's bytes: a splat pattern.
// Floats round to nearest even (see float_convert.h); integers round to the
// nearest integer (ties to even) and clamp to the type's range (signless
// types accept both the signed and the unsigned range); NaN is 0 for
// integers; i1 is 1 for any non-zero value.
std::vector<uint8_t> SplatPattern(ElementType type, double value);

}  // namespace iree_suite
