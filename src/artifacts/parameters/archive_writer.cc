#include "artifacts/parameters/archive_writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <system_error>
#include <thread>

#include "artifacts/parameters/counter_rng.h"
#include "artifacts/parameters/irpa_format.h"
#include "artifacts/parameters/parameter_fill.h"
#include "base/atomic_file.h"

namespace iree_suite {
namespace {

namespace fs = std::filesystem;

// A slice of one parameter that one thread fills and writes.
struct Block {
  size_t parameter;
  uint64_t first_byte;  // within the parameter
  uint64_t size;
};

std::string WriteAt(int fd, const void* data, size_t size, uint64_t offset) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::pwrite(fd, bytes, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fmt::format("write failed: {}", std::strerror(n < 0 ? errno : EIO));
    bytes += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return {};
}

// Fills and writes every data entry with a pool of threads.
class RandomDataWriter {
 public:
  RandomDataWriter(const ArchiveContents& contents, const IrpaLayout& layout, int fd,
                   const ArchiveWriteOptions& options)
      : contents_(contents), layout_(layout), fd_(fd), options_(options) {
    for (size_t i = 0; i < contents.parameters.size(); ++i) {
      const ArchiveParameter& parameter = contents.parameters[i];
      keys_.push_back(ParameterStreamKey(contents.seed, parameter.name));
      const size_t element = ElementByteSize(parameter.type);
      const uint64_t block = std::max<size_t>(1, options.block_bytes / element) * element;
      max_block_ = std::max(max_block_, std::min(block, parameter.byte_length));
      for (uint64_t first = 0; first < parameter.byte_length; first += block) {
        blocks_.push_back({i, first, std::min(block, parameter.byte_length - first)});
      }
      total_ += parameter.byte_length;
    }
  }

  std::string Run() {
    if (blocks_.empty()) return {};
    unsigned threads = options_.threads;
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<size_t>(threads, blocks_.size()));
    // A first report right away: a long wait should not start in silence.
    if (options_.progress) options_.progress(0, total_);
    std::vector<std::thread> pool;
    try {
      for (unsigned t = 0; t < threads; ++t) pool.emplace_back([this] { Work(); });
    } catch (const std::system_error& e) {
      Fail(fmt::format("cannot start a thread: {}", e.what()));
      threads = static_cast<unsigned>(pool.size());  // wait for those that did start
    }
    {
      const auto interval = std::chrono::duration<double>(options_.progress_interval_s);
      std::unique_lock<std::mutex> lock(mutex_);
      while (!all_done_.wait_for(lock, interval, [&] { return finished_ == threads; })) {
        if (!options_.progress) continue;
        lock.unlock();
        options_.progress(written_.load(), total_);
        lock.lock();
      }
    }
    for (std::thread& thread : pool) thread.join();
    return error_;
  }

 private:
  void Work() {
    std::vector<uint8_t> buffer(max_block_);
    while (!failed_.load()) {
      const size_t index = next_.fetch_add(1);
      if (index >= blocks_.size()) break;
      if (options_.cancelled && options_.cancelled()) {
        Fail("interrupted");
        break;
      }
      const Block& block = blocks_[index];
      const ArchiveParameter& parameter = contents_.parameters[block.parameter];
      const size_t element = ElementByteSize(parameter.type);
      FillRandom(parameter.type, keys_[block.parameter], block.first_byte / element,
                 block.size / element, buffer.data());
      std::string error = WriteAt(fd_, buffer.data(), block.size,
                                  layout_.data_offsets[block.parameter] + block.first_byte);
      if (!error.empty()) {
        Fail(error);
        break;
      }
      written_.fetch_add(block.size);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    ++finished_;
    all_done_.notify_all();
  }

  void Fail(const std::string& error) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!failed_.exchange(true)) error_ = error;
  }

  const ArchiveContents& contents_;
  const IrpaLayout& layout_;
  const int fd_;
  const ArchiveWriteOptions& options_;
  std::vector<uint64_t> keys_;
  std::vector<Block> blocks_;
  uint64_t max_block_ = 0;
  uint64_t total_ = 0;

