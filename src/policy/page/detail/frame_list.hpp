// An intrusive doubly linked list of frames with 32-bit links in flat arrays: O(1) push, remove and
// move-to-front without allocation, shared by the queue- and recency-ordered policies.
#pragma once

#include <cstdint>
#include <vector>

#include "policy/page/policy.hpp"

namespace vmsim::detail {

class FrameList {
 public:
  static constexpr FrameId kNil = ~FrameId{0};

  explicit FrameList(std::uint32_t frames)
      : prev_(frames, kNil), next_(frames, kNil), linked_(frames, 0) {}

  bool empty() const { return head_ == kNil; }
  bool contains(FrameId f) const { return linked_[f] != 0; }
  FrameId front() const { return head_; }
  FrameId back() const { return tail_; }
  FrameId next(FrameId f) const { return next_[f]; }
  FrameId prev(FrameId f) const { return prev_[f]; }
  std::uint32_t size() const { return size_; }

  void push_front(FrameId f) {
    prev_[f] = kNil;
    next_[f] = head_;
    if (head_ != kNil) prev_[head_] = f;
    head_ = f;
    if (tail_ == kNil) tail_ = f;
    linked_[f] = 1;
    ++size_;
  }

  void push_back(FrameId f) {
    next_[f] = kNil;
    prev_[f] = tail_;
    if (tail_ != kNil) next_[tail_] = f;
    tail_ = f;
    if (head_ == kNil) head_ = f;
    linked_[f] = 1;
    ++size_;
  }

  void remove(FrameId f) {
    const FrameId p = prev_[f];
    const FrameId n = next_[f];
    if (p != kNil)
      next_[p] = n;
    else
      head_ = n;
    if (n != kNil)
      prev_[n] = p;
    else
      tail_ = p;
    linked_[f] = 0;
    --size_;
  }

  void move_to_front(FrameId f) {
    if (head_ == f) return;
    remove(f);
    push_front(f);
  }

 private:
  std::vector<FrameId> prev_;
  std::vector<FrameId> next_;
  std::vector<std::uint8_t> linked_;
  FrameId head_ = kNil;
  FrameId tail_ = kNil;
  std::uint32_t size_ = 0;
};

}  // namespace vmsim::detail
