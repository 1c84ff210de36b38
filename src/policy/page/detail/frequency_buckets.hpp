// Frames grouped by reference count: a list of buckets in increasing count, each an intrusive list
// of its frames in order of last reference (front = most recent). Incrementing a count moves the
// frame to the front of the next bucket in O(1), so the least recently used frame with the lowest
// or the highest count is always a bucket's back (Shah, Mitra, Matani, "An O(1) algorithm for
// implementing the LFU cache eviction scheme", 2010). Shared by LFU and MFU.
//
// Within a bucket, order of entry is order of last reference: a frame only enters a bucket when it
// is referenced (or loaded), and it then becomes that bucket's most recent member.
#pragma once

#include <cstdint>
#include <vector>

#include "policy/page/policy.hpp"

namespace vmsim::detail {

class FrequencyBuckets {
 public:
  static constexpr std::uint32_t kNil = ~std::uint32_t{0};
  // Per frame three links; per bucket (frames + 1 of them) a count, four links and a free slot.
  static constexpr std::uint64_t kBytesPerFrame = 3 * 4 + (8 + 4 * 4 + 4);

  // At most one non-empty bucket per frame, plus one while a frame moves between buckets.
  explicit FrequencyBuckets(std::uint32_t frames)
      : prev_(frames, kNil),
        next_(frames, kNil),
        bucket_(frames, kNil),
        count_(frames + 1, 0),
        head_(frames + 1, kNil),
        tail_(frames + 1, kNil),
        lower_(frames + 1, kNil),
        higher_(frames + 1, kNil) {
    free_.reserve(frames + 1);
    for (std::uint32_t b = frames + 1; b-- > 0;) free_.push_back(b);
  }

  bool contains(FrameId f) const { return bucket_[f] != kNil; }
  std::uint64_t count(FrameId f) const { return count_[bucket_[f]]; }
  // The least recently used frame among those with the lowest (highest) count.
  FrameId least_recent_of_lowest() const { return tail_[lowest_]; }
  FrameId least_recent_of_highest() const { return tail_[highest_]; }

  // Adds f with `count` references as the most recent frame of that count. The walk up from the
  // lowest bucket costs nothing when count is 0 (a freshly loaded page); only perfect LFU, which
  // reloads a page with its old count, walks further (once per fault, never per reference).
  void insert(FrameId f, std::uint64_t count) {
    std::uint32_t below = kNil;
    std::uint32_t above = lowest_;
    while (above != kNil && count_[above] < count) {
      below = above;
      above = higher_[above];
    }
    const std::uint32_t b =
        above != kNil && count_[above] == count ? above : new_bucket(count, below, above);
    link_front(b, f);
  }

  void increment(FrameId f) {
    const std::uint32_t b = bucket_[f];
    const std::uint64_t count = count_[b] + 1;
    const std::uint32_t up = higher_[b];
    if (up != kNil && count_[up] == count) {
      erase(f);
      link_front(up, f);
    } else if (head_[b] == f && tail_[b] == f) {
      count_[b] = count;  // alone in its bucket: the bucket moves up with it, still below `up`
    } else {
      erase(f);  // b keeps its other frames
      link_front(new_bucket(count, b, up), f);
    }
  }

  void erase(FrameId f) {
    const std::uint32_t b = bucket_[f];
    const FrameId p = prev_[f];
    const FrameId n = next_[f];
    (p != kNil ? next_[p] : head_[b]) = n;
    (n != kNil ? prev_[n] : tail_[b]) = p;
    bucket_[f] = kNil;
    if (head_[b] == kNil) free_bucket(b);
  }

 private:
  void link_front(std::uint32_t b, FrameId f) {
    prev_[f] = kNil;
    next_[f] = head_[b];
    (head_[b] != kNil ? prev_[head_[b]] : tail_[b]) = f;
    head_[b] = f;
    bucket_[f] = b;
  }

  std::uint32_t new_bucket(std::uint64_t count, std::uint32_t below, std::uint32_t above) {
    const std::uint32_t b = free_.back();
    free_.pop_back();
    count_[b] = count;
    head_[b] = tail_[b] = kNil;
    lower_[b] = below;
    higher_[b] = above;
    (below != kNil ? higher_[below] : lowest_) = b;
    (above != kNil ? lower_[above] : highest_) = b;
    return b;
  }

  void free_bucket(std::uint32_t b) {
    const std::uint32_t below = lower_[b];
    const std::uint32_t above = higher_[b];
    (below != kNil ? higher_[below] : lowest_) = above;
    (above != kNil ? lower_[above] : highest_) = below;
    free_.push_back(b);
  }

  // Per frame: links within its bucket, and the bucket.
  std::vector<FrameId> prev_;
  std::vector<FrameId> next_;
  std::vector<std::uint32_t> bucket_;
  // Per bucket: its count, its frames, and its neighbours in count order.
  std::vector<std::uint64_t> count_;
  std::vector<FrameId> head_;
  std::vector<FrameId> tail_;
  std::vector<std::uint32_t> lower_;
  std::vector<std::uint32_t> higher_;
  std::vector<std::uint32_t> free_;
  std::uint32_t lowest_ = kNil;
  std::uint32_t highest_ = kNil;
};

}  // namespace vmsim::detail
