// SHA-256 cache keys built from labelled inputs, so that different inputs can
// never concatenate to the same bytes.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace iree_suite {

class Hasher {
 public:
  Hasher();
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  // Adds "<label>:<size>:" then the bytes: unambiguous whatever the contents.
  void Add(std::string_view label, std::string_view bytes);
  // Adds a file's bytes under `label`, streamed in fixed-size blocks.
  [[nodiscard]] Status AddFile(std::string_view label, const std::filesystem::path& path);
  // Lowercase hex digest; the hasher cannot be used afterwards.
  std::string HexDigest();

 private:
  void Update(const void* data, size_t size);
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace iree_suite
