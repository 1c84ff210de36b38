// One-pass miss-ratio curves: faults at every memory size from a single pass over a trace.
//
//  - exact LRU: Mattson's stack distances, counted in O(log n) per reference (stack_distance.hpp);
//  - exact OPT: Mattson's stack processing with next-use priorities, O(stack depth) per reference,
//    so offered up to a limit (OptLimits);
//  - approximate LRU for large traces: SHARDS spatial sampling (Waldspurger, Park, Garthwaite and
//    Ahmad, "Efficient MRC Construction with SHARDS", FAST 2015), fixed-rate or fixed-size, run on
//    the fly over a trace reader without decoding the whole trace.
//
// The curves use the simulator's numbering of page references: every page an access spans, events
// skipped, pages keyed per process. So an exact curve equals `vmsim run` with that policy, the
// TLB irrelevant, at every frame count.
#pragma once

#include <cstdint>
#include <vector>

#include "mrc/curve.hpp"
#include "trace/dense_trace.hpp"
#include "vmsim/simulator.hpp"
#include "vmsim/trace.hpp"

namespace vmsim::mrc {

// The LRU and OPT stack distance of every reference (1 = top of the stack, 0 = first reference).
// For tests and explanations; the curves below do not hold them.
std::vector<std::uint64_t> lru_stack_distances(const DenseTrace& trace);
std::vector<std::uint64_t> opt_stack_distances(const DenseTrace& trace);

// `progress`, when set, is called now and then with (references done, references in the trace).
MissRatioCurve exact_lru_curve(const DenseTrace& trace, const ProgressFn& progress = {});

// OPT's stack processing costs the stack depth of each reference: up to references x distinct
// pages. Past these limits exact_opt_curve refuses (vmsim::Error) rather than run for hours.
struct OptLimits {
  std::uint64_t max_pages = 100'000;
  // references x distinct pages: 2^35 is a few tens of seconds even when every reference goes
  // deep in the stack (typical traces go far less deep).
  std::uint64_t max_work = std::uint64_t{1} << 35;
};

MissRatioCurve exact_opt_curve(const DenseTrace& trace, const OptLimits& limits = {},
                               const ProgressFn& progress = {});

struct ShardsOptions {
  // Fixed-rate: a page is sampled iff hash(page) < rate * 2^64. With max_pages, the initial rate.
  double sample_rate = 0.01;
  // Fixed-size (0: off): keep at most this many sampled pages, lowering the threshold to the
  // largest hash in the sample and dropping that page whenever one more would be needed.
  std::uint64_t max_pages = 0;
  std::uint64_t seed = 1;  // of the page hash
  // The dense sample for small memories (fixed-rate only): the pages with hash(page) below
  // dense_rate * 2^64, a superset of the sample, also go through an LRU stack bounded at
  // kDenseDepth pages. Its distances give the curve at the sizes up to kDenseDepth / dense_rate,
  // where the sparse sample holds too few pages to trust. Negative: default_dense_rate(); 0, or
  // not above sample_rate: off.
  double dense_rate = -1;
  // SHARDS_adj: normalise misses by the true number of references instead of the sampled ones,
  // which corrects for the sample holding more or fewer references than its share (a hot page in
  // or out of the sample).
  bool adjust = true;
  // Histogram buckets kept; past it the bucket width doubles (coarser sizes, bounded memory:
  // 8 bytes a bucket).
  std::size_t max_buckets = std::size_t{1} << 20;
};

// The dense sample's bound: distances up to this many sampled pages are kept exactly.
inline constexpr std::uint32_t kDenseDepth = 4096;

// The dense rate used unless one is given: ten times the sample rate, so that the sizes from a
// tenth of where the sample alone is trusted are (see kMinSampledPages), but at most 0.1: at
// most a tenth of the references take the slower path. Off (0) from a sample rate of 0.1 up.
double default_dense_rate(double sample_rate);

// Reads `reader` to its end. Throws vmsim::Error on a bad rate or size.
MissRatioCurve shards_lru_curve(TraceReader& reader, unsigned page_shift,
                                const ShardsOptions& options);

}  // namespace vmsim::mrc
