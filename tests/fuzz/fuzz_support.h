// Shared by the libFuzzer harnesses: invariant checks that stop with a message, a scratch file
// for parsers that read paths, and a guard that turns an escaping exception into a finding.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <string_view>

namespace iree_suite::fuzz {

// Stops the run (a libFuzzer crash, a failed replay test) when an invariant does not hold.
inline void Check(bool holds, std::string_view invariant, std::string_view detail = "") {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant violated: %.*s\n  %.*s\n",
               static_cast<int>(invariant.size()), invariant.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// Runs `body`; an exception escaping it is a finding: the parsers must report errors instead.
template <typename Body>
void NoExceptionEscapes(Body&& body) {
  try {
    body();
  } catch (const std::exception& e) {
    Check(false, "no exception escapes the parser", e.what());
  } catch (...) {
    Check(false, "no exception escapes the parser", "a non-std exception");
  }
}

// The text of a fuzz input (any bytes, NULs included).
inline std::string InputText(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// One file per process under the temporary directory, rewritten for every input, for the
// parsers whose entry point is a path (as the runner calls them).
std::filesystem::path WriteScratchFile(std::string_view name, std::string_view contents);

}  // namespace iree_suite::fuzz
