// Ghost lists: lists of page keys (no frames, no data) that remember recently evicted pages, as
// ARC's B1/B2, CAR's B1/B2, 2Q's A1out and S3-FIFO's G do. Several lists share one node pool and
// one index (detail/page_map.hpp: a flat array over dense page ids, else a hash table), so "is x in
// B1 or B2, and which" is a single lookup. Each list is ordered: front
// = most recently inserted, back = oldest. Nodes are 32-bit indices into flat arrays and are reused
// through a free list, so memory stays at the policies' bounds (at most a few entries per frame).
// Touched on faults only, never on a hit.
#pragma once

#include <cstdint>
#include <vector>

#include "policy/page/detail/page_map.hpp"
#include "vmsim/error.hpp"

namespace vmsim::detail {

class GhostLists {
 public:
  static constexpr std::uint32_t kNil = ~std::uint32_t{0};
  static constexpr int kNone = -1;

  // `lists` lists; `expected` is how many keys are expected at most in all of them together;
  // `dense_pages` is PolicyContext::dense_pages.
  GhostLists(int lists, std::size_t expected, std::uint32_t dense_pages)
      : heads_(lists), index_(dense_pages, expected) {
    key_.reserve(expected);
    prev_.reserve(expected);
    next_.reserve(expected);
    list_.reserve(expected);
    free_.reserve(expected);
  }

  // Which list holds `key`, or kNone.
  int find(std::uint64_t key) const {
    const std::uint32_t* node = index_.find(key);
    return node == nullptr ? kNone : list_[*node];
  }

  // Starts fetching what find(key) will read (see HasPrefetchPage).
  void prefetch(std::uint64_t key) const { index_.prefetch(key); }

  std::uint32_t size(int list) const { return heads_[list].size; }
  bool empty(int list) const { return heads_[list].size == 0; }
  std::uint64_t back(int list) const { return key_[heads_[list].tail]; }
  std::uint64_t front(int list) const { return key_[heads_[list].head]; }

  // Inserts `key` (not in any list) at the front (most recent end) of `list`.
  void push_front(int list, std::uint64_t key) {
    const std::uint32_t n = allocate(key, list);
    Head& h = heads_[list];
    prev_[n] = kNil;
    next_[n] = h.head;
    if (h.head != kNil) prev_[h.head] = n;
    h.head = n;
    if (h.tail == kNil) h.tail = n;
    ++h.size;
  }

  // Removes and returns the oldest key of a non-empty `list`.
  std::uint64_t pop_back(int list) {
    const std::uint32_t n = heads_[list].tail;
    const std::uint64_t key = key_[n];
    unlink(n);
    return key;
  }

  // Removes `key` from whichever list holds it; false if none does.
  bool erase(std::uint64_t key) {
    const auto node = index_.take(key);
    if (!node) return false;
    unlink_node(*node);
    return true;
  }

  std::size_t total() const { return index_.size(); }

 private:
  struct Head {
    std::uint32_t head = kNil;
    std::uint32_t tail = kNil;
    std::uint32_t size = 0;
  };

  std::uint32_t allocate(std::uint64_t key, int list) {
    std::uint32_t n;
    if (!free_.empty()) {
      n = free_.back();
      free_.pop_back();
      key_[n] = key;
      list_[n] = static_cast<std::int8_t>(list);
    } else {
      // Nodes are 32-bit and kNil is reserved. The policies' bounds (at most frames + 1 keys for
      // ARC and CAR, at most 2^31 + 1 otherwise, checked in param_check.hpp) stay
      // below it; this is the guard should one not.
      if (key_.size() >= kNil) throw Error("ghost lists: more keys than 32-bit node indices hold");
      n = static_cast<std::uint32_t>(key_.size());
      key_.push_back(key);
      prev_.push_back(kNil);
      next_.push_back(kNil);
      list_.push_back(static_cast<std::int8_t>(list));
    }
    index_.insert(key, n);
    return n;
  }

  void unlink(std::uint32_t n) {
    index_.remove(key_[n]);
    unlink_node(n);
  }

  // Takes node n off its list and frees it; its index entry is already gone.
  void unlink_node(std::uint32_t n) {
    Head& h = heads_[list_[n]];
    const std::uint32_t p = prev_[n];
    const std::uint32_t q = next_[n];
    if (p != kNil)
      next_[p] = q;
    else
      h.head = q;
    if (q != kNil)
      prev_[q] = p;
    else
      h.tail = p;
    --h.size;
    free_.push_back(n);
  }

  std::vector<Head> heads_;
  std::vector<std::uint64_t> key_;
  std::vector<std::uint32_t> prev_;
  std::vector<std::uint32_t> next_;
  std::vector<std::int8_t> list_;
  std::vector<std::uint32_t> free_;
  PageMap<std::uint32_t> index_;
};

}  // namespace vmsim::detail
