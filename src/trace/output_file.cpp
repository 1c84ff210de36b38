#include "trace/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "vmsim/error.hpp"

namespace vmsim {
namespace {

constexpr std::size_t kBufferBytes = std::size_t{1} << 20;

std::string errno_text(int err) {
  return std::generic_category().message(err);
}

// The temporary file sits in the target's directory so that the final rename stays within one file
// system, and is hidden (a leading dot) so a half-written trace is not mistaken for a finished one.
std::string temp_pattern(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return dir + "." + name + ".tmp-XXXXXX";
}

}  // namespace

OutputFile::OutputFile(std::string path, bool allow_stdout)
    : path_(std::move(path)), buffer_(std::make_unique_for_overwrite<char[]>(kBufferBytes)) {
  if (path_ == "-") {
    if (!allow_stdout) {
      throw Error("cannot write this format to standard output ('-'): give a file name");
    }
    fd_ = STDOUT_FILENO;
    return;
  }
  if (path_.empty()) throw Error("cannot write a trace: empty file name");
  temp_ = temp_pattern(path_);
  fd_ = ::mkostemp(temp_.data(), O_CLOEXEC);
  if (fd_ < 0) throw Error("cannot write " + path_ + ": " + errno_text(errno));
}

OutputFile::~OutputFile() {
  if (fd_ >= 0 && !temp_.empty()) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void OutputFile::fail(int err) {
  throw Error("cannot write " + path_ + ": " + errno_text(err));
}

void OutputFile::write(const void* data, std::size_t size) {
  if (used_ + size > kBufferBytes) flush();
  if (size >= kBufferBytes) {
    write_fd(static_cast<const char*>(data), size);
    return;
  }
  std::memcpy(buffer_.get() + used_, data, size);
  used_ += size;
}

void OutputFile::flush() {
  write_fd(buffer_.get(), used_);
  used_ = 0;
}

void OutputFile::write_fd(const char* data, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd_, data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(errno);
    }
    done += static_cast<std::size_t>(n);
  }
  written_ += size;
}

void OutputFile::commit() {
  if (committed_) return;
  flush();
  if (temp_.empty()) {
    committed_ = true;
    return;
  }
  // mkstemp creates 0600; a trace should get the permissions any new file gets.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) fail(errno);
  if (::rename(temp_.c_str(), path_.c_str()) != 0) fail(errno);
  committed_ = true;
}

// Streaming gzip (zlib) or zstd compression into an OutputFile.
class TextOutput::Compressor {
 public:
  explicit Compressor(bool zstd) : zstd_(zstd) {
    if (zstd_) {
      cctx_ = ZSTD_createCCtx();
      if (cctx_ == nullptr) throw Error("cannot start zstd compressor");
      ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, 6);
      ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1);
    } else if (deflateInit2(&z_, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw Error("cannot start gzip compressor");
    }
  }
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;
  ~Compressor() {
    if (zstd_) {
      ZSTD_freeCCtx(cctx_);
    } else {
      deflateEnd(&z_);
    }
  }

  void compress(std::string_view in, bool last, OutputFile& file) {
    if (zstd_) {
      ZSTD_inBuffer input{in.data(), in.size(), 0};
      for (;;) {
        ZSTD_outBuffer output{out_.data(), out_.size(), 0};
        const std::size_t left =
            ZSTD_compressStream2(cctx_, &output, &input, last ? ZSTD_e_end : ZSTD_e_continue);
        if (ZSTD_isError(left)) throw Error(std::string("zstd: ") + ZSTD_getErrorName(left));
        file.write(out_.data(), output.pos);
        if (last ? left == 0 : input.pos == input.size) break;
      }
      return;
    }
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    for (;;) {
      z_.next_out = reinterpret_cast<Bytef*>(out_.data());
      z_.avail_out = static_cast<uInt>(out_.size());
      const int ret = deflate(&z_, last ? Z_FINISH : Z_NO_FLUSH);
      if (ret == Z_STREAM_ERROR) throw Error("gzip compression failed");
      file.write(out_.data(), out_.size() - z_.avail_out);
      if (last ? ret == Z_STREAM_END : z_.avail_in == 0 && z_.avail_out != 0) break;
    }
  }

 private:
  bool zstd_;
  ZSTD_CCtx* cctx_ = nullptr;
  z_stream z_{};
  std::array<char, 1 << 16> out_{};
};

TextOutput::TextOutput(std::string path, bool allow_stdout) : file_(std::move(path), allow_stdout) {
  const std::string& p = file_.path();
  if (p.ends_with(".zst")) {
    compressor_ = std::make_unique<Compressor>(true);
  } else if (p.ends_with(".gz")) {
    compressor_ = std::make_unique<Compressor>(false);
  }
  pending_.reserve(kBufferBytes);
}

TextOutput::~TextOutput() = default;

void TextOutput::write(std::string_view text) {
  if (compressor_ == nullptr) {
    file_.write(text);
    return;
  }
  pending_.append(text);
  if (pending_.size() >= kBufferBytes) drain(false);
}

void TextOutput::drain(bool last) {
  compressor_->compress(pending_, last, file_);
  pending_.clear();
}

void TextOutput::commit() {
  if (compressor_ != nullptr) drain(true);
  file_.commit();
}

}  // namespace vmsim
