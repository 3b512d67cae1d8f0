#include "artifacts/parameters/mlir_scanner.h"

#include <fmt/format.h>

#include <cstring>
#include <fstream>

#include "base/atomic_file.h"
#include "exec/subprocess.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

constexpr size_t kBlockBytes = 1 << 20;
// Enough of any line to see whether it starts a util.global op.
constexpr size_t kProbeBytes = 256;
// A parameter global is short; longer ops hold inline constants and are skipped.
constexpr size_t kMaxOpBytes = 1 << 20;
constexpr int kMaxOpLines = 64;

bool StartsGlobalOp(std::string_view line) {
  const size_t start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos) return false;
  line.remove_prefix(start);
  constexpr std::string_view kOp = "util.global";
  return line.substr(0, kOp.size()) == kOp &&
         (line.size() == kOp.size() || line[kOp.size()] == ' ' || line[kOp.size()] == '\t');
}

// Splits the stream into lines, keeps the util.global ops (joined across
// lines while incomplete) and parses them.
class LineScanner {
 public:
  explicit LineScanner(std::vector<ParameterGlobal>* globals) : globals_(globals) {}

  // Why Feed or Finish returned false.
  const std::string& error() const { return error_; }

  bool Feed(const char* data, size_t size) {
    while (size > 0) {
      const char* newline = static_cast<const char*>(std::memchr(data, '\n', size));
      const size_t length = newline ? static_cast<size_t>(newline - data) : size;
      Capture(data, length);
      if (!newline) break;
      if (!EndLine()) return false;
      data += length + 1;
      size -= length + 1;
    }
    return true;
  }

  bool Finish() {
    if (!line_.empty() && !EndLine()) return false;
    if (!op_.empty()) return Parse(/*last_chance=*/true);
    return true;
  }

 private:
  void Capture(const char* data, size_t size) {
    while (size > 0 && !skipping_) {
      if (line_.size() == cap_) {
        if (cap_ == kProbeBytes && (!op_.empty() || StartsGlobalOp(line_))) {
          cap_ = kMaxOpBytes;
          continue;
        }
        skipping_ = true;  // the rest of the line is never looked at
        break;
      }
      const size_t take = std::min(cap_ - line_.size(), size);
      line_.append(data, take);
      data += take;
      size -= take;
    }
  }

  bool EndLine() {
    ++line_number_;
    const bool truncated = skipping_;
    bool ok = true;
    if (!op_.empty()) {
      op_ += ' ';
      op_ += line_;
      ++op_lines_;
      ok = Parse(truncated || op_lines_ >= kMaxOpLines || op_.size() >= kMaxOpBytes);
    } else if (StartsGlobalOp(line_)) {
      op_ = line_.substr(line_.find_first_not_of(" \t"));
      op_line_ = line_number_;
      op_lines_ = 1;
      ok = Parse(truncated);
    }
    line_.clear();
    cap_ = kProbeBytes;
    skipping_ = false;
    return ok;
  }

  // Parses the op collected so far; an incomplete op waits for the next line
  // unless this is its last chance.
  bool Parse(bool last_chance) {
    ParameterGlobal global;
    Result<GlobalParse> parsed = ParseParameterGlobal(op_, &global);
    if (!parsed) {
      error_ = fmt::format("line {}: {}", op_line_, parsed.error());
      return false;
    }
    switch (*parsed) {
      case GlobalParse::kIncomplete:
        if (!last_chance) return true;
        if (op_.find("parameter.named") != std::string::npos) {
          error_ = fmt::format("line {}: global @{}: the util.global op never ends", op_line_,
                               global.global);
          return false;
        }
        break;  // an op with a huge inline initializer: not a parameter
      case GlobalParse::kParameter:
        global.line = op_line_;
        globals_->push_back(std::move(global));
        break;
      case GlobalParse::kNotParameter:
        break;
    }
    op_.clear();
    return true;
  }

  std::vector<ParameterGlobal>* globals_;
  std::string error_;
  std::string line_;  // the current line, or its first cap_ bytes
  size_t cap_ = kProbeBytes;
  bool skipping_ = false;
  uint64_t line_number_ = 0;
  std::string op_;  // a util.global op being collected
  uint64_t op_line_ = 0;
  int op_lines_ = 0;
};

}  // namespace

Result<std::vector<ParameterGlobal>> ScanMlirText(std::istream& in) {
  std::vector<ParameterGlobal> globals;
  LineScanner scanner(&globals);
  std::vector<char> block(kBlockBytes);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const std::streamsize got = in.gcount();
    if (got <= 0) break;
    if (!scanner.Feed(block.data(), static_cast<size_t>(got))) return Error{scanner.error()};
  }
  if (in.bad()) return Error{"read error"};
  if (!scanner.Finish()) return Error{scanner.error()};
  return globals;
}

bool IsMlirBytecode(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && std::memcmp(magic, "ML\xefR", 4) == 0;
}

Result<std::vector<ParameterGlobal>> ReadMlirParameters(const fs::path& mlir,
                                                        const fs::path& iree_opt,
                                                        const fs::path& scratch_directory,
                                                        RunEvents* events) {
  fs::path text = mlir;
  fs::path temporary;
  if (IsMlirBytecode(mlir)) {
    if (iree_opt.empty()) {
      return Error{fmt::format(
          "{} is MLIR bytecode, which needs iree-opt to be read, and iree-opt was not found "
          "next to iree-compile",
          mlir.string())};
    }
    std::error_code ec;
    fs::create_directories(scratch_directory, ec);
    temporary = TempPathFor(scratch_directory / "bytecode.mlir");
    const fs::path log = temporary.string() + ".log";
    ProcessSpec spec{
        {iree_opt.string(), mlir.string(), "-o", temporary.string(),
         "--mlir-elide-elementsattrs-if-larger=16", "--mlir-elide-resource-strings-if-larger=16"},
        scratch_directory,
        log,
        {},
        std::nullopt};
    ProcessResult process = RunProcess(spec, events);
    std::string tail = TailOfFile(log);
    fs::remove(log, ec);
    if (!process.Succeeded()) {
      fs::remove(temporary, ec);
      return Error{fmt::format("iree-opt could not print the bytecode {} ({}): {}", mlir.string(),
                               process.Describe(), tail)};
    }
    text = temporary;
  }
  std::ifstream in(text, std::ios::binary);
  Result<std::vector<ParameterGlobal>> globals =
      Error{fmt::format("{}: cannot open: {}", text.string(), std::strerror(errno))};
  if (in) {
    globals = ScanMlirText(in);
    if (!globals) {
      globals =
          Error{fmt::format("{}{}: {}", mlir.string(),
                            temporary.empty() ? "" : " (as printed by iree-opt)", globals.error())};
    }
  }
  if (!temporary.empty()) {
    std::error_code ec;
    fs::remove(temporary, ec);
  }
  return globals;
}

}  // namespace iree_suite
