// Writers of the text formats (text, lackey, refs, csv) and create_trace_writer(). Each record is
// formatted into a small stack buffer with std::to_chars: no allocation per record.
#include <charconv>
#include <limits>
#include <utility>

#include "trace/output_file.hpp"
#include "trace/parse_util.hpp"
#include "trace/vmt.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

// Appends decimal or 0x-prefixed lower-case hex digits of `value` at `p`.
char* put_dec(char* p, std::uint64_t value) {
  return std::to_chars(p, p + 20, value).ptr;
}
char* put_hex(char* p, std::uint64_t value) {
  *p++ = '0';
  *p++ = 'x';
  return std::to_chars(p, p + 16, value, 16).ptr;
}
// Hex without a prefix, at least 8 digits, as valgrind's `%08lx` prints.
char* put_lackey_hex(char* p, std::uint64_t value) {
  char digits[16];
  const char* end = std::to_chars(digits, digits + 16, value, 16).ptr;
  for (auto n = end - digits; n < 8; ++n) *p++ = '0';
  for (const char* d = digits; d != end; ++d) *p++ = *d;
  return p;
}

constexpr char op_letter(Op op) {
  return op == Op::Write ? 'W' : op == Op::Fetch ? 'X' : 'R';
}

std::string event_name(Op op) {
  if (!is_event(op)) return "a reference";
  std::string name(1, '@');
  name.append(op_name(op));
  return name;
}

char* put_prot(char* p, Prot prot) {
  *p++ = allows(prot, kProtRead) ? 'r' : '-';
  *p++ = allows(prot, kProtWrite) ? 'w' : '-';
  *p++ = allows(prot, kProtExec) ? 'x' : '-';
  return p;
}

// The formats that are lines of text. Subclasses format one record into `line`.
class LineWriter : public TraceWriter {
 public:
  LineWriter(const std::string& path, std::string_view format_name)
      : out_(path, true), format_(format_name) {}

  void write(std::span<const Access> records) override {
    if (finished_) throw Error("cannot write to " + out_.path() + ": already finished");
    char line[128];
    for (const Access& a : records) {
      if (const std::string_view why = invalid_record(a); !why.empty()) fail(std::string(why));
      const char* end = format(a, line);
      out_.write(std::string_view(line, static_cast<std::size_t>(end - line)));
      ++records_;
    }
  }
  void finish(const TraceHeader&) override {
    if (finished_) return;
    out_.commit();
    finished_ = true;
  }
  std::uint64_t records_written() const override { return records_; }
  std::uint64_t bytes_written() const override { return out_.bytes_written(); }

 protected:
  virtual char* format(const Access& a, char* p) = 0;

  [[noreturn]] void fail(const std::string& why) const {
    throw Error("cannot write record " + std::to_string(records_ + 1) + " to " + out_.path() +
                ": " + why);
  }
  // Formats without events or pids refuse them rather than drop them silently.
  void require_plain(const Access& a) const {
    if (is_event(a.op)) {
      fail(std::string(format_) + " cannot carry events (this is " + event_name(a.op) +
           "); write text or vmt");
    }
    if (a.pid != 0) {
      fail(std::string(format_) + " has no pids (this record has pid " + std::to_string(a.pid) +
           "); write text, csv or vmt");
    }
  }
  void write_raw(std::string_view text) { out_.write(text); }

 private:
  TextOutput out_;
  std::string_view format_;
  std::uint64_t records_ = 0;
  bool finished_ = false;
};

// The canonical text form (docs/trace-format.md): `[PID ]OP 0xADDR SIZE`, the pid only when not 0;
// events as `@fork P C`, `@exit P`, `@exec P`, `@mmap P 0xADDR LEN PROT`, `@munmap P 0xADDR LEN`,
// `@mprotect P 0xADDR LEN PROT`, `@brk P 0xEND`.
class TextWriter final : public LineWriter {
 public:
  explicit TextWriter(const std::string& path) : LineWriter(path, "text") {}

 private:
  char* format(const Access& a, char* p) override {
    if (is_event(a.op)) {
      *p++ = '@';
      for (const char c : op_name(a.op)) *p++ = c;
      *p++ = ' ';
      p = put_dec(p, a.pid);
      if (a.op == Op::Fork) {
        *p++ = ' ';
        p = put_dec(p, a.addr);
      } else if (a.op == Op::Brk) {
        *p++ = ' ';
        p = put_hex(p, a.addr);
      } else if (a.op != Op::Exit && a.op != Op::Exec) {
        *p++ = ' ';
        p = put_hex(p, a.addr);
        *p++ = ' ';
        p = put_dec(p, a.size);
        if (has_prot(a.op)) {
          *p++ = ' ';
          p = put_prot(p, a.prot);
        }
      }
    } else {
      if (a.pid != 0) {
        p = put_dec(p, a.pid);
        *p++ = ' ';
      }
      *p++ = op_letter(a.op);
      *p++ = ' ';
      p = put_hex(p, a.addr);
      *p++ = ' ';
      p = put_dec(p, a.size);
    }
    *p++ = '\n';
    return p;
  }
};

