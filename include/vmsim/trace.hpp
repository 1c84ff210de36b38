// Trace input: every format is read through one streaming interface that fills batches of Access
// records.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vmsim/access.hpp"

namespace vmsim {

enum class TraceFormat : std::uint8_t {
  Auto,    // detect from the content
  Text,    // `[pid] R|W|X addr [size]` lines and `@event` lines (docs/trace-format.md)
  Lackey,  // valgrind --tool=lackey --trace-mem=yes output
  Refs,    // page numbers separated by spaces/commas/newlines, `w` or `*` suffix marks a write
  Vmt,  // vmsim's compact binary trace: zstd-compressed, checksummed blocks (docs/trace-format.md)
  Csv,  // `pid,op,page` rows after that header line: page numbers for spreadsheets and scripts
};

std::string_view format_name(TraceFormat format);
// Throws vmsim::Error listing the valid names when `name` is not one of them.
TraceFormat parse_trace_format(std::string_view name);

// What a trace says about itself besides its records. The .vmt format stores all of it; text
// formats have none (readers return nullptr from header()).
struct TraceHeader {
  std::uint64_t page_size_hint = 4096;  // the page size of the recording machine
  std::string command;                  // the command line that was recorded, if any
  std::uint64_t start_unix_ns = 0;      // when recording started (0: unknown)
  std::uint64_t duration_ns = 0;        // how long recording took (0: unknown or unfinished)
};

// What damage a reader survived: blocks of a .vmt file it could not read, and the records in them.
struct TraceDamage {
  std::uint64_t blocks_skipped = 0;   // damaged or truncated blocks passed over
  std::uint64_t records_lost = 0;     // records those blocks held, where their headers said
  bool records_lost_unknown = false;  // some loss could not be counted (a damaged block header, a
                                      // file that ends without its trailer)
  bool any() const { return blocks_skipped > 0 || records_lost > 0 || records_lost_unknown; }
};

// A streaming source of accesses. The simulator's only virtual call per batch is read().
class TraceReader {
 public:
  virtual ~TraceReader() = default;
  // Writes up to out.size() records to the front of `out` and returns how many; 0 means the trace
  // ended. Malformed input throws vmsim::InputError (`FILE:LINE: what is wrong`).
  virtual std::size_t read(std::span<Access> out) = 0;
  // Bytes consumed from the (possibly compressed) input so far and the input's total size, for
  // progress display; total 0 means unknown (a pipe, an inline reference string).
  virtual std::uint64_t bytes_consumed() const { return 0; }
  virtual std::uint64_t bytes_total() const { return 0; }
  // The trace's own metadata, or nullptr when the format has none.
  virtual const TraceHeader* header() const { return nullptr; }
  // The format the records are parsed from (the detected one when opened with Auto); Auto for
  // records that come from no file format (generated, or already in memory).
  virtual TraceFormat format() const { return TraceFormat::Auto; }
  // How many records the trace holds from its start, when the reader knows before reading them
  // (the trailer of a finished .vmt file, records in memory, a generated workload's length), or 0
  // when it does not. A hint for sizing buffers, not a promise: a damaged file yields fewer, a
  // generated workload with processes adds its events.
  virtual std::uint64_t records_hint() const { return 0; }
  // Problems met that did not stop reading (a truncated .vmt file read up to its last whole block).
  virtual std::vector<std::string> warnings() const { return {}; }
  // The damage behind those warnings, counted.
  virtual TraceDamage damage() const { return {}; }
};

// A streaming sink of accesses, in any format but Auto. Output appears whole or not at all: records
// go to a temporary file beside the target, which finish() completes (trailer, checksums) and
// renames over the target. A writer destroyed without finish() removes its temporary file.
class TraceWriter {
 public:
  virtual ~TraceWriter() = default;
  virtual void write(std::span<const Access> records) = 0;
  // Records the duration and other late header fields (vmt) and completes the file.
  virtual void finish(const TraceHeader& final_header) = 0;
  virtual std::uint64_t records_written() const = 0;
  virtual std::uint64_t bytes_written() const = 0;
};

struct TraceWriterOptions {
  TraceFormat format = TraceFormat::Vmt;
  TraceHeader header;              // written at the start (vmt); finish() may complete it
  std::uint64_t page_size = 4096;  // Refs and Csv outputs write page numbers of this size
};

// "-" writes to standard output (no rename; text formats only). Throws vmsim::Error when the target
// cannot be created or the format cannot carry the records (e.g. events in a reference string).
std::unique_ptr<TraceWriter> create_trace_writer(const std::string& path,
                                                 const TraceWriterOptions& options);

// The addresses a simulation can take: those below 2^bits. A record reaching beyond is an error at
// its line (text formats) or its record (.vmt), which names the limit and says `hint`: what would
// make the record fit.
struct AddressLimit {
  unsigned bits = 64;  // 64: every address
  std::string hint = "raise --va-bits";

  std::uint64_t last_address() const {
    return bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
  }
  // Whether the `size` bytes (at least 1) from `addr` all lie below the limit.
  bool contains(std::uint64_t addr, std::uint64_t size) const {
    return addr <= last_address() && size - 1 <= last_address() - addr;
  }
};

// Where a trace comes from. A spec can be opened any number of times, which OPT's next-use pre-pass
// and `vmsim compare` rely on.
struct TraceSpec {
  std::string path;  // file to read ("-" for standard input); ignored when inline_refs is set
  std::string inline_refs;       // `--refs "7 0 1 2"`: a reference string given on the command line
  bool has_inline_refs = false;  // true when inline_refs is the source, even if it is empty
  TraceFormat format = TraceFormat::Auto;
  std::uint64_t page_size = 4096;  // turns reference-string page numbers into addresses
  bool strict = false;  // damage in the trace (a skipped .vmt block, truncation) is an error
  // The simulated virtual address space: records beyond it are an error where they stand.
  AddressLimit address_limit;

  // A name for messages: the path, or "--refs".
  std::string display_name() const { return has_inline_refs ? std::string("--refs") : path; }
  // Whether opening the trace again reads the same records from the start: a regular file or an
  // inline string, not standard input, a pipe (`<(...)`, /dev/stdin) or a FIFO, which a second
  // open would find empty or wait on forever.
  bool rewindable() const;
};

// Opens the trace, detecting the format from the first lines when spec.format is Auto and
// decompressing gzip or zstd input transparently (detected by magic bytes, not by file name).
std::unique_ptr<TraceReader> open_trace(const TraceSpec& spec);

// Detects the format of already-decompressed text from its first lines; returns Text when nothing
// decides.
TraceFormat detect_trace_format(std::string_view head);

// A reader over records already in memory: for tests, benchmarks and generated traces.
class VectorReader final : public TraceReader {
 public:
  explicit VectorReader(std::vector<Access> records) : records_(std::move(records)) {}
  std::size_t read(std::span<Access> out) override;
  std::uint64_t records_hint() const override { return records_.size(); }

 private:
  std::vector<Access> records_;
  std::size_t pos_ = 0;
};

}  // namespace vmsim
