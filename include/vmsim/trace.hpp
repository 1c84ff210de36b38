// Trace input: every format is read through one streaming interface that fills batches of Access records.
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
};

std::string_view format_name(TraceFormat format);
// Throws vmsim::Error listing the valid names when `name` is not one of them.
TraceFormat parse_trace_format(std::string_view name);

// A streaming source of accesses. The simulator's only virtual call per batch is read().
class TraceReader {
 public:
  virtual ~TraceReader() = default;
  // Writes up to out.size() records to the front of `out` and returns how many; 0 means the trace ended.
  // Malformed input throws vmsim::InputError (`FILE:LINE: what is wrong`).
  virtual std::size_t read(std::span<Access> out) = 0;
  // Bytes consumed from the (possibly compressed) input so far and the input's total size, for progress
  // display; total 0 means unknown (a pipe, an inline reference string).
  virtual std::uint64_t bytes_consumed() const { return 0; }
  virtual std::uint64_t bytes_total() const { return 0; }
};

// Where a trace comes from. A spec can be opened any number of times, which OPT's next-use pre-pass and
// `vmsim compare` rely on.
struct TraceSpec {
  std::string path;              // file to read ("-" for standard input); ignored when inline_refs is set
  std::string inline_refs;       // `--refs "7 0 1 2"`: a reference string given on the command line
  bool has_inline_refs = false;  // true when inline_refs is the source, even if it is empty
  TraceFormat format = TraceFormat::Auto;
  std::uint64_t page_size = 4096;  // turns reference-string page numbers into addresses

  // A name for messages: the path, or "--refs".
  std::string display_name() const { return has_inline_refs ? std::string("--refs") : path; }
};

// Opens the trace, detecting the format from the first lines when spec.format is Auto and decompressing
// gzip or zstd input transparently (detected by magic bytes, not by file name).
std::unique_ptr<TraceReader> open_trace(const TraceSpec& spec);

// Detects the format of already-decompressed text from its first lines; returns Text when nothing decides.
TraceFormat detect_trace_format(std::string_view head);

// A reader over records already in memory: for tests, benchmarks and generated traces.
class VectorReader final : public TraceReader {
 public:
  explicit VectorReader(std::vector<Access> records) : records_(std::move(records)) {}
  std::size_t read(std::span<Access> out) override;

 private:
  std::vector<Access> records_;
  std::size_t pos_ = 0;
};

}  // namespace vmsim
