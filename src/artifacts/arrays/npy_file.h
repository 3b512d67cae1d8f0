// numpy's .npy files: the version 1.0 header np.save writes (byte for byte),
// and a reader for versions 1 to 3 as iree-run-module and numpy write them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "artifacts/arrays/dtype.h"
#include "base/result.h"

namespace iree_suite {

// Magic, version 1.0, header length and the header dict padded with spaces
// (and numpy's spare room for growing the first axis) to a multiple of 64.
std::string NpyHeader(DType dtype, const std::vector<int64_t>& shape);

// Parses a whole .npy file's bytes; Fortran-order data is returned in C order.
// An error says what is wrong, not where.
Result<NdArray> ParseNpy(const std::string& bytes);

// Reads `path`; errors name the file.
Result<NdArray> ReadNpy(const std::filesystem::path& path);

// Writes header and data atomically (temp name, fsync, rename).
[[nodiscard]] Status WriteNpy(const std::filesystem::path& path, const NdArray& array);

}  // namespace iree_suite
