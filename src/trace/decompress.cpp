// gzip and zstd decompression as ByteSources, chosen by the magic bytes at the start of the input.
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include "trace/byte_source.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

constexpr std::array<unsigned char, 2> kGzipMagic{0x1f, 0x8b};
constexpr std::array<unsigned char, 4> kZstdMagic{0x28, 0xb5, 0x2f, 0xfd};

// The magic bytes read while detecting compression, served before the rest of the raw input.
class PrefixedSource final : public ByteSource {
 public:
  PrefixedSource(std::string prefix, std::unique_ptr<ByteSource> inner)
      : prefix_(std::move(prefix)), inner_(std::move(inner)) {}

  std::size_t read(std::span<char> dst) override {
    if (pos_ < prefix_.size()) {
      const std::size_t n = std::min(dst.size(), prefix_.size() - pos_);
      std::memcpy(dst.data(), prefix_.data() + pos_, n);
      pos_ += n;
      return n;
    }
    return inner_->read(dst);
  }
  std::uint64_t bytes_consumed() const override { return inner_->bytes_consumed(); }
  std::uint64_t bytes_total() const override { return inner_->bytes_total(); }

 private:
  std::string prefix_;
  std::unique_ptr<ByteSource> inner_;
  std::size_t pos_ = 0;
};

// Compressed input buffered for a decompressor; starts with the magic bytes already read.
class CompressedInput {
 public:
  CompressedInput(std::string prefix, std::unique_ptr<ByteSource> inner, std::size_t chunk_size)
      : inner_(std::move(inner)),
        capacity_(std::max(chunk_size, prefix.size())),
        buffer_(std::make_unique_for_overwrite<char[]>(capacity_)),
        size_(prefix.size()) {
    std::memcpy(buffer_.get(), prefix.data(), prefix.size());
  }

  const char* data() const { return buffer_.get() + pos_; }
  std::size_t size() const { return size_ - pos_; }
  void consume(std::size_t n) { pos_ += n; }
  bool eof() const { return eof_ && pos_ == size_; }

  // Reads more once everything buffered has been consumed; returns false at the end of the input.
  bool refill() {
    if (pos_ < size_) return true;
    pos_ = 0;
    size_ = eof_ ? 0 : inner_->read(std::span<char>(buffer_.get(), capacity_));
    if (size_ == 0) eof_ = true;
    return size_ > 0;
  }

  const ByteSource& inner() const { return *inner_; }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::size_t capacity_;
  std::unique_ptr<char[]> buffer_;
  std::size_t size_;
  std::size_t pos_ = 0;
  bool eof_ = false;
};

class GzipSource final : public ByteSource {
 public:
  GzipSource(std::string prefix, std::unique_ptr<ByteSource> inner, std::size_t chunk_size)
      : in_(std::move(prefix), std::move(inner), chunk_size) {
    // 16 + MAX_WBITS: expect a gzip header and trailer, not a raw zlib stream.
    if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) throw Error("cannot start gzip decoder");
  }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;
  ~GzipSource() override { inflateEnd(&stream_); }

  std::size_t read(std::span<char> dst) override {
    if (!error_.empty()) throw Error(error_);
    // zlib counts in 32-bit units; a smaller request is always allowed.
    const auto want =
        static_cast<uInt>(std::min<std::size_t>(dst.size(), std::numeric_limits<uInt>::max()));
    for (;;) {
      const bool more = in_.refill();
      if (member_done_) {
        if (!more) return 0;
        // gzip allows several members back to back (`cat a.gz b.gz`); decode the next one.
        inflateReset(&stream_);
        member_done_ = false;
      }
      // Called even with no input left: a long match may still be copying out of the window.
      stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in_.data()));
      stream_.avail_in =
          static_cast<uInt>(std::min<std::size_t>(in_.size(), std::numeric_limits<uInt>::max()));
      stream_.next_out = reinterpret_cast<Bytef*>(dst.data());
      stream_.avail_out = want;
      const uInt avail_before = stream_.avail_in;
      const int ret = inflate(&stream_, Z_NO_FLUSH);
      in_.consume(avail_before - stream_.avail_in);
      if (ret == Z_STREAM_END) {
        member_done_ = true;
      } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
        error_ = std::string("corrupt gzip data (") +
                 (stream_.msg != nullptr ? stream_.msg : "inflate failed") + ")";
      }
      const std::size_t produced = want - stream_.avail_out;
      // Text decoded before the damage is handed out first, so the error names the line it is in.
      if (produced > 0) return produced;
      if (!error_.empty()) throw Error(error_);
      if (!more && !member_done_) throw Error("truncated gzip data");
    }
  }
  std::uint64_t bytes_consumed() const override { return in_.inner().bytes_consumed(); }
  std::uint64_t bytes_total() const override { return in_.inner().bytes_total(); }

 private:
  CompressedInput in_;
  z_stream stream_{};
  bool member_done_ = false;
  std::string error_;  // corruption found after some output was decoded; thrown on the next read
};

