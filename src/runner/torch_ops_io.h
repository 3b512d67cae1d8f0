// The files a torch_ops test's run reads and writes, all in the artifact
// directory: generated inputs, the outputs iree-run-module writes, and their
// comparison with the expected arrays.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "suite/torch_ops_test.h"

namespace iree_suite {

// <artifact dir>/inputs/<key>.npy for every flat_args entry (the paths only).
std::vector<std::filesystem::path> TorchOpsInputPaths(
    const TorchOpsTest& test, const std::filesystem::path& artifact_directory);

// Those files for every flat_args entry, generated as the
// reference's numpy does (np.random.seed(seed), then each formula in order)
// unless already there. The key covers the generator's version, the seed and
// every entry up to this one (each formula continues the previous one's
// stream). Returns the paths, or an error naming the entry.
Result<std::vector<std::filesystem::path>> GenerateTorchOpsInputs(
    const TorchOpsTest& test, const std::filesystem::path& artifact_directory);

// numpy.allclose of every observed output with its expected array, with the
// test's rtol, atol and equal_nan. Returns an empty string when all are close,
// else what differs ("output 0: 3 of 4096 elements differ ...").
std::string CompareTorchOpsOutputs(const TorchOpsTest& test,
                                   const std::vector<std::filesystem::path>& observed,
                                   const std::vector<std::filesystem::path>& expected);

}  // namespace iree_suite
