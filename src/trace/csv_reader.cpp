// `pid,op,page` rows after that header line, as the csv writer produces them: page numbers for
// spreadsheets and scripts. Each row becomes a 1-byte access at page * page_size.
#include <utility>

#include "trace/fields.hpp"
#include "trace/readers.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

constexpr std::string_view kCsvHeader = "pid,op,page";

class CsvReader final : public TraceReader {
 public:
  CsvReader(std::unique_ptr<LineSource> lines, std::uint64_t page_size)
      : lines_(std::move(lines)), page_size_(page_size) {}

  std::size_t read(std::span<Access> out) override {
    std::size_t n = 0;
    std::string_view line;
    while (n < out.size() && lines_->next_line(line)) {
      if (line.empty()) continue;
      if (!seen_header_) {
        if (line != kCsvHeader) {
          lines_->fail("missing csv header line 'pid,op,page' (found " + quote(line) + ")");
        }
        seen_header_ = true;
        continue;
      }
      out[n++] = parse_row(line);
    }
    return n;
  }
  std::uint64_t bytes_consumed() const override { return lines_->bytes_consumed(); }
  std::uint64_t bytes_total() const override { return lines_->bytes_total(); }
  TraceFormat format() const override { return TraceFormat::Csv; }

 private:
  Access parse_row(std::string_view line) const {
    const LineSource& src = *lines_;
    const std::size_t c1 = line.find(',');
    const std::size_t c2 = c1 == std::string_view::npos ? c1 : line.find(',', c1 + 1);
    if (c2 == std::string_view::npos || line.find(',', c2 + 1) != std::string_view::npos) {
      src.fail("bad csv row " + quote(line) + " (expected PID,OP,PAGE)");
    }
    Access access;
    access.pid = parse_pid_field(src, line.substr(0, c1), "pid");
    const std::string_view op = line.substr(c1 + 1, c2 - c1 - 1);
    if (op == "R" || op == "r") {
      access.op = Op::Read;
    } else if (op == "W" || op == "w") {
      access.op = Op::Write;
    } else if (op == "X" || op == "x") {
      access.op = Op::Fetch;
    } else {
      src.fail("unknown operation " + quote(op) + " (expected R, W or X)");
    }
    const std::string_view page_token = line.substr(c2 + 1);
    std::uint64_t page = 0;
    const NumberStatus status = parse_number(page_token, page);
    if (status == NumberStatus::Bad) src.fail("bad page number " + quote(page_token));
    access.addr = page_address(src, page_token, page, status, page_size_);
    return access;
  }

  std::unique_ptr<LineSource> lines_;
  std::uint64_t page_size_;
  bool seen_header_ = false;
};

}  // namespace

std::unique_ptr<TraceReader> make_csv_reader(std::unique_ptr<LineSource> lines,
                                             std::uint64_t page_size) {
  if (page_size == 0) throw Error("page size must be at least 1 byte");
  return std::make_unique<CsvReader>(std::move(lines), page_size);
}

}  // namespace vmsim
