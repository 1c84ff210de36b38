// Splits decompressed trace text into lines without allocating per line: each line is a view into
// one reusable buffer, valid until the next call. Also offers the raw buffer to the
// reference-string reader, whose input may be one enormous line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "trace/byte_source.hpp"
#include "vmsim/trace.hpp"

namespace vmsim {

// A line (or an unfinished token) longer than this is an error, which bounds the buffer's memory.
inline constexpr std::size_t kMaxLineBytes = std::size_t{1} << 20;

class LineSource {
 public:
  // `chunk_size` is how many bytes are requested from `source` at a time; tests and fuzzers make it
  // tiny so that lines cross chunk boundaries often.
  LineSource(std::unique_ptr<ByteSource> source, std::string name,
             std::size_t chunk_size = kDefaultChunkSize);

  // The next line without its '\n' and without a trailing '\r'; false at the end of the input. The
  // last line needs no '\n'.
  bool next_line(std::string_view& line) {
    line_ = next_line_number_;
    for (;;) {
      const char* begin = data_.get() + pos_;
      const std::size_t avail = end_ - pos_;
      if (const void* nl = std::memchr(begin + scanned_, '\n', avail - scanned_)) {
        const auto length = static_cast<std::size_t>(static_cast<const char*>(nl) - begin);
        pos_ += length + 1;
        scanned_ = 0;
        ++next_line_number_;
        line = trim_cr(begin, length);
        return true;
      }
      // Remember how far we looked so a long line is not rescanned after every refill.
      scanned_ = avail;
      if (!refill()) {
        if (avail == 0) return false;
        pos_ = end_;
        scanned_ = 0;
        ++next_line_number_;
        line = trim_cr(data_.get() + end_ - avail, avail);
        return true;
      }
    }
  }

  // Raw access for token scanning: the unconsumed bytes are [cursor(), limit()).
  const char* cursor() const { return data_.get() + pos_; }
  const char* limit() const { return data_.get() + end_; }
  void consume_to(const char* p) { pos_ = static_cast<std::size_t>(p - data_.get()); }
  // The token scanner passed a '\n'.
  void newline() { line_ = ++next_line_number_; }
  // Reads more input behind the unconsumed bytes (moving them to the front, so pointers from
  // cursor() become invalid); false at the end of the input.
  bool refill();
  // True once the input has ended: what is buffered is all there is.
  bool at_end() const { return eof_; }

  // The first bytes of the input without consuming them, for format detection: at least 64 KiB
  // unless the input is shorter, cut after the last complete line unless the whole input is there.
  std::string_view head();

  // The line being read: the last one next_line() returned, or where the token scanner is.
  std::uint64_t line() const { return line_; }
  const std::string& name() const { return name_; }
  // Throws vmsim::InputError(name, line, message).
  [[noreturn]] void fail(const std::string& message) const;

  // Addresses beyond the limit are an error at their line (the simulated virtual address space);
  // the default accepts every address.
  void set_address_limit(AddressLimit limit) {
    last_address_ = limit.last_address();
    address_limit_ = std::move(limit);
  }
  const AddressLimit& address_limit() const { return address_limit_; }
  std::uint64_t last_address() const { return last_address_; }

  std::uint64_t bytes_consumed() const { return source_->bytes_consumed(); }
  std::uint64_t bytes_total() const { return source_->bytes_total(); }

 private:
  static std::string_view trim_cr(const char* begin, std::size_t length) {
    if (length > 0 && begin[length - 1] == '\r') --length;
    return {begin, length};
  }

  std::unique_ptr<ByteSource> source_;
  std::string name_;
  std::size_t chunk_size_;
  std::size_t capacity_;
  std::unique_ptr<char[]> data_;
  std::size_t pos_ = 0;      // first unconsumed byte
  std::size_t end_ = 0;      // one past the last buffered byte
  std::size_t scanned_ = 0;  // bytes after pos_ known to hold no '\n'
  bool eof_ = false;
  bool peeking_ = false;
  std::string deferred_error_;  // a read error met by head(), thrown when reading reaches it
  std::uint64_t line_ = 1;
  std::uint64_t next_line_number_ = 1;
  AddressLimit address_limit_;
  std::uint64_t last_address_ = ~std::uint64_t{0};
};

}  // namespace vmsim
