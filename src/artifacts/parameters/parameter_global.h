// Parses one `util.global` op of MLIR text and says whether it declares a
// named parameter:
//
//   util.global private @w = #stream.parameter.named<"model"::"w"> : tensor<4x8xf16>
//   util.global private @b = #flow.parameter.named<"b", {config}> : tensor<8xbf16>
//
// The scope ("model") is optional; the type must be a statically shaped
// tensor of a supported element type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "artifacts/parameters/element_type.h"
#include "base/result.h"

namespace iree_suite {

struct ParameterGlobal {
  std::string global;                // the util.global symbol, without '@'
  std::optional<std::string> scope;  // nullopt: the attribute names no scope
  std::string name;                  // the key the runtime looks up
  std::vector<int64_t> shape;
  ElementType type = ElementType::kF32;
  uint64_t byte_length = 0;
  uint64_t line = 0;  // 1-based line of the op in the MLIR text
};

enum class GlobalParse {
  kNotParameter,  // some other global (no initializer, a constant, ...)
  kParameter,     // *global is filled in
  kIncomplete,    // the text ends before the op does: it continues on the next line
};

// `op` starts with "util.global". An error (naming the global) for a parameter
// global that cannot be used.
Result<GlobalParse> ParseParameterGlobal(std::string_view op, ParameterGlobal* global);

}  // namespace iree_suite