// valgrind lackey lines: `I  ADDR,SIZE` for fetches, ` L` for reads, ` S` for writes.
class LackeyWriter final : public LineWriter {
 public:
  explicit LackeyWriter(const std::string& path) : LineWriter(path, "lackey") {}

 private:
  char* format(const Access& a, char* p) override {
    require_plain(a);
    const char* prefix = a.op == Op::Fetch ? "I  " : a.op == Op::Write ? " S " : " L ";
    for (int i = 0; i < 3; ++i) *p++ = prefix[i];
    p = put_lackey_hex(p, a.addr);
    *p++ = ',';
    p = put_dec(p, a.size);
    *p++ = '\n';
    return p;
  }
};

// One page number per line, `w` after a write's.
class RefsWriter final : public LineWriter {
 public:
  RefsWriter(const std::string& path, std::uint64_t page_size)
      : LineWriter(path, "refs"), page_size_(page_size) {}

 private:
  char* format(const Access& a, char* p) override {
    require_plain(a);
    p = put_dec(p, a.addr / page_size_);
    if (a.op == Op::Write) *p++ = 'w';
    *p++ = '\n';
    return p;
  }
  std::uint64_t page_size_;
};

// `pid,op,page` rows after that header line.
class CsvWriter final : public LineWriter {
 public:
  CsvWriter(const std::string& path, std::uint64_t page_size)
      : LineWriter(path, "csv"), page_size_(page_size) {
    write_raw("pid,op,page\n");
  }

 private:
  char* format(const Access& a, char* p) override {
    if (is_event(a.op)) {
      fail(std::string("csv cannot carry events (this is ") + event_name(a.op) +
           "); write text or vmt");
    }
    p = put_dec(p, a.pid);
    *p++ = ',';
    *p++ = op_letter(a.op);
    *p++ = ',';
    p = put_dec(p, a.addr / page_size_);
    *p++ = '\n';
    return p;
  }
  std::uint64_t page_size_;
};

}  // namespace

std::string_view invalid_record(const Access& a) {
  if (has_prot(a.op) ? prot_bits(a.prot) > prot_bits(kProtAll) : a.prot != kProtNone) {
    return has_prot(a.op) ? "protection beyond r, w and x" : "a protection on a record without one";
  }
  switch (a.op) {
    case Op::Read:
    case Op::Write:
    case Op::Fetch:
      if (a.size < 1 || a.size > kMaxAccessSize) return "access size out of range 1..1048576";
      break;
    case Op::Fork:
      if (a.addr > kMaxPid) return "@fork child pid out of range 0..65535";
      if (a.size != 1) return "@fork must have size 1";
      return {};
    case Op::Exit:
      if (a.addr != 0 || a.size != 1) return "@exit must have address 0 and size 1";
      return {};
    case Op::Exec:
      if (a.addr != 0 || a.size != 1) return "@exec must have address 0 and size 1";
      return {};
    case Op::Brk:
      if (a.size != 1) return "@brk must have size 1";
      return {};
    case Op::Mmap:
    case Op::Munmap:
    case Op::Mprotect:
      if (a.size < 1) return "mapping length 0";
      break;
    default:
      return "unknown operation";
  }
  if (!fits_address_space(a.addr, a.size)) return "range runs past the end of the address space";
  return {};
}

std::unique_ptr<TraceWriter> create_trace_writer(const std::string& path,
                                                 const TraceWriterOptions& options) {
  const bool pages = options.format == TraceFormat::Refs || options.format == TraceFormat::Csv;
  if (pages && options.page_size == 0) throw Error("page size must be at least 1 byte");
  switch (options.format) {
    case TraceFormat::Vmt:
      return make_vmt_writer(path, options);
    case TraceFormat::Text:
      return std::make_unique<TextWriter>(path);
    case TraceFormat::Lackey:
      return std::make_unique<LackeyWriter>(path);
    case TraceFormat::Refs:
      return std::make_unique<RefsWriter>(path, options.page_size);
    case TraceFormat::Csv:
      return std::make_unique<CsvWriter>(path, options.page_size);
    case TraceFormat::Auto:
      break;
  }
  throw Error("cannot write a trace in format 'auto': choose text, lackey, refs, csv or vmt");
}

}  // namespace vmsim
