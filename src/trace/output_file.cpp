#include "trace/output_file.hpp"

#include <zlib.h>
#include <zstd.h>

#include <array>
#include <utility>

#include "vmsim/error.hpp"

namespace vmsim {
namespace {

constexpr std::size_t kBufferBytes = std::size_t{1} << 20;

}  // namespace

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
