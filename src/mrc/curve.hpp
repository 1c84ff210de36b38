// A miss-ratio curve: faults and miss ratio of one policy at every memory size, from one pass over
// a trace (src/mrc/mrc.hpp makes them). Exact curves hold an integer count per frame count; SHARDS
// curves hold estimates, possibly in buckets of several frames.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vmsim::mrc {

enum class Method : std::uint8_t { Exact, Shards };

struct MissRatioCurve {
  std::string policy;  // "lru" or "opt"
  Method method = Method::Exact;
  std::uint64_t accesses = 0;   // memory references in the trace (events excluded)
  std::uint64_t page_refs = 0;  // pages touched: an access spanning two pages counts two
  // Distinct pages: exact, or for SHARDS the estimate (sampled first references scaled up).
  double distinct_pages = 0;

  // SHARDS only: the sampling rate at the end (fixed-size sampling lowers it as it goes), the
  // page references sampled, and the pages in the sample at the end. Fixed-size sampling also
  // gives its bound (sample_limit, 0 for fixed-rate), the pages it dropped as the rate fell and
  // the largest the sample ever was (never above the bound).
  double sample_rate = 1.0;
  std::uint64_t sampled_refs = 0;
  std::uint64_t sampled_pages = 0;
  std::uint64_t sample_limit = 0;
  std::uint64_t dropped_pages = 0;
  std::uint64_t peak_sampled_pages = 0;
  // SHARDS's dense sample (0 when off): its rate, the page references it took, and the sizes
  // it gives the curve at (1 to dense_frames).
  double dense_rate = 0;
  std::uint64_t dense_refs = 0;
  std::uint64_t dense_frames = 0;

  // faults_at[k] = faults with k * bucket_frames frames; faults_at[0] = page_refs, the last entry
  // the cold misses (a memory that large or larger only faults on first references).
  std::vector<double> faults_at;
  std::uint64_t bucket_frames = 1;

  // Faults with `frames` frames, interpolated linearly inside a bucket.
  double faults(std::uint64_t frames) const;
  double miss_ratio(std::uint64_t frames) const;
  // The smallest memory beyond which the curve is flat: faults(c) == faults(largest_frames()) for
  // every c above it.
  std::uint64_t largest_frames() const;
  bool exact() const { return method == Method::Exact; }
  // Whether fewer than kMinSampledPages sampled pages fit in `frames` frames (frames x the rate
  // of the sample the estimate there comes from: the dense one up to dense_frames), so that the
  // estimate rests on a handful of pages: see kMinSampledPages. Never for exact curves or a full
  // sample.
  bool undersampled(std::uint64_t frames) const;
  // The smallest memory that is not undersampled (1 when none is).
  std::uint64_t trusted_from() const;
};

// A memory of c frames holds about c x R of a SHARDS sample's pages, and the estimate at c rests on
// how often those few pages are referenced. Their number is about Poisson(c x R), so its relative
// error is 1 / sqrt(c x R): 10% at 100 pages, 30% at 10. Measured on zipf traces (docs/mrc.md),
// the error of the miss ratio falls from up to 0.3 below 2 sampled pages to at most 0.07 from 64
// up, and 0.03 from 256; below 100 the estimate is flagged as not to be trusted.
inline constexpr double kMinSampledPages = 100;

// Turns a histogram into a curve: hits_at_distance[d] is the (weighted) number of references with
// stack distance d (d >= 1, in frames; index 0 unused), `cold` the first references, `refs` the
// page references the curve is normalised to.
std::vector<double> faults_from_histogram(const std::vector<double>& hits_at_distance, double cold,
                                          double refs);

// A page count estimate as a whole number of pages, saturating instead of overflowing (a SHARDS
// estimate is a double).
std::uint64_t whole_pages(double pages);

// Memory sizes to show: every size 1..largest, or `points` sizes spaced evenly on a log scale from
// 1 to largest (always including both ends, no duplicates).
std::vector<std::uint64_t> every_size(std::uint64_t largest);
std::vector<std::uint64_t> log_spaced_sizes(std::uint64_t largest, std::uint64_t points);

}  // namespace vmsim::mrc
