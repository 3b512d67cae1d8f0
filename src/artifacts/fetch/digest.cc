#include "artifacts/fetch/digest.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

namespace iree_suite {

struct Md5Stream::State {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~State() { EVP_MD_CTX_free(ctx); }
};

Md5Stream::Md5Stream() : state_(std::make_unique<State>()) { Reset(); }
Md5Stream::~Md5Stream() = default;

void Md5Stream::Reset() { EVP_DigestInit_ex(state_->ctx, EVP_md5(), nullptr); }

void Md5Stream::Update(const void* data, size_t size) { EVP_DigestUpdate(state_->ctx, data, size); }

Status Md5Stream::UpdateFromFile(const std::filesystem::path& path, uint64_t size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno))};
  std::vector<char> buffer(1 << 20);
  while (size > 0) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(size, buffer.size()));
    in.read(buffer.data(), static_cast<std::streamsize>(want));
    if (static_cast<size_t>(in.gcount()) != want) {
      return Error{fmt::format("{}: shorter than {} bytes", path.string(), size)};
    }
    Update(buffer.data(), want);
    size -= want;
  }
  return {};
}

std::string Md5Stream::Digest() const {
  // Finalize a copy, so the stream can go on after a look at the digest.
  EVP_MD_CTX* copy = EVP_MD_CTX_new();
  EVP_MD_CTX_copy_ex(copy, state_->ctx);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(copy, digest.data(), &length);
  EVP_MD_CTX_free(copy);
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

namespace {
constexpr size_t kBlockBytes = 1 << 20;
constexpr size_t kMaxBlocks = 8;
}  // namespace

struct BackgroundMd5::Queue {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::vector<char>> full;    // waiting to be hashed, in order
  std::vector<std::vector<char>> spare;  // hashed, for reuse
  std::vector<char> current;             // being filled by Update()
  size_t blocks = 0;                     // allocated, all lists together
  bool hashing = false;                  // the thread holds a block
  bool stop = false;
  std::thread thread;
};

BackgroundMd5::BackgroundMd5() : queue_(std::make_unique<Queue>()) {
  queue_->thread = std::thread([this] { HashBlocks(); });
}

BackgroundMd5::~BackgroundMd5() {
  {
    std::lock_guard<std::mutex> lock(queue_->mutex);
    queue_->stop = true;
  }
  queue_->changed.notify_all();
  queue_->thread.join();
}

void BackgroundMd5::HashBlocks() {
  Queue& queue = *queue_;
  std::unique_lock<std::mutex> lock(queue.mutex);
  for (;;) {
    queue.changed.wait(lock, [&] { return queue.stop || !queue.full.empty(); });
    if (queue.full.empty()) return;  // stopping, nothing left
    std::vector<char> block = std::move(queue.full.front());
    queue.full.pop_front();
    queue.hashing = true;
    lock.unlock();
    md5_.Update(block.data(), block.size());
    lock.lock();
    queue.hashing = false;
    block.clear();
    queue.spare.push_back(std::move(block));
    queue.changed.notify_all();
  }
}

void BackgroundMd5::Update(const void* data, size_t size) {
  Queue& queue = *queue_;
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    if (queue.current.capacity() == 0) {
      std::unique_lock<std::mutex> lock(queue.mutex);
      queue.changed.wait(lock, [&] { return !queue.spare.empty() || queue.blocks < kMaxBlocks; });
      if (!queue.spare.empty()) {
        queue.current = std::move(queue.spare.back());
        queue.spare.pop_back();
      } else {
        ++queue.blocks;
        queue.current.reserve(kBlockBytes);
      }
    }
    const size_t take = std::min(size, kBlockBytes - queue.current.size());
    queue.current.insert(queue.current.end(), bytes, bytes + take);
    bytes += take;
    size -= take;
    if (queue.current.size() == kBlockBytes) {
      std::lock_guard<std::mutex> lock(queue.mutex);
      queue.full.push_back(std::move(queue.current));
      queue.current = {};
      queue.changed.notify_all();
    }
  }
}

void BackgroundMd5::Drain() {
  Queue& queue = *queue_;
  std::unique_lock<std::mutex> lock(queue.mutex);
  if (!queue.current.empty()) {
    queue.full.push_back(std::move(queue.current));
    queue.current = {};
    queue.changed.notify_all();
  }
  queue.changed.wait(lock, [&] { return queue.full.empty() && !queue.hashing; });
}

void BackgroundMd5::Reset() {
  Drain();
  md5_.Reset();
}

Status BackgroundMd5::UpdateFromFile(const std::filesystem::path& path, uint64_t size) {
  Drain();
  return md5_.UpdateFromFile(path, size);
}

std::string BackgroundMd5::Digest() {
  Drain();
  return md5_.Digest();
}

std::string Sha256Hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return hex;
}

namespace {
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : bytes) {
    bits = (bits << 8) | c;
    count += 8;
    while (count >= 6) {
      count -= 6;
      out += kBase64[(bits >> count) & 63];
    }
  }
  if (count > 0) out += kBase64[(bits << (6 - count)) & 63];
  while (out.size() % 4 != 0) out += '=';
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    const char* found = std::strchr(kBase64, c);
    if (c == '\0' || found == nullptr) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(found - kBase64);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  return out;
}

}  // namespace iree_suite
