// LFU: evict the page with the fewest references, ties broken by least recent reference.
//
// Counting-based replacement as Silberschatz, Galvin, Gagne define it (Operating System Concepts,
// 10th ed., 10.4.6): a page's count starts at zero when it is loaded, so a page that was used
// heavily, evicted and loaded again starts afresh. That textbook LFU is not a stack algorithm: the
// count depends on how long the page stayed resident, which depends on the memory size.
//
// `perfect=1` keeps the counts of evicted pages (keyed by page, for the whole run), so a page's
// count is its number of references since the start of the trace. Priority by (count, time of last
// reference) is then independent of the memory size, which by Mattson, Gecsei, Slutz, Traiger
// (1970) makes it a stack algorithm: no Belady anomaly, and inclusion holds.
//
// Cost: O(1) per reference (frequency buckets); perfect LFU adds a hash lookup and a bucket walk
// per fault, and memory for one count per distinct page evicted.
#pragma once

#include <cstdint>
#include <tuple>

#include "policy/page/detail/footprint.hpp"
#include "policy/page/detail/frequency_buckets.hpp"
#include "policy/page/detail/page_map.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class Lfu {
 public:
  static constexpr PolicyInfo info{
      "lfu",
      "least frequently used: evict the page referenced fewest times since loaded (ties: least "
      "recent)",
      "Silberschatz, Galvin, Gagne, Operating System Concepts, 10th ed., 10.4.6 (counting-based "
      "replacement); perfect LFU: Mattson, Gecsei, Slutz, Traiger, IBM Systems Journal 9(2), 1970"};

  struct Params {
    bool perfect = false;
    static constexpr std::tuple fields{ParamField<Params, bool>{
        "perfect", &Params::perfect,
        "0 or 1: 1 keeps the counts of evicted pages (perfect LFU, a stack algorithm); default 0: "
        "a count starts at zero each time the page is loaded"}};
  };

  // The frequency buckets; perfect LFU adds a count per page it has evicted, an array over the
  // dense page ids or, with sparse keys, a map that grows with the distinct pages evicted and is
  // checked against the memory available as it grows (detail/page_map.hpp).
  static std::uint64_t memory_bound(std::uint32_t frames, std::uint32_t dense_pages,
                                    const Params& params) {
    const std::uint64_t counts =
        params.perfect && dense_pages != 0 ? std::uint64_t{dense_pages} * 8 : 0;
    return frames * (detail::kFrameShareBytes + detail::FrequencyBuckets::kBytesPerFrame) + counts;
  }

  Lfu(const PolicyContext& ctx, Params params)
      : buckets_(ctx.frames),
        page_key_(ctx.page_key),
        perfect_(params.perfect),
        evicted_counts_(perfect_ ? ctx.dense_pages : 0, 0) {}

  void prefetch_page(std::uint64_t key) const {
    if (perfect_) evicted_counts_.prefetch(key);
  }

  // The faulting reference follows at once as on_access, which makes a new page's count 1.
  void on_map(FrameId f) {
    std::uint64_t count = 0;
    if (perfect_) {
      if (const auto taken = evicted_counts_.take(page_key_[f])) count = *taken;
    }
    buckets_.insert(f, count);
  }

  // A resident frame is now named `key` (its first mapper left: mm/frame_table.hpp), so what
  // was remembered of an evicted page of that name is forgotten (policy.hpp: HasForget).
  void forget(std::uint64_t key) {
    if (perfect_) evicted_counts_.take(key);
  }

  void on_unmap(FrameId f) {
    if (perfect_) evicted_counts_.insert(page_key_[f], buckets_.count(f));
    buckets_.erase(f);
  }

  // A page freed with its process leaves no count behind, even in perfect LFU.
  void on_discard(FrameId f) { buckets_.erase(f); }

  void on_access(FrameId f, std::uint64_t /*now*/) { buckets_.increment(f); }

  FrameId select_victim() const { return buckets_.least_recent_of_lowest(); }

 private:
  detail::FrequencyBuckets buckets_;
  FrameNames page_key_;
  bool perfect_;
  detail::PageMap<std::uint64_t> evicted_counts_;  // perfect LFU only
};

}  // namespace vmsim
