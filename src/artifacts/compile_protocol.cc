#include "artifacts/compile_protocol.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace iree_suite {
namespace {

constexpr size_t kMaxStrings = 1 << 16;
constexpr size_t kMaxStringBytes = 64 << 20;
constexpr int kRestOfMessageMs = 10000;

bool WriteAll(int fd, const std::string& bytes) {
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<size_t>(n);
  }
  return true;
}

std::optional<size_t> ParseCount(const std::string& text, size_t limit) {
  if (text.empty() || text.size() > 12 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  size_t value = std::stoull(text);
  if (value > limit) return std::nullopt;
  return value;
}

}  // namespace

bool WriteWorkerMessage(int fd, const WorkerMessage& message) {
  std::string bytes = std::to_string(message.size()) + "\n";
  for (const std::string& part : message) bytes += std::to_string(part.size()) + "\n" + part;
  return WriteAll(fd, bytes);
}

bool WorkerMessageReader::Fill(int timeout_ms, bool* timed_out) {
  pollfd ready{fd_, POLLIN, 0};
  for (;;) {
    int n = ::poll(&ready, 1, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) *timed_out = true;
    if (n <= 0) return false;
    break;
  }
  char chunk[65536];
  for (;;) {
    ssize_t n = ::read(fd_, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
}

bool WorkerMessageReader::ReadLine(int timeout_ms, bool* timed_out, std::string* line) {
  size_t end;
  while ((end = buffer_.find('\n')) == std::string::npos) {
    if (buffer_.size() > 32 || !Fill(timeout_ms, timed_out)) return false;
  }
  *line = buffer_.substr(0, end);
  buffer_.erase(0, end + 1);
  return true;
}

bool WorkerMessageReader::ReadBytes(size_t size, int timeout_ms, bool* timed_out,
                                    std::string* bytes) {
  while (buffer_.size() < size) {
    if (!Fill(timeout_ms, timed_out)) return false;
  }
  *bytes = buffer_.substr(0, size);
  buffer_.erase(0, size);
  return true;
}

std::optional<WorkerMessage> WorkerMessageReader::Read(int timeout_ms, bool* timed_out) {
  *timed_out = false;
  std::string line;
  if (!ReadLine(timeout_ms, timed_out, &line)) return std::nullopt;
  std::optional<size_t> count = ParseCount(line, kMaxStrings);
  if (!count) return std::nullopt;
  // The rest of a started message follows at once; one that stalls is broken.
  bool stalled = false;
  WorkerMessage message(*count);
  for (std::string& part : message) {
    if (!ReadLine(kRestOfMessageMs, &stalled, &line)) return std::nullopt;
    std::optional<size_t> size = ParseCount(line, kMaxStringBytes);
    if (!size || !ReadBytes(*size, kRestOfMessageMs, &stalled, &part)) return std::nullopt;
  }
  return message;
}

}  // namespace iree_suite
