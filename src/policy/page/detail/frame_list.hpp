// An intrusive doubly linked list of frames with 32-bit links: O(1) push, remove and move-to-front
// without allocation, shared by the queue- and recency-ordered policies. A frame's two links sit
// together in one 8-byte node, so relinking a frame touches one cache line per frame involved
// (LRU relinks on every reference); a frame off the list is marked by a reserved link value
// instead of a separate flag array.
#pragma once

#include <cstdint>
#include <vector>

#include "policy/page/policy.hpp"

namespace vmsim::detail {

class FrameList {
 public:
  static constexpr FrameId kNil = ~FrameId{0};

  explicit FrameList(std::uint32_t frames) : nodes_(frames) {}

  bool empty() const { return head_ == kNil; }
  bool contains(FrameId f) const { return nodes_[f].prev != kOff; }
  FrameId front() const { return head_; }
  FrameId back() const { return tail_; }
  FrameId next(FrameId f) const { return nodes_[f].next; }
  FrameId prev(FrameId f) const { return nodes_[f].prev; }
  std::uint32_t size() const { return size_; }

  void push_front(FrameId f) {
    nodes_[f] = {kNil, head_};
    if (head_ != kNil) nodes_[head_].prev = f;
    head_ = f;
    if (tail_ == kNil) tail_ = f;
    ++size_;
  }

  void push_back(FrameId f) {
    nodes_[f] = {tail_, kNil};
    if (tail_ != kNil) nodes_[tail_].next = f;
    tail_ = f;
    if (head_ == kNil) head_ = f;
    ++size_;
  }

  void remove(FrameId f) {
    const Node node = nodes_[f];
    if (node.prev != kNil)
      nodes_[node.prev].next = node.next;
    else
      head_ = node.next;
    if (node.next != kNil)
      nodes_[node.next].prev = node.prev;
    else
      tail_ = node.prev;
    nodes_[f].prev = kOff;
    --size_;
  }

  // remove + push_front fused (LRU calls it on every reference): a frame that is not the head has
  // a predecessor, and the list is not empty, which saves the branches and the size updates.
  void move_to_front(FrameId f) {
    if (head_ == f) return;
    const Node node = nodes_[f];
    nodes_[node.prev].next = node.next;
    if (node.next != kNil)
      nodes_[node.next].prev = node.prev;
    else
      tail_ = node.prev;
    nodes_[f] = {kNil, head_};
    nodes_[head_].prev = f;
    head_ = f;
  }

 private:
  // The prev link of a frame that is on no list. Frame numbers stay below 2^31 (SimConfig), so it
  // names no frame, and it differs from kNil, the prev link of the head.
  static constexpr FrameId kOff = kNil - 1;

  struct Node {
    FrameId prev = kOff;
    FrameId next = kNil;
  };

  std::vector<Node> nodes_;
  FrameId head_ = kNil;
  FrameId tail_ = kNil;
  std::uint32_t size_ = 0;
};

}  // namespace vmsim::detail
