// The native text format: `[PID] OP ADDR [SIZE]` records and `@event` lines (docs/trace-format.md).
#include <limits>
#include <utility>

#include "trace/fields.hpp"
#include "trace/readers.hpp"

namespace vmsim {
namespace {

constexpr std::uint64_t kMaxMapLength = std::numeric_limits<std::uint32_t>::max();

class TextReader final : public TraceReader {
 public:
  explicit TextReader(std::unique_ptr<LineSource> lines) : lines_(std::move(lines)) {}

  std::size_t read(std::span<Access> out) override {
    std::size_t n = 0;
    std::string_view line;
    while (n < out.size() && lines_->next_line(line)) {
      if (parse_line(line, out[n])) ++n;
    }
    return n;
  }
  std::uint64_t bytes_consumed() const override { return lines_->bytes_consumed(); }
  std::uint64_t bytes_total() const override { return lines_->bytes_total(); }
  TraceFormat format() const override { return TraceFormat::Text; }

 private:
  // Fills `access` from one line; false for a blank or comment-only line.
  bool parse_line(std::string_view line, Access& access) const {
    const LineSource& src = *lines_;
    Fields fields(strip_comment(line));
    const std::string_view first = fields.next();
    if (first.empty()) return false;
    if (first[0] == '@') {
      parse_event(first, fields, access);
      return true;
    }
    std::string_view op_token = first;
    access.pid = 0;
    access.prot = kProtNone;
    if (is_digit(first[0])) {
      access.pid = parse_pid_field(src, first, "pid");
      op_token = require(src, fields.next(), "operation");
    }
    access.op = parse_op(op_token);
    const std::string_view addr_token = require(src, fields.next(), "address");
    access.addr = parse_address_field(src, addr_token);
    const std::string_view size_token = fields.next();
    access.size = size_token.empty() ? 1 : parse_size_field(src, size_token);
    require_end(src, fields.next());
    check_range(src, addr_token, access.addr, access.size);
    return true;
  }

  Op parse_op(std::string_view token) const {
    if (token.size() == 1) {
      switch (token[0]) {
        case 'R':
        case 'r':
          return Op::Read;
        case 'W':
        case 'w':
          return Op::Write;
        case 'X':
        case 'x':
          return Op::Fetch;
        default:
          break;
      }
    }
    lines_->fail("unknown operation " + quote(token) + " (expected R, W or X)");
  }

  void parse_event(std::string_view name, Fields& fields, Access& access) const {
    const LineSource& src = *lines_;
    access.addr = 0;
    access.size = 1;
    access.prot = kProtNone;
    if (name == "@fork") {
      access.op = Op::Fork;
      access.pid = parse_pid_field(src, require(src, fields.next(), "parent pid"), "parent pid");
      access.addr = parse_pid_field(src, require(src, fields.next(), "child pid"), "child pid");
    } else if (name == "@exit" || name == "@exec") {
      access.op = name == "@exit" ? Op::Exit : Op::Exec;
      access.pid = parse_pid_field(src, require(src, fields.next(), "pid"), "pid");
    } else if (name == "@brk") {
      access.op = Op::Brk;
      access.pid = parse_pid_field(src, require(src, fields.next(), "pid"), "pid");
      const std::string_view brk_token = require(src, fields.next(), "new break");
      access.addr = parse_address_field(src, brk_token);
      check_range(src, brk_token, access.addr, 1);
    } else if (name == "@mmap" || name == "@munmap" || name == "@mprotect") {
      access.op = name == "@mmap" ? Op::Mmap : name == "@munmap" ? Op::Munmap : Op::Mprotect;
      access.pid = parse_pid_field(src, require(src, fields.next(), "pid"), "pid");
      const std::string_view addr_token = require(src, fields.next(), "address");
      access.addr = parse_address_field(src, addr_token);
      access.size = parse_length(require(src, fields.next(), "length"));
      check_range(src, addr_token, access.addr, access.size);
      if (access.op == Op::Mmap) {
        const std::string_view prot = fields.next();
        access.prot = prot.empty() ? kProtDefault : parse_protection(prot);
      } else if (access.op == Op::Mprotect) {
        access.prot = parse_protection(require(src, fields.next(), "protection"));
      }
    } else {
      src.fail("unknown event " + quote(name) +
               " (known: @fork, @exit, @exec, @mmap, @munmap, @mprotect, @brk)");
    }
    require_end(src, fields.next());
  }

  std::uint32_t parse_length(std::string_view token) const {
    std::uint64_t value = 0;
    const NumberStatus status = parse_number(token, value);
    if (status == NumberStatus::Bad) lines_->fail("bad length " + quote(token));
    if (status == NumberStatus::Overflow || value < 1 || value > kMaxMapLength) {
      lines_->fail("length " + std::string(token) + " out of range 1.." +
                   std::to_string(kMaxMapLength));
    }
    return static_cast<std::uint32_t>(value);
  }

  Prot parse_protection(std::string_view prot) const {
    const bool ok = prot.size() == 3 && (prot[0] == 'r' || prot[0] == '-') &&
                    (prot[1] == 'w' || prot[1] == '-') && (prot[2] == 'x' || prot[2] == '-');
    if (!ok) {
      lines_->fail("bad protection " + quote(prot) +
                   " (expected 3 characters: r or -, w or -, x or -, such as rw- or r-x)");
    }
    return (prot[0] == 'r' ? kProtRead : kProtNone) | (prot[1] == 'w' ? kProtWrite : kProtNone) |
           (prot[2] == 'x' ? kProtExec : kProtNone);
  }

  std::unique_ptr<LineSource> lines_;
};

}  // namespace

std::unique_ptr<TraceReader> make_text_reader(std::unique_ptr<LineSource> lines) {
  return std::make_unique<TextReader>(std::move(lines));
}

}  // namespace vmsim
