// Helpers for the trace reader tests: draining a reader in batches of a chosen size, temporary
// files, and compressing test input with zlib and libzstd.
#pragma once

#include <zlib.h>
#include <zstd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/scratch.hpp"
#include "trace/readers.hpp"
#include "vmsim/access.hpp"
#include "vmsim/error.hpp"
#include "vmsim/trace.hpp"

namespace vmsim::test {

inline std::vector<Access> read_all(TraceReader& reader, std::size_t batch = 4096) {
  std::vector<Access> all;
  std::vector<Access> buffer(batch);
  for (;;) {
    const std::size_t n = reader.read(buffer);
    if (n == 0) break;
    if (n > batch) throw std::logic_error("reader returned more records than asked for");
    all.insert(all.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return all;
}

// Reads `text` from memory in `format` with the given batch and chunk sizes.
inline std::vector<Access> parse(const std::string& text, TraceFormat format,
                                 std::size_t batch = 4096, std::size_t chunk = kDefaultChunkSize,
                                 std::uint64_t page_size = 4096) {
  auto reader = make_reader_from_memory(text, format, "t.trace", page_size, chunk);
  return read_all(*reader, batch);
}

// The what() of the InputError that reading `text` throws, or "" when it reads cleanly.
inline std::string parse_error(const std::string& text, TraceFormat format,
                               std::uint64_t page_size = 4096) {
  try {
    parse(text, format, 4096, kDefaultChunkSize, page_size);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

inline Access acc(Op op, std::uint64_t addr, std::uint32_t size = 1, std::uint16_t pid = 0,
                  std::uint8_t prot = 0) {
  Access a;
  a.op = op;
  a.addr = addr;
  a.size = size;
  a.pid = pid;
  a.prot = Prot{prot};
  return a;
}

using TempDir = Scratch;

inline std::string gzip(const std::string& data) {
  z_stream z{};
  // 16 + MAX_WBITS writes a gzip header and trailer.
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate failed");
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

inline std::string zstd(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  if (ZSTD_isError(n)) throw std::runtime_error("ZSTD_compress failed");
  out.resize(n);
  return out;
}

}  // namespace vmsim::test
