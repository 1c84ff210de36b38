// The common frame of the generators: a TraceReader that fills batches from a chunk buffer that the
// concrete generator refills. Chunks (an inner loop's worth of records) keep each generator a plain
// loop instead of a resumable state machine, at the cost of one small buffer.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/rng.hpp"
#include "trace/gen/generator.hpp"

namespace vmsim::gen {

class GeneratorBase : public TraceReader {
 public:
  explicit GeneratorBase(const GeneratorParams& params) : params_(params), rng_(params.seed) {}

  std::size_t read(std::span<Access> out) final {
    std::size_t n = 0;
    while (n < out.size()) {
      if (pos_ == chunk_.size()) {
        chunk_.clear();
        pos_ = 0;
        if (accesses_ < params_.length) refill();
        if (chunk_.empty()) break;
      }
      const Access& a = chunk_[pos_];
      // Events do not count towards the length, and are never cut off.
      if (!is_event(a.op)) {
        if (accesses_ == params_.length) {
          ++pos_;  // past the length: drop the access, keep any events after it
          continue;
        }
        ++accesses_;
      }
      out[n++] = a;
      ++pos_;
    }
    return n;
  }

  // The accesses the workload will produce: its length. A workload with processes (mix) adds its
  // fork and exit events on top, which a hint may leave out (see TraceReader::records_hint).
  std::uint64_t records_hint() const final { return params_.length; }

 protected:
  // Appends the next records to chunk_; appending nothing ends the trace early.
  virtual void refill() = 0;

  void emit(std::uint64_t addr, Op op, std::uint16_t pid = 0) {
    chunk_.push_back(Access{addr, params_.access_size, pid, op});
    ++generated_;
  }
  void emit_event(Op op, std::uint16_t pid, std::uint64_t addr = 0, std::uint32_t size = 1) {
    chunk_.push_back(Access{addr, size, pid, op});
  }
  // A load or, with probability write_ratio, a store.
  Op data_op() { return rng_.uniform() < params_.write_ratio ? Op::Write : Op::Read; }
  // A random access-size-aligned offset within a page.
  std::uint64_t offset_in_page() {
    const std::uint64_t slots = std::max<std::uint64_t>(1, params_.page_size / params_.access_size);
    return rng_.below(slots) * params_.access_size;
  }
  // A random access-size-aligned byte address in footprint page `page`.
  std::uint64_t address_in(std::uint64_t page) {
    return params_.base + page * params_.page_size + offset_in_page();
  }

  const GeneratorParams& params() const { return params_; }
  Rng& rng() { return rng_; }
  // Accesses emitted so far, including those still waiting in the chunk.
  std::uint64_t generated() const { return generated_; }

 private:
  GeneratorParams params_;
  Rng rng_;
  std::vector<Access> chunk_;
  std::size_t pos_ = 0;
  std::uint64_t accesses_ = 0;   // accesses handed out by read()
  std::uint64_t generated_ = 0;  // accesses emitted into chunks
};

}  // namespace vmsim::gen
