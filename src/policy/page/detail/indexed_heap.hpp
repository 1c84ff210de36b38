// A binary max-heap over frames keyed by a 64-bit priority, with O(log n) update of any frame's
// key.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "policy/page/policy.hpp"

namespace vmsim::detail {

class IndexedMaxHeap {
 public:
  static constexpr std::uint32_t kAbsent = ~std::uint32_t{0};

  // Per frame a key, a heap slot and a heap entry.
  static constexpr std::uint64_t kBytesPerFrame = 8 + 4 + 4;

  explicit IndexedMaxHeap(std::uint32_t frames) : key_(frames, 0), slot_(frames, kAbsent) {
    heap_.reserve(frames);
  }

  bool contains(FrameId f) const { return slot_[f] != kAbsent; }
  FrameId top() const { return heap_.front(); }
  std::uint64_t key(FrameId f) const { return key_[f]; }

  void insert(FrameId f, std::uint64_t key) {
    key_[f] = key;
    slot_[f] = static_cast<std::uint32_t>(heap_.size());
    heap_.push_back(f);
    sift_up(slot_[f]);
  }

  void update(FrameId f, std::uint64_t key) {
    const std::uint64_t old = key_[f];
    key_[f] = key;
    if (key > old) {
      sift_up(slot_[f]);
    } else if (key < old) {
      sift_down(slot_[f]);
    }
  }

  void erase(FrameId f) {
    const std::uint32_t i = slot_[f];
    const FrameId last = heap_.back();
    heap_.pop_back();
    slot_[f] = kAbsent;
    if (last == f) return;
    heap_[i] = last;
    slot_[last] = i;
    sift_up(i);
    sift_down(slot_[last]);
  }

 private:
  void place(std::uint32_t i, FrameId f) {
    heap_[i] = f;
    slot_[f] = i;
  }

  void sift_up(std::uint32_t i) {
    const FrameId f = heap_[i];
    while (i > 0) {
      const std::uint32_t parent = (i - 1) / 2;
      if (key_[heap_[parent]] >= key_[f]) break;
      place(i, heap_[parent]);
      i = parent;
    }
    place(i, f);
  }

  void sift_down(std::uint32_t i) {
    const FrameId f = heap_[i];
    const auto n = static_cast<std::uint32_t>(heap_.size());
    for (;;) {
      std::uint32_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && key_[heap_[child + 1]] > key_[heap_[child]]) ++child;
      if (key_[heap_[child]] <= key_[f]) break;
      place(i, heap_[child]);
      i = child;
    }
    place(i, f);
  }

  std::vector<std::uint64_t> key_;
  std::vector<std::uint32_t> slot_;
  std::vector<FrameId> heap_;
};

}  // namespace vmsim::detail
