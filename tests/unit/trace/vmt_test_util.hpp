// Helpers for the .vmt and writer tests: writing records through a writer, and walking a .vmt
// file's blocks by the byte layout of docs/trace-format.md (independently of the reader).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "trace/vmt.hpp"
#include "unit/trace/trace_test_util.hpp"

namespace vmsim::test {

inline void write_trace(TraceWriter& writer, const std::vector<Access>& records,
                        const TraceHeader& final_header = {}) {
  writer.write(records);
  writer.finish(final_header);
}

inline std::string write_vmt(const std::string& path, const std::vector<Access>& records,
                             std::uint32_t records_per_block = 1 << 18,
                             const TraceWriterOptions& options = {},
                             const TraceHeader& final_header = {}) {
  VmtTuning tuning;
  tuning.records_per_block = records_per_block;
  auto writer = make_vmt_writer(path, options, tuning);
  write_trace(*writer, records, final_header);
  return Scratch::read(path);
}

inline std::uint32_t le32(const std::string& bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

struct BlockSpan {
  std::size_t offset;  // of the block header
  std::size_t size;    // header and payload
  int kind;
  std::uint32_t records;
};

// The blocks of a .vmt file: the file header is 44 bytes plus the command (u32 at offset 32), each
// block a 40-byte header (stored size u32 at +8, record count at +16) and its payload.
inline std::vector<BlockSpan> vmt_blocks(const std::string& file) {
  std::vector<BlockSpan> blocks;
  std::size_t at = 44 + le32(file, 32);
  while (at + 40 <= file.size()) {
    const std::size_t size = 40 + le32(file, at + 8);
    blocks.push_back({at, size, static_cast<unsigned char>(file[at + 4]), le32(file, at + 16)});
    at += size;
  }
  return blocks;
}

inline std::vector<Access> read_memory(const std::string& bytes,
                                       std::vector<std::string>* warnings = nullptr,
                                       std::size_t batch = 4096,
                                       std::size_t chunk = kDefaultChunkSize) {
  auto reader = make_reader_from_memory(bytes, TraceFormat::Auto, "t.vmt", 4096, chunk);
  auto records = read_all(*reader, batch);
  if (warnings != nullptr) *warnings = reader->warnings();
  return records;
}

}  // namespace vmsim::test
