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
//
// Small memories get a second, denser sample. A memory of c frames holds about c x R sampled
// pages, and below about a hundred the estimate swings with which hot pages the hash picked
// (curve.hpp, kMinSampledPages). Their distances are small, so a denser sample (rate R2 >= R, the
// pages with the smallest hashes, a superset of the sparse sample) only needs its stack kept to
// a bounded depth: kDenseDepth pages, the least recent evicted, which is exact for every
// distance up to that depth and counts the rest as deeper. That gives the curve at the sizes up
// to kDenseDepth / R2 with c x R2 sampled pages, and costs R2 of the references a lookup in a
// table that stays in cache.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <optional>
#include <queue>

#include "core/page_key.hpp"
#include "core/page_span.hpp"
#include "mrc/mrc.hpp"
#include "mrc/stack_distance.hpp"
#include "vmsim/error.hpp"

namespace vmsim::mrc {
namespace {

constexpr double kTwo64 = 18446744073709551616.0;

// An LRU stack of at most `depth` pages: exact stack distances up to the depth, and kDeeper for a
// page that is deeper or new (the least recent page leaves when a new one needs room).
class BoundedLruStack {
 public:
  static constexpr std::uint32_t kDeeper = 0;

  explicit BoundedLruStack(std::uint32_t depth) : depth_(depth), stack_(depth) {
    ids_.reserve(depth);
    key_of_.reserve(depth);
  }

  std::uint32_t access(PageKey key) {
    if (const auto it = ids_.find(key); it != ids_.end()) {
      return static_cast<std::uint32_t>(stack_.access(it->second));
    }
    std::uint32_t id = 0;
    if (key_of_.size() < depth_) {
      id = static_cast<std::uint32_t>(key_of_.size());
      key_of_.push_back(key);
    } else {
      id = stack_.bottom();
      stack_.remove(id);
      ids_.erase(key_of_[id]);
      key_of_[id] = key;
    }
    ids_.emplace(key, id);
    stack_.access(id);  // cold: the page enters on top
    return kDeeper;
  }

 private:
  std::uint32_t depth_;
  LruStackDistance stack_;
  absl::flat_hash_map<PageKey, std::uint32_t> ids_;
  std::vector<PageKey> key_of_;
};

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
    const double dense = o.dense_rate < 0 ? default_dense_rate(rate_) : o.dense_rate;
    if (o.max_pages == 0 && dense > rate_) {
      if (!(dense <= 1)) throw Error(fmt::format("dense rate must be in [0, 1], not {}", dense));
      dense_rate_ = dense;
      dense_limit_ = dense >= 1 ? std::numeric_limits<std::uint64_t>::max()
                                : static_cast<std::uint64_t>(dense * kTwo64) - 1;
      dense_.emplace(kDenseDepth);
      dense_by_distance_.assign(std::size_t{kDenseDepth} + 1, 0);
    } else if (!(dense >= 0) || dense > 1) {
      throw Error(fmt::format("dense rate must be in [0, 1], not {}", dense));
    }
    gate_ = std::max(limit_, dense_limit_);
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
    std::uint64_t gate = gate_;  // the larger of the two samples' limits
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
          if (h <= gate) [[unlikely]] {
            if (dense_) dense_sample(key);
            if (h <= limit_) sample(key, h);
            gate = gate_;  // fixed-size sampling lowers it
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
    if (dense_) apply_dense(c);
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

  void dense_sample(PageKey key) {
    ++dense_by_distance_[dense_->access(key)];  // index 0: deeper than kDenseDepth, or new
  }

  // The dense sample's estimate replaces the sparse one at the sizes it covers: c frames miss the
  // references whose scaled distance (d - 1) / R2 + 1 exceeds c, and those deeper than its
  // bound, whose scaled distance exceeds kDenseDepth / R2 >= c.
  void apply_dense(MissRatioCurve& c) const {
    const double r2 = dense_rate_;
    const double covered = std::floor(kDenseDepth / r2);
    c.dense_rate = r2;
    c.dense_frames = static_cast<std::uint64_t>(covered);
    // deeper[d]: dense references at distance d or more, or beyond the stack (d = 1..depth + 1).
    std::vector<double> deeper(std::size_t{kDenseDepth} + 2, 0);
    deeper[kDenseDepth + 1] = static_cast<double>(dense_by_distance_[0]);
    for (std::size_t d = kDenseDepth; d >= 1; --d) {
      deeper[d] = deeper[d + 1] + static_cast<double>(dense_by_distance_[d]);
    }
    const double total = deeper[1];  // every dense reference
    c.dense_refs = static_cast<std::uint64_t>(total);
    const auto refs = static_cast<double>(refs_);
    // SHARDS_adj as for the sparse sample: weighted misses over the true references.
    const double scale = options_.adjust || total == 0 ? 1 / r2 : refs / static_cast<double>(total);
    std::size_t last = 0;
    for (std::size_t k = 1; k < c.faults_at.size(); ++k) {
      const double frames = static_cast<double>(k * c.bucket_frames);
      if (frames > covered) break;
      // The smallest d with (d - 1) / r2 + 1 > frames.
      const auto first_miss = static_cast<std::size_t>(
          std::min<double>(kDenseDepth + 1, std::floor((frames - 1) * r2 + 1) + 1));
      c.faults_at[k] = std::min(refs, deeper[first_miss] * scale);
      last = k;
    }
    // Where the two samples meet the curve must still fall with memory: a size the dense sample
    // gives never faults less than the next larger one.
    for (std::size_t k = last; k >= 1 && k + 1 < c.faults_at.size(); --k) {
      c.faults_at[k] = std::max(c.faults_at[k], c.faults_at[k + 1]);
    }
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
      gate_ = limit_;  // fixed-size sampling has no dense sample
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
  std::uint64_t gate_ = 0;  // max(limit_, dense_limit_): a hash above it is in neither sample
  double dense_rate_ = 0;
  std::uint64_t dense_limit_ = 0;
  std::optional<BoundedLruStack> dense_;
  std::vector<std::uint64_t> dense_by_distance_;  // dense references by distance (0: deeper)
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

double default_dense_rate(double sample_rate) {
  return sample_rate >= 0.1 ? 0 : std::min(0.1, 10 * sample_rate);
}

MissRatioCurve shards_lru_curve(TraceReader& reader, unsigned page_shift,
                                const ShardsOptions& options) {
  Shards shards(options);
  shards.run(reader, page_shift);
  return shards.curve();
}

}  // namespace vmsim::mrc
