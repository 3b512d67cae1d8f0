// Small string helpers shared by every layer.
#pragma once

#include <string>
#include <string_view>

namespace iree_suite {

// `text` without leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r).
std::string Trim(std::string_view text);

}  // namespace iree_suite
