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

#include "base/result.h"

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
  [[nodiscard]] Status UpdateFromFile(const std::filesystem::path& path, uint64_t size);
  // The 16 raw digest bytes of what was fed so far; the stream stays usable.
  std::string Digest() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// MD5 computed on a thread of its own, so that a download's receiving thread
// only copies each chunk and goes back to the socket: the hash keeps pace
// with the transfer instead of adding to it. Memory stays bounded (a few
// 1 MiB blocks); Update() waits when the hashing thread falls behind.
class BackgroundMd5 {
 public:
  BackgroundMd5();
  ~BackgroundMd5();
  BackgroundMd5(const BackgroundMd5&) = delete;
  BackgroundMd5& operator=(const BackgroundMd5&) = delete;

  void Reset();
  void Update(const void* data, size_t size);
  // As Md5Stream::UpdateFromFile, after the bytes already queued.
  [[nodiscard]] Status UpdateFromFile(const std::filesystem::path& path, uint64_t size);
  // Waits for every queued byte, then as Md5Stream::Digest.
  std::string Digest();

 private:
  struct Queue;
  void HashBlocks();
  void Drain();

  Md5Stream md5_;  // the thread's, except while the queue is drained
  std::unique_ptr<Queue> queue_;
};

std::string Sha256Hex(std::string_view bytes);
std::string HexEncode(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);
// Standard alphabet, padding optional; nullopt on any other character.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace iree_suite
