// Shared checks of the trace fuzzers. Each input is read twice: once in 1 MiB chunks with big
// batches, once in 3-byte chunks with batches of 1, 2 or 3. Both runs must give the same records,
// or the same error at the same line after the same records; a vmsim::Error is an expected outcome
// for bad input, anything else (another exception, a crash, a sanitizer report, a difference
// between the runs) is a bug.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "trace/readers.hpp"
#include "vmsim/error.hpp"

namespace vmsim::fuzz {

struct Outcome {
  std::vector<Access> records;
  std::string error;  // what() of the vmsim::Error that ended the read, or empty
};

inline void check(bool ok) {
  if (!ok) __builtin_trap();
}

// Properties every record must have, whatever the input.
inline void check_record(const Access& a) {
  check(a.size >= 1);
  check(has_prot(a.op) ? prot_bits(a.prot) <= prot_bits(kProtAll) : a.prot == kProtNone);
  if (!is_event(a.op)) {
    check(a.size <= (1U << 20));
    check(a.addr <= UINT64_MAX - (a.size - 1));
  }
}

// gzip or zstd magic, as with_decompression() recognises it.
inline bool is_compressed(const std::string& data) {
  return data.starts_with("\x1f\x8b") || data.starts_with("\x28\xb5\x2f\xfd");
}

inline Outcome read_outcome(const std::string& data, TraceFormat format, std::uint64_t page_size,
                            std::size_t chunk, std::size_t batch) {
  Outcome outcome;
  try {
    auto reader = make_reader_from_memory(data, format, "fuzz", page_size, chunk);
    std::vector<Access> buffer(batch);
    for (;;) {
      const std::size_t n = reader->read(buffer);
      check(n <= batch);
      if (n == 0) break;
      for (std::size_t i = 0; i < n; ++i) {
        check_record(buffer[i]);
        outcome.records.push_back(buffer[i]);
      }
    }
    // A finished reader stays finished.
    check(reader->read(buffer) == 0);
  } catch (const Error& e) {
    outcome.error = e.what();
    check(!outcome.error.empty());
  }
  return outcome;
}

inline void run(const std::uint8_t* bytes, std::size_t size, TraceFormat format,
                std::uint64_t page_size = 4096) {
  const std::string data(reinterpret_cast<const char*>(bytes), size);
  // 4 KiB chunks hold any input of -max_len=4096 whole, as the default 1 MiB would, and cost far
  // less to allocate under AddressSanitizer.
  const Outcome big = read_outcome(data, format, page_size, 4096, 4096);
  const Outcome tiny = read_outcome(data, format, page_size, 3, 1 + size % 3);
  if (is_compressed(data)) {
    // A decoder hands out text before it reaches a frame's checksum, and how much depends on the
    // chunking, so corrupt compressed input fails in both runs but maybe at different lines.
    check(big.error.empty() == tiny.error.empty());
  } else {
    check(big.error == tiny.error);
  }
  if (big.error.empty()) {
    check(big.records == tiny.records);
  } else {
    // A read() that throws drops the records of its batch, so with an error each run holds a prefix
    // of the records before it, as long as the batches it completed.
    const auto& shorter = big.records.size() < tiny.records.size() ? big.records : tiny.records;
    const auto& longer = big.records.size() < tiny.records.size() ? tiny.records : big.records;
    check(std::equal(shorter.begin(), shorter.end(), longer.begin()));
  }
}

}  // namespace vmsim::fuzz
