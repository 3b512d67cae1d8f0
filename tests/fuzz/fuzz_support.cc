#include "fuzz_support.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace iree_suite::fuzz {
namespace {

std::filesystem::path ScratchDirectory() {
  // Memory-backed where there is one: writing a file per input on disk makes the parsers that
  // read paths run ten times slower.
  std::error_code error;
  const std::filesystem::path base = std::filesystem::is_directory("/dev/shm", error)
                                         ? std::filesystem::path("/dev/shm")
                                         : std::filesystem::temp_directory_path();
  return base / ("iree-suite-fuzz-" + std::to_string(getpid()));
}

}  // namespace

std::filesystem::path WriteScratchFile(std::string_view name, std::string_view contents) {
  static const std::filesystem::path directory = [] {
    std::filesystem::create_directories(ScratchDirectory());
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(ScratchDirectory(), ignored);
    });
    return ScratchDirectory();
  }();
  std::filesystem::path file = directory / name;
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  Check(out.good(), "the scratch file is written", file.string());
  return file;
}

}  // namespace iree_suite::fuzz
