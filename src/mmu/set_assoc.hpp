// A set-associative array of tagged entries with LRU replacement within each set: the one structure
// behind every TLB level (and, later, page-walk caches). Each set keeps its ways in recency order,
// most recent first, so a hit on the most recent way costs one compare and no reordering.
//
// A way's tag and value sit side by side in one struct. In two arrays of one type (a 64-bit TLB
// entry beside its 64-bit tag) every store to one may alias the other, and the compiler reloaded
// both on every step of a shift (measured: 60% more instructions in insert). The shifts are
// written as swaps with one way held in registers (GCC turns a loop of plain copies into a call to
// memmove, which costs more than the few ways it moves), and no way is loaded right after a part of
// it was stored: such a load cannot be forwarded from the store buffer and waits until every older
// store has reached the cache, which behind a page fault's cache-missing stores costs a memory
// latency (perf on simulate/random/lru: 36% of the TLB-miss path sat on that one load).
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
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
        ways_of_(std::size_t{sets} * ways, Way{kInvalid, Value{}}) {}

  // On a hit, stores the value, makes the entry most recent and returns true.
  bool lookup(std::uint64_t tag, Value& value) {
    const std::size_t base = set_base(tag);
    for (std::uint32_t w = 0; w < ways_; ++w) {
      if (ways_of_[base + w].tag == tag) {
        value = ways_of_[base + w].value;
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
    Way carry{tag, value};
    for (std::uint32_t w = 0; w < ways_; ++w) std::swap(carry, ways_of_[base + w]);
  }

  // Removes the entry if present; returns whether it was.
  bool invalidate(std::uint64_t tag) {
    const std::size_t base = set_base(tag);
    for (std::uint32_t w = 0; w < ways_; ++w) {
      if (ways_of_[base + w].tag == tag) {
        // Shift the less recent ways up and leave the freed way last, where insert() takes it.
        Way carry{kInvalid, Value{}};
        for (std::uint32_t v = ways_; v-- > w;) std::swap(carry, ways_of_[base + v]);
        return true;
      }
    }
    return false;
  }

  void flush() {
    for (Way& way : ways_of_) way.tag = kInvalid;
  }

  // Removes every entry whose tag `doomed(tag)` is true; the others keep their recency order.
  // Returns how many were removed.
  template <class Pred>
  std::uint64_t invalidate_if(Pred&& doomed) {
    std::uint64_t removed = 0;
    for (std::size_t base = 0; base < ways_of_.size(); base += ways_) {
      std::uint32_t kept = 0;
      for (std::uint32_t w = 0; w < ways_; ++w) {
        const Way way = ways_of_[base + w];
        if (way.tag != kInvalid && doomed(way.tag)) {
          ++removed;
          continue;
        }
        ways_of_[base + kept] = way;
        ++kept;
      }
      for (std::uint32_t w = kept; w < ways_; ++w) ways_of_[base + w].tag = kInvalid;
    }
    return removed;
  }

 private:
  std::size_t set_base(std::uint64_t tag) const {
    // Mix the tag so that the address-space id in the high bits spreads over sets too.
    return static_cast<std::size_t>((tag ^ (tag >> 48)) & set_mask_) * ways_;
  }

  // Way w becomes the first; the ways before it move down one.
  void promote(std::size_t base, std::uint32_t w) {
    if (w == 0) return;
    Way carry = ways_of_[base + w];
    for (std::uint32_t v = 0; v <= w; ++v) std::swap(carry, ways_of_[base + v]);
  }

  struct Way {
    std::uint64_t tag;
    Value value;
  };

  std::uint32_t ways_;
  std::uint64_t set_mask_;
  std::vector<Way> ways_of_;
};

}  // namespace vmsim
