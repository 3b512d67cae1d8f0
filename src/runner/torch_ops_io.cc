#include "runner/torch_ops_io.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

#include "artifacts/arrays/npy_file.h"
#include "artifacts/arrays/numpy_random.h"
#include "artifacts/fetch/digest.h"
#include "checks/allclose.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

// Bump when the bytes generated for the same formulas change.
constexpr const char* kGeneratorVersion = "torch_ops-inputs-1";

nlohmann::json Describe(const TorchOpsArg& arg) {
  if (!arg.is_formula) return {{"literal", arg.literal_dtype}, {"value", arg.literal_value}};
  return {{"shape", arg.shape}, {"dtype", arg.dtype}, {"coeff", arg.coeff}, {"offset", arg.offset}};
}

// np.save of a Python number: a 0-d int64, float64 or bool array.
NdArray LiteralArray(const TorchOpsArg& arg) {
  NdArray array;
  array.dtype = *DTypeFromName(arg.literal_dtype);
  array.data.resize(DTypeSize(array.dtype));
  if (array.dtype == DType::kFloat64) {
    std::memcpy(array.data.data(), &arg.literal_value, sizeof(double));
  } else if (array.dtype == DType::kInt64) {
    const int64_t value = static_cast<int64_t>(arg.literal_value);
    std::memcpy(array.data.data(), &value, sizeof(value));
  } else {
    array.data[0] = arg.literal_value != 0 ? 1 : 0;
  }
  return array;
}

}  // namespace

std::vector<fs::path> TorchOpsInputPaths(const TorchOpsTest& test,
                                         const fs::path& artifact_directory) {
  std::vector<fs::path> paths;
  nlohmann::json stream = {{"version", kGeneratorVersion}, {"seed", test.seed}};
  for (const TorchOpsArg& arg : test.args) {
    stream["args"].push_back(Describe(arg));
    paths.push_back(artifact_directory / "inputs" /
                    (Sha256Hex(stream.dump()).substr(0, 16) + ".npy"));
  }
  return paths;
}

Result<std::vector<fs::path>> GenerateTorchOpsInputs(const TorchOpsTest& test,
                                                     const fs::path& artifact_directory) {
  std::vector<fs::path> paths = TorchOpsInputPaths(test, artifact_directory);
  std::error_code ec;
  const bool all_there = std::all_of(paths.begin(), paths.end(), [&](const fs::path& path) {
    return fs::is_regular_file(path, ec);
  });
  if (all_there) return paths;
  LegacyRandom random(test.seed);
  for (size_t i = 0; i < test.args.size(); ++i) {
    const TorchOpsArg& arg = test.args[i];
    Result<NdArray> array = Error{""};
    if (arg.is_formula) {
      Formula formula{arg.shape, *DTypeFromName(arg.dtype), arg.coeff, arg.offset};
      // Drawn even when the file is there: the next formulas continue the stream.
      array = GenerateFormula(formula, &random);
    } else {
      array = LiteralArray(arg);
    }
    if (!array) return Error{fmt::format("flat_args[{}]: {}", i, array.error())};
    if (fs::is_regular_file(paths[i], ec)) continue;
    // Runners sharing the artifact directory may write the same file: each
    // renames complete bytes into place, so either one wins.
    if (Status written = WriteNpy(paths[i], *array); !written) {
      return Error{fmt::format("flat_args[{}]: {}", i, written.error())};
    }
  }
  return paths;
}

std::string CompareTorchOpsOutputs(const TorchOpsTest& test, const std::vector<fs::path>& observed,
                                   const std::vector<fs::path>& expected) {
  const AllcloseTolerance tolerance{test.rtol, test.atol, test.equal_nan};
  std::string problems;
  for (size_t i = 0; i < observed.size() && i < expected.size(); ++i) {
    Result<NdArray> output = ReadNpy(observed[i]);
    Result<NdArray> wanted = output ? ReadNpy(expected[i]) : Error{output.error()};
    std::string problem;
    if (!wanted) {
      problem = wanted.error();
    } else {
      AllcloseReport report = Allclose(*output, *wanted, tolerance);
      if (!report.close) problem = report.Describe(tolerance);
    }
    if (!problem.empty()) {
      problems += fmt::format("{}output {} ({} vs {}): {}", problems.empty() ? "" : "\n", i,
                              observed[i].filename().string(), expected[i].string(), problem);
    }
  }
  return problems;
}

}  // namespace iree_suite