class ZstdSource final : public ByteSource {
 public:
  ZstdSource(std::string prefix, std::unique_ptr<ByteSource> inner, std::size_t chunk_size)
      : in_(std::move(prefix), std::move(inner), chunk_size), stream_(ZSTD_createDStream()) {
    if (stream_ == nullptr) throw Error("cannot start zstd decoder");
  }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;
  ~ZstdSource() override { ZSTD_freeDStream(stream_); }

  std::size_t read(std::span<char> dst) override {
    if (!error_.empty()) throw Error(error_);
    for (;;) {
      const bool more = in_.refill();
      ZSTD_inBuffer input{in_.data(), in_.size(), 0};
      ZSTD_outBuffer output{dst.data(), dst.size(), 0};
      // With no input left this call only flushes what the decoder still holds.
      const std::size_t ret = ZSTD_decompressStream(stream_, &output, &input);
      in_.consume(input.pos);
      if (ZSTD_isError(ret)) {
        // Text decoded before the damage is handed out first, so the error names the line it is in.
        error_ = std::string("corrupt zstd data (") + ZSTD_getErrorName(ret) + ")";
        if (output.pos > 0) return output.pos;
        throw Error(error_);
      }
      // 0 means a frame ended and everything decoded from it has been handed out. A call that moved
      // nothing says nothing about the frame (after a frame it returns the next header's size).
      if (input.pos > 0 || output.pos > 0) frame_done_ = ret == 0;
      if (output.pos > 0) return output.pos;
      if (!more) {
        if (frame_done_) return 0;
        throw Error("truncated zstd data");
      }
    }
  }
  std::uint64_t bytes_consumed() const override { return in_.inner().bytes_consumed(); }
  std::uint64_t bytes_total() const override { return in_.inner().bytes_total(); }

 private:
  CompressedInput in_;
  ZSTD_DStream* stream_;
  bool frame_done_ = false;
  std::string error_;  // corruption found after some output was decoded; thrown on the next read
};

template <std::size_t N>
bool starts_with(const std::string& bytes, const std::array<unsigned char, N>& magic) {
  if (bytes.size() < N) return false;
  return std::equal(magic.begin(), magic.end(), bytes.begin(),
                    [](unsigned char m, char b) { return m == static_cast<unsigned char>(b); });
}

}  // namespace

std::unique_ptr<ByteSource> make_prefixed_source(std::string prefix,
                                                 std::unique_ptr<ByteSource> inner) {
  return std::make_unique<PrefixedSource>(std::move(prefix), std::move(inner));
}

std::string read_prefix(ByteSource& source, std::size_t n) {
  // A pipe may return fewer bytes than asked for, so read until there are n or the input ends.
  std::string bytes(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    const std::size_t k = source.read(std::span<char>(bytes.data() + got, n - got));
    if (k == 0) break;
    got += k;
  }
  bytes.resize(got);
  return bytes;
}

std::unique_ptr<ByteSource> with_decompression(std::unique_ptr<ByteSource> raw,
                                               std::size_t chunk_size) {
  std::string magic = read_prefix(*raw, kZstdMagic.size());
  if (starts_with(magic, kGzipMagic)) {
    return std::make_unique<GzipSource>(std::move(magic), std::move(raw), chunk_size);
  }
  if (starts_with(magic, kZstdMagic)) {
    return std::make_unique<ZstdSource>(std::move(magic), std::move(raw), chunk_size);
  }
  return std::make_unique<PrefixedSource>(std::move(magic), std::move(raw));
}

}  // namespace vmsim