  std::atomic<size_t> next_{0};
  std::atomic<uint64_t> written_{0};
  std::atomic<bool> failed_{false};
  std::mutex mutex_;
  std::condition_variable all_done_;
  unsigned finished_ = 0;
  std::string error_;
};

std::string WriteFile(const ArchiveContents& contents, const IrpaLayout& layout, int fd,
                      const ArchiveWriteOptions& options) {
  // Sized up front, since blocks land in any order. Reserving the space
  // fails cleanly on a full disk and spares the filesystem allocating
  // blocks one by one as data arrives (about twice as fast on ext4).
  const off_t size = static_cast<off_t>(layout.file_size);
  if (::fallocate(fd, 0, 0, size) != 0) {
    if (errno != EOPNOTSUPP && errno != ENOSYS) {
      return fmt::format("cannot reserve {} bytes: {}", layout.file_size, std::strerror(errno));
    }
    if (::ftruncate(fd, size) != 0) {
      return fmt::format("cannot size the file to {} bytes: {}", layout.file_size,
                         std::strerror(errno));
    }
  }
  if (std::string error = WriteAt(fd, layout.head.data(), layout.head.size(), 0); !error.empty()) {
    return error;
  }
  if (contents.kind != ArchiveContents::Kind::kRandom) return {};
  return RandomDataWriter(contents, layout, fd, options).Run();
}

// Refuses an archive that cannot fit in the free space of `directory`, before
// anything is allocated (fallocate may succeed sparsely on some filesystems).
std::string CheckFreeSpace(const fs::path& directory, uint64_t file_size) {
  struct statvfs stats;
  if (::statvfs(directory.c_str(), &stats) != 0) return {};  // unknown: fallocate will tell
  const uint64_t free_bytes = static_cast<uint64_t>(stats.f_bavail) * stats.f_frsize;
  if (file_size <= free_bytes) return {};
  return fmt::format("the archive needs {} bytes, {} has {} free", file_size, directory.string(),
                     free_bytes);
}

}  // namespace

uint64_t ArchiveDataBytes(const ArchiveContents& contents) {
  if (contents.kind != ArchiveContents::Kind::kRandom) return 0;
  uint64_t total = 0;
  for (const ArchiveParameter& parameter : contents.parameters) total += parameter.byte_length;
  return total;
}

Status WriteParameterArchive(const ArchiveContents& contents, const fs::path& path,
                             const ArchiveWriteOptions& options) {
  std::vector<IrpaEntry> entries;
  for (const ArchiveParameter& parameter : contents.parameters) {
    IrpaEntry entry{parameter.name, parameter.byte_length, {}};
    if (contents.kind == ArchiveContents::Kind::kSplat) {
      entry.splat_pattern = SplatPattern(parameter.type, contents.splat_value);
    }
    entries.push_back(std::move(entry));
  }
  Result<IrpaLayout> laid_out = LayoutIrpa(entries);
  if (!laid_out) return Error{laid_out.error()};
  const IrpaLayout& layout = *laid_out;
  std::string error;

  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  error =
      CheckFreeSpace(path.has_parent_path() ? path.parent_path() : fs::path("."), layout.file_size);
  if (!error.empty()) return Error{fmt::format("{}: {}", path.string(), error)};
  const fs::path temp = TempPathFor(path);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Error{fmt::format("{}: cannot create: {}", temp.string(), std::strerror(errno))};
  }
  error = WriteFile(contents, layout, fd, options);
  if (::close(fd) != 0 && error.empty()) {
    error = fmt::format("cannot close: {}", std::strerror(errno));
  }
  if (!error.empty()) {
    fs::remove(temp, ec);
    return Error{fmt::format("{}: {}", temp.string(), error)};
  }
  // Another runner may have published the same archive meanwhile: keep theirs.
  if (!options.replace_existing && fs::exists(path, ec)) {
    fs::remove(temp, ec);
    return {};
  }
  fs::rename(temp, path, ec);
  if (ec) {
    Error failed{fmt::format("{}: cannot rename into place: {}", path.string(), ec.message())};
    fs::remove(temp, ec);
    return failed;
  }
  return {};
}

}  // namespace iree_suite
