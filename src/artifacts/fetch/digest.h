// Digests and encodings that downloads need: streaming MD5 (what servers such
// as Azure blob storage publish as Content-MD5), SHA-256 for cache keys, and
// base64/hex to compare them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace iree_suite {

// MD5 fed incrementally, so a file is hashed while it streams to disk.
class Md5Stream {
 public:
  Md5Stream();
  ~Md5Stream();
  Md5Stream(const Md5Stream&) = delete;
  Md5Stream& operator=(const Md5Stream&) = delete;

  void Reset();
  void Update(const void* data, size_t size);
  // Hashes the first `size` bytes of a file (resuming a partial download).
  // Returns an error message, empty on success.
  std::string UpdateFromFile(const std::filesystem::path& path, uint64_t size);
  // The 16 raw digest bytes of what was fed so far; the stream stays usable.
  std::string Digest() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::string Sha256Hex(std::string_view bytes);
std::string HexEncode(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);
// Standard alphabet, padding optional; nullopt on any other character.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace iree_suite
