// SHARDS (Waldspurger, Park, Garthwaite and Ahmad, FAST 2015): an LRU miss-ratio curve from a
// spatially hashed sample of the pages. A page is in the sample iff hash(page) <= limit, so every
// reference to a sampled page is seen and the sample's own stack distances are exact; a sampled
// distance d among a fraction R of the pages stands for about (d - 1) / R + 1 pages of the full
// stack. (The paper scales by d / R; with d = 1, the page referenced last, that would say 1/R pages
// when the true distance is 1, a bias at small memories that (d - 1) / R + 1 does not have.)
//
// Sampling happens before anything else, per page reference, straight from the reader's batches:
// the 1 - R of references that are not sampled cost a hash and a compare, so no decoded trace is
// built and the pass runs at close to the reader's speed.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <queue>

#include "core/page_key.hpp"
#include "mrc/mrc.hpp"
#include "mrc/stack_distance.hpp"
#include "sim/page_refs.hpp"
#include "vmsim/error.hpp"

namespace vmsim::mrc {
namespace {

constexpr double kTwo64 = 18446744073709551616.0;

class Shards {
 public:
  explicit Shards(const ShardsOptions& o) : options_(o) {
    if (!(o.sample_rate > 0) || o.sample_rate > 1) {
      throw Error(fmt::format("sample rate must be in (0, 1], not {}", o.sample_rate));
    }
    rate_ = o.sample_rate;
    limit_ = rate_ >= 1 ? std::numeric_limits<std::uint64_t>::max()
                        : static_cast<std::uint64_t>(rate_ * kTwo64);
    if (limit_ == 0) throw Error(fmt::format("sample rate {} is too small", o.sample_rate));
    if (rate_ < 1) --limit_;  // hash <= limit_: exactly rate * 2^64 hash values
    // Past this many buckets the width doubles, so a huge sampled footprint costs resolution,
    // not memory.
    max_buckets_ = std::max<std::size_t>(o.max_buckets, 4);
    hist_.resize(std::min<std::size_t>(1024, max_buckets_));
  }

  void run(TraceReader& reader, unsigned page_shift) {
    std::vector<Access> batch(4096);
    // Locals, not members: sample() could change members, which would make the compiler reload
    // them and recompute the hash's seed-derived constants on every reference.
    const std::uint64_t seed = options_.seed;
    std::uint64_t limit = limit_;
    std::uint64_t accesses = 0;
    std::uint64_t refs = 0;
    while (const std::size_t n = reader.read(batch)) {
      for (std::size_t i = 0; i < n; ++i) {
        const Access& a = batch[i];
        if (is_event(a.op)) continue;
        ++accesses;
        const PageSpan span = page_span(a, page_shift);
        if (span.last >> kPageKeyAsidShift != 0) {
          throw Error(fmt::format("address {:#x} has a page number beyond 48 bits", a.addr));
        }
        refs += span.last - span.first + 1;
        for (std::uint64_t vpn = span.first; vpn <= span.last; ++vpn) {
          const PageKey key = make_page_key(a.pid, vpn);
          const std::uint64_t h = XXH3_64bits_withSeed(&key, sizeof key, seed);
          if (h <= limit) [[unlikely]] {
            sample(key, h);
            limit = limit_;  // fixed-size sampling lowers it
          }
        }
      }
    }
    accesses_ = accesses;
    refs_ = refs;
  }

  MissRatioCurve curve() {
    for (std::size_t d = 1; d < by_distance_.size(); ++d) {
      if (by_distance_[d] != 0) add_to_histogram(d, static_cast<double>(by_distance_[d]) / rate_);
    }
    by_distance_.clear();
    MissRatioCurve c;
    c.policy = "lru";
    c.method = Method::Shards;
    c.accesses = accesses_;
    c.page_refs = refs_;
    c.distinct_pages = cold_weight_;
    c.sample_rate = rate_;
    c.sampled_refs = sampled_refs_;
    c.sampled_pages = ids_.size();
    c.sample_limit = options_.max_pages;
    c.dropped_pages = dropped_pages_;
    c.peak_sampled_pages = options_.max_pages != 0 ? peak_pages_ : ids_.size();
    c.bucket_frames = bucket_frames_;
    std::size_t used = hist_.size();
    while (used > 1 && hist_[used - 1] == 0) --used;
    hist_.resize(used);
    const auto refs = static_cast<double>(refs_);
    c.faults_at = faults_from_histogram(hist_, cold_weight_, refs);
    // SHARDS_adj: the weighted misses already estimate the trace's misses; without it they are
    // taken as a fraction of the sample's own (weighted) references.
    const double scale = options_.adjust || total_weight_ == 0 ? 1.0 : refs / total_weight_;
    for (std::size_t k = 1; k < c.faults_at.size(); ++k) {
      c.faults_at[k] = std::min(refs, c.faults_at[k] * scale);
    }
    return c;
  }

