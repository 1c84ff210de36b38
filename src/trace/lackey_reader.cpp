// Output of `valgrind --tool=lackey --trace-mem=yes`:
//   I  04000c50,3      instruction fetch
//    L 1ffefffd78,8    load
//    S 1ffefffd70,8    store
//    M 0421b7c0,4      modify: a load and a store of the same bytes
// Addresses are hex without a prefix, sizes decimal. `==PID==` lines are valgrind's banner.
#include <utility>

#include "trace/fields.hpp"
#include "trace/readers.hpp"

namespace vmsim {
namespace {

class LackeyReader final : public TraceReader {
 public:
  explicit LackeyReader(std::unique_ptr<LineSource> lines) : lines_(std::move(lines)) {}

  std::size_t read(std::span<Access> out) override {
    std::size_t n = 0;
    // The store half of an M record that did not fit in the previous batch.
    if (has_pending_ && !out.empty()) {
      out[n++] = pending_;
      has_pending_ = false;
    }
    std::string_view line;
    while (n < out.size() && lines_->next_line(line)) {
      Access& access = out[n];
      bool modify = false;
      if (!parse_line(line, access, modify)) continue;
      ++n;
      if (modify) {
        Access store = access;
        store.op = Op::Write;
        if (n < out.size()) {
          out[n++] = store;
        } else {
          pending_ = store;
          has_pending_ = true;
        }
      }
    }
    return n;
  }
  std::uint64_t bytes_consumed() const override { return lines_->bytes_consumed(); }
  std::uint64_t bytes_total() const override { return lines_->bytes_total(); }
  TraceFormat format() const override { return TraceFormat::Lackey; }

 private:
  // Fills `access` from one line; false for a blank or banner line. `modify` is set for M records,
  // whose load goes into `access`.
  bool parse_line(std::string_view line, Access& access, bool& modify) const {
    if (line.size() >= 2 && line[0] == '=' && line[1] == '=') return false;
    const char* p = line.data();
    const char* end = p + line.size();
    while (p < end && is_space(*p)) ++p;
    if (p == end) return false;
    const char kind = *p++;
    switch (kind) {
      case 'I':
        access.op = Op::Fetch;
        break;
      case 'L':
      case 'M':
        access.op = Op::Read;
        break;
      case 'S':
        access.op = Op::Write;
        break;
      default:
        lines_->fail("unknown lackey record " + quote(std::string_view(p - 1, 1)) +
                     " (expected I, L, S or M)");
    }
    modify = kind == 'M';
    if (p == end || !is_space(*p)) {
      lines_->fail("bad lackey line " + quote(line) +
                   " (expected 'I  ADDR,SIZE' or ' L ADDR,SIZE')");
    }
    while (p < end && is_space(*p)) ++p;
    const char* addr_begin = p;
    while (p < end && *p != ',') ++p;
    const std::string_view addr_token(addr_begin, static_cast<std::size_t>(p - addr_begin));
    if (p == end) {
      lines_->fail("missing ',SIZE' in lackey line " + quote(line));
    }
    ++p;
    const char* size_begin = p;
    while (p < end && !is_space(*p)) ++p;
    const std::string_view size_token(size_begin, static_cast<std::size_t>(p - size_begin));
    Fields rest(std::string_view(p, static_cast<std::size_t>(end - p)));
    require_end(*lines_, rest.next());

    std::uint64_t addr = 0;
    const NumberStatus addr_status = parse_hex(addr_token, addr);
    if (addr_status != NumberStatus::Ok) [[unlikely]] {
      fail_address(*lines_, addr_token, addr_status);
    }
    std::uint64_t size = 0;
    const NumberStatus size_status = parse_decimal(size_token, size);
    if (size_status != NumberStatus::Ok || size < 1 || size > kMaxAccessSize) [[unlikely]] {
      fail_size(*lines_, size_token, size_status);
    }
    check_range(*lines_, addr_token, addr, size);
    access.addr = addr;
    access.size = static_cast<std::uint32_t>(size);
    access.pid = 0;
    access.prot = kProtNone;  // the caller's buffer may hold another reader's event
    return true;
  }

  std::unique_ptr<LineSource> lines_;
  Access pending_;
  bool has_pending_ = false;
};

}  // namespace

std::unique_ptr<TraceReader> make_lackey_reader(std::unique_ptr<LineSource> lines) {
  return std::make_unique<LackeyReader>(std::move(lines));
}

}  // namespace vmsim
