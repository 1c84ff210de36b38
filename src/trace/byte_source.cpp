#include "trace/byte_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "vmsim/error.hpp"

namespace vmsim {
namespace {

std::string errno_text(int err) {
  return std::generic_category().message(err);
}

// Reads a file descriptor with plain read(2): no stdio buffer between the kernel and the line
// buffer.
class FileSource final : public ByteSource {
 public:
  FileSource(std::string path, int fd, bool owned, std::uint64_t total)
      : path_(std::move(path)), fd_(fd), owned_(owned), total_(total) {}
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  ~FileSource() override {
    if (owned_) ::close(fd_);
  }

  std::size_t read(std::span<char> dst) override {
    for (;;) {
      const ssize_t got = ::read(fd_, dst.data(), dst.size());
      if (got >= 0) {
        consumed_ += static_cast<std::uint64_t>(got);
        return static_cast<std::size_t>(got);
      }
      if (errno != EINTR) throw Error("cannot read " + path_ + ": " + errno_text(errno));
    }
  }
  std::uint64_t bytes_consumed() const override { return consumed_; }
  std::uint64_t bytes_total() const override { return total_; }

 private:
  std::string path_;
  int fd_;
  bool owned_;
  std::uint64_t total_;
  std::uint64_t consumed_ = 0;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string data) : data_(std::move(data)) {}

  std::size_t read(std::span<char> dst) override {
    const std::size_t n = std::min(dst.size(), data_.size() - pos_);
    std::memcpy(dst.data(), data_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  std::uint64_t bytes_consumed() const override { return 0; }
  std::uint64_t bytes_total() const override { return 0; }

 private:
  std::string data_;
  std::size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> open_file_source(const std::string& path) {
  if (path == "-") {
    struct stat st {};
    const bool regular = ::fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode);
    return std::make_unique<FileSource>(path, STDIN_FILENO, false,
                                        regular ? static_cast<std::uint64_t>(st.st_size) : 0);
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error("cannot open " + path + ": " + errno_text(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    throw Error("cannot open " + path + ": " + errno_text(err));
  }
  // open(2) succeeds on a directory; say so now rather than fail on the first read.
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw Error("cannot open " + path + ": " + errno_text(EISDIR));
  }
  const std::uint64_t total = S_ISREG(st.st_mode) ? static_cast<std::uint64_t>(st.st_size) : 0;
  return std::make_unique<FileSource>(path, fd, true, total);
}

std::unique_ptr<ByteSource> make_memory_source(std::string data) {
  return std::make_unique<MemorySource>(std::move(data));
}

}  // namespace vmsim
