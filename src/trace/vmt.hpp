// Internal constructors of the .vmt reader and writer, and the record rules every writer enforces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "trace/byte_source.hpp"
#include "vmsim/trace.hpp"

namespace vmsim {

// Why `access` cannot appear in a trace, by the rules the text reader applies (size 1..1 MiB and no
// wrap past 2^64 for references; a 16-bit child pid for @fork, address 0 and size 1 for @exit,
// size 1 for @fork; no wrap for @mmap/@munmap), or an empty view when it can.
std::string_view invalid_record(const Access& access);

struct VmtTuning {
  // 256 Ki records make blocks of a few hundred KiB: big enough for zstd to find long matches and
  // for the per-block costs to vanish, small enough that a damaged block loses little.
  std::uint32_t records_per_block = std::uint32_t{1} << 18;
  int zstd_level = 6;
};

std::unique_ptr<TraceWriter> make_vmt_writer(const std::string& path,
                                             const TraceWriterOptions& options,
                                             const VmtTuning& tuning = {});

// What a finished file's trailer records, read from the end of the file before its records.
struct VmtTrailer {
  std::uint64_t duration_ns = 0;
  std::uint64_t records = 0;
};

// A reader over `source`, whose first bytes must be the .vmt magic (vmsim::Error otherwise).
// `trailer` is the file's trailer when the caller could look at the end of the file before
// reading (a regular file, a file in memory): it gives header()->duration_ns and records_hint()
// at once. Otherwise the duration is filled in when reading reaches the trailer, and
// records_hint() is 0. `strict` makes damage (a block skipped, a truncated file) an error instead
// of a warning. A record beyond `limit` is an error naming its block and record.
std::unique_ptr<TraceReader> make_vmt_reader(std::unique_ptr<ByteSource> source, std::string name,
                                             std::size_t chunk_size = kDefaultChunkSize,
                                             std::optional<VmtTrailer> trailer = {},
                                             bool strict = false, AddressLimit limit = {});

// The trailer that `tail` (the last bytes of a file) ends with, if it does and its checksums hold.
std::optional<VmtTrailer> vmt_trailer(std::string_view tail);

}  // namespace vmsim
