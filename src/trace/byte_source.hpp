// Where trace bytes come from: a file, standard input or memory, with gzip and zstd decompressed on
// the way. Readers see only decompressed text; progress is measured in bytes of the input as
// stored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace vmsim {

// Big reads keep the per-byte cost of system calls and decompressor calls negligible.
inline constexpr std::size_t kDefaultChunkSize = std::size_t{1} << 20;

// A stream of bytes read in chunks. One virtual call per chunk, never per line.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Writes up to dst.size() bytes to the front of dst and returns how many; 0 means the input
  // ended. Throws vmsim::Error when the input cannot be read or its compressed data is corrupt; the
  // line splitter adds the file name and line number.
  virtual std::size_t read(std::span<char> dst) = 0;
  // Bytes of the stored (possibly compressed) input consumed so far, and its total size (0:
  // unknown).
  virtual std::uint64_t bytes_consumed() const = 0;
  virtual std::uint64_t bytes_total() const = 0;
};

// Opens `path` ("-" is standard input). Throws vmsim::Error("cannot open PATH: reason").
std::unique_ptr<ByteSource> open_file_source(const std::string& path);

// Serves `data` from memory. Reports no progress: an in-memory trace is read in an instant.
std::unique_ptr<ByteSource> make_memory_source(std::string data);

// Serves `prefix` (bytes already read from `inner` to look at them), then the rest of `inner`.
std::unique_ptr<ByteSource> make_prefixed_source(std::string prefix,
                                                 std::unique_ptr<ByteSource> inner);

// Reads up to `n` bytes from the front of `source`, fewer only when it ends first.
std::string read_prefix(ByteSource& source, std::size_t n);

// Looks at the first bytes of `raw` and, when they are the gzip (1f 8b) or zstd (28 b5 2f fd)
// magic, returns a source that decompresses it; otherwise a source returning `raw`'s bytes
// unchanged. `chunk_size` is how much compressed input is read at a time.
std::unique_ptr<ByteSource> with_decompression(std::unique_ptr<ByteSource> raw,
                                               std::size_t chunk_size = kDefaultChunkSize);

}  // namespace vmsim
