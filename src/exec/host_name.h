// This machine's name, for reports and for per-host lock files.
#pragma once

#include <string>

namespace iree_suite {

// gethostname(), or "" when it fails.
std::string HostName();

}  // namespace iree_suite
