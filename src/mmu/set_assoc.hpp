// A set-associative array of tagged entries with LRU replacement within each set: the one structure
// behind every TLB level (and, later, page-walk caches). Each set keeps its ways in recency order,
// most recent first, so a hit on the most recent way costs one compare and no reordering.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace vmsim {

template <class Value>
class SetAssoc {
 public:
  static constexpr std::uint64_t kInvalid = ~std::uint64_t{0};

  // `sets` must be a power of two; the caller validates.
  SetAssoc(std::uint32_t sets, std::uint32_t ways)
      : ways_(ways),
        set_mask_(sets - 1),
        tags_(std::size_t{sets} * ways, kInvalid),
        values_(std::size_t{sets} * ways) {}

  // On a hit, stores the value, makes the entry most recent and returns true.
  bool lookup(std::uint64_t tag, Value& value) {
    const std::size_t base = set_base(tag);
    for (std::uint32_t w = 0; w < ways_; ++w) {
      if (tags_[base + w] == tag) {
        value = values_[base + w];
        promote(base, w);
        return true;
      }
    }
    return false;
  }

  // Inserts as most recent, evicting the least recent way of the set (the caller knows the tag is
  // absent).
  void insert(std::uint64_t tag, Value value) {
    const std::size_t base = set_base(tag);
    tags_[base + ways_ - 1] = tag;
    values_[base + ways_ - 1] = value;
    promote(base, ways_ - 1);
  }

  // Removes the entry if present; returns whether it was.
  bool invalidate(std::uint64_t tag) {
    const std::size_t base = set_base(tag);
    for (std::uint32_t w = 0; w < ways_; ++w) {
      if (tags_[base + w] == tag) {
        // Shift the less recent ways up and leave the freed way last, where insert() takes it.
        for (std::uint32_t v = w; v + 1 < ways_; ++v) {
          tags_[base + v] = tags_[base + v + 1];
          values_[base + v] = values_[base + v + 1];
        }
        tags_[base + ways_ - 1] = kInvalid;
        return true;
      }
    }
    return false;
  }

  void flush() { std::fill(tags_.begin(), tags_.end(), kInvalid); }

  // Removes every entry whose tag `doomed(tag)` is true; the others keep their recency order.
  // Returns how many were removed.
  template <class Pred>
  std::uint64_t invalidate_if(Pred&& doomed) {
    std::uint64_t removed = 0;
    for (std::size_t base = 0; base < tags_.size(); base += ways_) {
      std::uint32_t kept = 0;
      for (std::uint32_t w = 0; w < ways_; ++w) {
        const std::uint64_t tag = tags_[base + w];
        if (tag != kInvalid && doomed(tag)) {
          ++removed;
          continue;
        }
        tags_[base + kept] = tag;
        values_[base + kept] = values_[base + w];
        ++kept;
      }
      for (std::uint32_t w = kept; w < ways_; ++w) tags_[base + w] = kInvalid;
    }
    return removed;
  }

 private:
  std::size_t set_base(std::uint64_t tag) const {
    // Mix the tag so that the address-space id in the high bits spreads over sets too.
    return static_cast<std::size_t>((tag ^ (tag >> 48)) & set_mask_) * ways_;
  }

  void promote(std::size_t base, std::uint32_t w) {
    if (w == 0) return;
    const std::uint64_t tag = tags_[base + w];
    const Value value = values_[base + w];
    for (std::uint32_t v = w; v > 0; --v) {
      tags_[base + v] = tags_[base + v - 1];
      values_[base + v] = values_[base + v - 1];
    }
    tags_[base] = tag;
    values_[base] = value;
  }

  std::uint32_t ways_;
  std::uint64_t set_mask_;
  std::vector<std::uint64_t> tags_;
  std::vector<Value> values_;
};

}  // namespace vmsim
