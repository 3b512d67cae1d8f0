// Byte counts for people: "512 B", "1.5 KiB", "20.0 GiB".
#pragma once

#include <string>

namespace iree_suite {

// Exact below 1 KiB ("512 B"), else one decimal and a binary unit up to PiB.
// Negative counts (differences) keep their sign.
std::string FormatBytes(double bytes);

}  // namespace iree_suite
