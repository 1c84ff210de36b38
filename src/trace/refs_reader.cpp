// Reference strings: page numbers separated by whitespace or commas, a `w`, `W` or `*` suffix
// marking a write. Scanned token by token rather than line by line: a generated string may be one
// huge line.
#include <utility>

#include "trace/parse_util.hpp"
#include "trace/readers.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

constexpr bool is_separator(char c) {
  return is_space(c) || c == ',' || c == '\n';
}

// Longer than any valid page number with a suffix ("0x" and 16 digits, or 20 digits, plus 'w'),
// short enough that garbage without separators is reported at once instead of filling the buffer.
constexpr std::size_t kMaxTokenBytes = 64;

class RefsReader final : public TraceReader {
 public:
  RefsReader(std::unique_ptr<LineSource> lines, std::uint64_t page_size)
      : lines_(std::move(lines)), page_size_(page_size) {}

  std::size_t read(std::span<Access> out) override {
    std::size_t n = 0;
    std::string_view token;
    while (n < out.size() && next_token(token)) out[n++] = to_access(token);
    return n;
  }
  std::uint64_t bytes_consumed() const override { return lines_->bytes_consumed(); }
  std::uint64_t bytes_total() const override { return lines_->bytes_total(); }
  TraceFormat format() const override { return TraceFormat::Refs; }

 private:
  // The next token, valid until the next call; false at the end of the input.
  bool next_token(std::string_view& token) {
    LineSource& src = *lines_;
    for (;;) {
      const char* p = src.cursor();
      const char* end = src.limit();
      bool need_more = true;
      while (p < end) {
        if (in_comment_) {
          const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
          if (nl == nullptr) {
            p = end;
            break;
          }
          p = static_cast<const char*>(nl);
          in_comment_ = false;
        }
        const char c = *p;
        if (c == '\n') {
          src.newline();
          ++p;
        } else if (is_separator(c)) {
          ++p;
        } else if (c == '#') {
          in_comment_ = true;
          ++p;
        } else {
          const char* q = p;
          while (q < end && !is_separator(*q) && *q != '#') ++q;
          const auto length = static_cast<std::size_t>(q - p);
          if (length > kMaxTokenBytes) {
            src.fail("bad page number " + quote(std::string_view(p, length)) + " (too long)");
          }
          if (q == end && !src.at_end()) {
            // The token may continue in the next chunk: keep it, read more and scan again.
            src.consume_to(p);
            src.refill();
            need_more = false;
            break;
          }
          token = std::string_view(p, length);
          src.consume_to(q);
          return true;
        }
      }
      if (need_more) {
        src.consume_to(p);
        if (!src.refill()) return false;
      }
    }
  }

  Access to_access(std::string_view token) const {
    Access access;
    std::string_view number = token;
    const char last = token.back();
    if (last == 'w' || last == 'W' || last == '*') {
      access.op = Op::Write;
      number.remove_suffix(1);
    }
    std::uint64_t page = 0;
    const NumberStatus status = parse_number(number, page);
    if (status == NumberStatus::Bad) {
      lines_->fail("bad page number " + quote(token) +
                   " (expected decimal or 0x hex, optionally followed by w or *)");
    }
    access.addr = page_address(*lines_, number, page, status, page_size_);
    return access;
  }

  std::unique_ptr<LineSource> lines_;
  std::uint64_t page_size_;
  bool in_comment_ = false;
};

}  // namespace

std::unique_ptr<TraceReader> make_refs_reader(std::unique_ptr<LineSource> lines,
                                              std::uint64_t page_size) {
  if (page_size == 0) throw Error("page size must be at least 1 byte");
  return std::make_unique<RefsReader>(std::move(lines), page_size);
}

}  // namespace vmsim