 private:
  void sample(PageKey key, std::uint64_t h) {
    const auto [it, fresh] = ids_.try_emplace(key, 0);
    std::uint32_t id = it->second;
    if (fresh) {
      id = new_id(key);
      it->second = id;
      if (options_.max_pages != 0) {
        heap_.emplace(h, id);
        // The pages dropped may include this one: its hash is then above the new limit.
        if (heap_.size() > options_.max_pages && shrink_sample(id)) return;
        peak_pages_ = std::max<std::uint64_t>(peak_pages_, heap_.size());
      }
    }
    const double weight = 1.0 / rate_;
    const std::uint64_t d = stack_.access(id);
    ++sampled_refs_;
    total_weight_ += weight;
    if (d == LruStackDistance::kCold) {
      cold_weight_ += weight;
      return;
    }
    if (options_.max_pages == 0) {
      // One rate throughout: count by sampled distance (a small array, in cache) and scale once
      // at the end, instead of adding to a histogram of the whole footprint (a cache miss each).
      if (d >= by_distance_.size()) by_distance_.resize(std::max<std::size_t>(d + 1, 2 * d));
      ++by_distance_[d];
      return;
    }
    add_to_histogram(d, weight);
  }

  void add_to_histogram(std::uint64_t d, double weight) {
    const double scaled = static_cast<double>(d - 1) / rate_ + 1;
    // Bucket b of width w holds distances in ((b-1)w, bw]: the references that hit with bw frames
    // and not with (b-1)w.
    auto bucket =
        static_cast<std::uint64_t>(std::ceil(scaled / static_cast<double>(bucket_frames_)));
    if (bucket == 0) bucket = 1;
    while (bucket >= max_buckets_) bucket = widen_buckets(bucket);
    if (bucket >= hist_.size()) hist_.resize(std::max<std::size_t>(bucket + 1, hist_.size() * 2));
    hist_[bucket] += weight;
  }

  std::uint32_t new_id(PageKey key) {
    if (!free_ids_.empty()) {
      const std::uint32_t id = free_ids_.back();
      free_ids_.pop_back();
      key_of_[id] = key;
      return id;
    }
    key_of_.push_back(key);
    return static_cast<std::uint32_t>(key_of_.size() - 1);
  }

  // Fixed-size SHARDS (the paper's section 4): lowers the limit below the largest hash in the
  // sample and drops every page with that hash, so they and every page above stay out and the
  // sample is back within its bound. Counts already in the histogram keep the weight of the rate
  // they were sampled at (1/R each), which is the paper's rescaling of the histogram by
  // R_new / R_old expressed per sample. Returns whether `incoming` was among the pages dropped.
  bool shrink_sample(std::uint32_t incoming) {
    const std::uint64_t h = heap_.top().first;
    bool dropped_incoming = false;
    // Distinct pages share a 64-bit hash about never, but a page left in the sample above the
    // limit would no longer be seen.
    while (!heap_.empty() && heap_.top().first == h) {
      const std::uint32_t id = heap_.top().second;
      heap_.pop();
      stack_.remove(id);
      ids_.erase(key_of_[id]);
      free_ids_.push_back(id);
      ++dropped_pages_;
      dropped_incoming = dropped_incoming || id == incoming;
    }
    // A hash of 0 cannot be excluded by `hash <= limit`; with 2^-64 odds per page the limit then
    // stays, and the sample is still within its bound.
    if (h != 0) {
      limit_ = h - 1;
      rate_ = static_cast<double>(h) / kTwo64;
    }
    return dropped_incoming;
  }

  // Halves the resolution: bucket b of width w covers ((b-1)w, bw]; of width 2w it is old
  // buckets 2b-1 and 2b.
  std::uint64_t widen_buckets(std::uint64_t bucket) {
    std::vector<double> wider(hist_.size() / 2 + 1);
    for (std::size_t b = 1; b < hist_.size(); ++b) wider[(b + 1) / 2] += hist_[b];
    hist_ = std::move(wider);
    bucket_frames_ *= 2;
    return (bucket + 1) / 2;
  }

  ShardsOptions options_;
  double rate_ = 1;
  std::uint64_t limit_ = 0;
  LruStackDistance stack_;
  absl::flat_hash_map<PageKey, std::uint32_t> ids_;  // sampled pages -> dense ids for the stack
  std::vector<PageKey> key_of_;
  std::vector<std::uint32_t> free_ids_;
  std::priority_queue<std::pair<std::uint64_t, std::uint32_t>> heap_;  // (hash, id), largest first
  std::vector<double> hist_;  // weighted references per scaled-distance bucket (index 0 unused)
  std::vector<std::uint64_t> by_distance_;  // fixed rate: sampled references per sampled distance
  std::uint64_t bucket_frames_ = 1;
  std::size_t max_buckets_ = 0;
  double cold_weight_ = 0;
  double total_weight_ = 0;
  std::uint64_t accesses_ = 0;
  std::uint64_t refs_ = 0;
  std::uint64_t sampled_refs_ = 0;
  std::uint64_t dropped_pages_ = 0;
  std::uint64_t peak_pages_ = 0;  // the most pages the fixed-size sample ever held
};

}  // namespace

MissRatioCurve shards_lru_curve(TraceReader& reader, unsigned page_shift,
                                const ShardsOptions& options) {
  Shards shards(options);
  shards.run(reader, page_shift);
  return shards.curve();
}

}  // namespace vmsim::mrc
