// Finds the named parameters an MLIR module declares, streaming the file in
// fixed-size blocks: multi-GB MLIR (inline constants, resource blobs) is
// never held in memory, only the `util.global` ops are.
//
// Text is scanned directly. Bytecode (files that start with "ML\xefR") is
// printed to a temporary text file by iree-opt first, with large constants
// and resources elided so that the text stays small.
#pragma once

#include <filesystem>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "artifacts/parameters/parameter_global.h"
#include "base/result.h"
#include "exec/run_events.h"

namespace iree_suite {

// Every parameter global of MLIR text, in order. Ops must start their line
// (as MLIR prints them) and may continue on the following lines. The error
// ("line N: global @x: ...") names the first bad global.
Result<std::vector<ParameterGlobal>> ScanMlirText(std::istream& in);

// True when the file starts with MLIR's bytecode magic.
bool IsMlirBytecode(const std::filesystem::path& path);

// The parameter globals of an MLIR file, text or bytecode. `iree_opt` may be
// empty (then bytecode is an error); `scratch_directory` receives the
// temporary text of bytecode files; `events` hears of the iree-opt command.
Result<std::vector<ParameterGlobal>> ReadMlirParameters(
    const std::filesystem::path& mlir, const std::filesystem::path& iree_opt,
    const std::filesystem::path& scratch_directory, RunEvents* events = nullptr);

}  // namespace iree_suite
