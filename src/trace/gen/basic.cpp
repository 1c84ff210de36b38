// The simple access patterns: sequential, strided, uniform, zipf, loop and phases.
#include <algorithm>
#include <memory>

#include "trace/gen/basic.hpp"
#include "trace/gen/generator_base.hpp"
#include "trace/gen/zipf.hpp"

namespace vmsim::gen {
namespace {

// Chunks of this many accesses amortise the virtual refill() call.
constexpr std::uint64_t kChunk = 1024;

std::uint64_t footprint_bytes(const GeneratorParams& p) {
  return p.pages * p.page_size;
}

// Walks the footprint in steps of `step` bytes, wrapping at its end: an array scan (step = access
// size) or a strided sweep.
class Sweep final : public GeneratorBase {
 public:
  Sweep(const GeneratorParams& p, std::uint64_t step) : GeneratorBase(p), step_(step) {}

 private:
  void refill() override {
    const std::uint64_t size = footprint_bytes(params());
    for (std::uint64_t i = 0; i < kChunk; ++i) {
      emit(params().base + offset_, data_op());
      offset_ = (offset_ + step_) % size;
    }
  }
  std::uint64_t step_;
  std::uint64_t offset_ = 0;
};

class Uniform final : public GeneratorBase {
 public:
  using GeneratorBase::GeneratorBase;

 private:
  void refill() override {
    for (std::uint64_t i = 0; i < kChunk; ++i) {
      const std::uint64_t page = rng().below(params().pages);
      emit(address_in(page), data_op());
    }
  }
};

// Page k (0-based) is referenced with probability proportional to 1 / (k + 1)^alpha: page 0
// hottest.
class Zipf final : public GeneratorBase {
 public:
  Zipf(const GeneratorParams& p) : GeneratorBase(p), sampler_(p.pages, p.alpha) {}

 private:
  void refill() override {
    for (std::uint64_t i = 0; i < kChunk; ++i)
      emit(address_in(sampler_.sample(rng()) - 1), data_op());
  }
  ZipfSampler sampler_;
};

// Cycles through the first working_set pages in order, one access per page: with a working set one
// page larger than memory, LRU and FIFO fault on every reference.
class Loop final : public GeneratorBase {
 public:
  using GeneratorBase::GeneratorBase;

 private:
  void refill() override {
    const std::uint64_t ws = working_set(params());
    for (std::uint64_t i = 0; i < kChunk; ++i) {
      emit(address_in(next_), data_op());
      next_ = next_ + 1 == ws ? 0 : next_ + 1;
    }
  }
  std::uint64_t next_ = 0;
};

// `phases` equal phases; phase p references pages uniformly from its own working set of
// working_set pages starting at page p * working_set (wrapping within the footprint), so the
// working set moves as a program's does between its phases.
class Phases final : public GeneratorBase {
 public:
  using GeneratorBase::GeneratorBase;

 private:
  void refill() override {
    const GeneratorParams& p = params();
    const std::uint64_t ws = working_set(p);
    const std::uint64_t phase_length = std::max<std::uint64_t>(1, p.length / p.phases);
    for (std::uint64_t i = 0; i < kChunk; ++i) {
      const std::uint64_t phase = std::min(generated() / phase_length, p.phases - 1);
      const std::uint64_t page = (phase * ws + rng().below(ws)) % p.pages;
      emit(address_in(page), data_op());
    }
  }
};

}  // namespace

std::uint64_t working_set(const GeneratorParams& p) {
  return p.working_set == 0 ? p.pages : std::min(p.working_set, p.pages);
}

std::unique_ptr<TraceReader> make_sequential(const GeneratorParams& p) {
  return std::make_unique<Sweep>(p, p.access_size);
}
std::unique_ptr<TraceReader> make_strided(const GeneratorParams& p) {
  return std::make_unique<Sweep>(p, p.stride == 0 ? p.page_size : p.stride);
}
std::unique_ptr<TraceReader> make_uniform(const GeneratorParams& p) {
  return std::make_unique<Uniform>(p);
}
std::unique_ptr<TraceReader> make_zipf(const GeneratorParams& p) {
  return std::make_unique<Zipf>(p);
}
std::unique_ptr<TraceReader> make_loop(const GeneratorParams& p) {
  return std::make_unique<Loop>(p);
}
std::unique_ptr<TraceReader> make_phases(const GeneratorParams& p) {
  return std::make_unique<Phases>(p);
}

}  // namespace vmsim::gen
