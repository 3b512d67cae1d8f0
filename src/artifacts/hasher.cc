#include "artifacts/hasher.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

namespace iree_suite {

struct Hasher::State {
  EVP_MD_CTX* context = nullptr;
};

Hasher::Hasher() : state_(std::make_unique<State>()) {
  state_->context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(state_->context, EVP_sha256(), nullptr);
}

Hasher::~Hasher() { EVP_MD_CTX_free(state_->context); }

void Hasher::Update(const void* data, size_t size) {
  EVP_DigestUpdate(state_->context, data, size);
}

void Hasher::Add(std::string_view label, std::string_view bytes) {
  std::string header = fmt::format("{}:{}:", label, bytes.size());
  Update(header.data(), header.size());
  Update(bytes.data(), bytes.size());
}

Status Hasher::AddFile(std::string_view label, const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  uintmax_t size = std::filesystem::file_size(path, ec);
  if (!in || ec) {
    return Error{fmt::format("{}: cannot read: {}", path.string(), std::strerror(errno))};
  }
  std::string header = fmt::format("{}:{}:", label, size);
  Update(header.data(), header.size());
  std::vector<char> block(1 << 20);
  uintmax_t total = 0;
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    std::streamsize got = in.gcount();
    if (got <= 0) break;
    Update(block.data(), static_cast<size_t>(got));
    total += static_cast<uintmax_t>(got);
  }
  if (total != size) return Error{fmt::format("{}: changed while being read", path.string())};
  return {};
}

std::string Hasher::HexDigest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(state_->context, digest, &length);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace iree_suite
