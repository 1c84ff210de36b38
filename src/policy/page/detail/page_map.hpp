// A map from page identities (PolicyContext::page_key values) to small values, for policies that
// remember pages they no longer hold (ghost lists, LIRS's non-resident entries, LRU-K's history).
// In reference-string mode identities are dense ids below PolicyContext::dense_pages, and the map
// is a flat array indexed by id: a lookup is one load, with no hashing and no probing, which is
// what keeps ARC, 2Q, S3-FIFO and LIRS fast there. In the full model identities are sparse page
// keys (asid and page number) and the map is a hash table. Touched on faults only.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "core/memory_budget.hpp"
#include "policy/page/detail/footprint.hpp"

namespace vmsim::detail {

template <class V>
class PageMap {
 public:
  // `dense_pages` is PolicyContext::dense_pages (0: sparse keys); `expected` is how many entries
  // the map holds at most. The hash table is sized so that it never grows while it holds no more
  // (detail/footprint.hpp): its memory is then page_map_bytes(expected), with no doubling midway.
  PageMap(std::uint32_t dense_pages, std::size_t expected) : dense_(dense_pages != 0) {
    if (dense_) {
      slots_.assign(dense_pages, kEmpty);
    } else {
      index_.reserve(no_growth_reserve(expected));
      planned_ = std::max<std::size_t>(expected, kUncheckedGrowth);
    }
  }

  // The value of `key`, or nullptr.
  const V* find(std::uint64_t key) const {
    if (dense_) return slots_[key] == kEmpty ? nullptr : &slots_[key];
    const auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second;
  }
  bool contains(std::uint64_t key) const { return find(key) != nullptr; }

  // Starts fetching what find(key) will read (see HasPrefetchPage).
  void prefetch(std::uint64_t key) const {
    if (dense_)
      __builtin_prefetch(&slots_[key]);
    else
      index_.prefetch(key);
  }

  // Adds `key`, which is not in the map, with `value` (never the reserved empty value). Every
  // caller inserts a page as it leaves memory, when it cannot be in the map already; so in dense
  // mode this is a blind store, with no load of a slot that is most likely not in cache.
  void insert(std::uint64_t key, V value) {
    assert(value != kEmpty);
    if (dense_) {
      assert(slots_[key] == kEmpty);
      slots_[key] = value;
      ++size_;
    } else {
      if (index_.size() >= planned_) [[unlikely]]
        check_growth();
      [[maybe_unused]] const bool fresh = index_.emplace(key, value).second;
      assert(fresh);
    }
  }

  // Removes `key` and returns its value, if it was present: one lookup either way.
  std::optional<V> take(std::uint64_t key) {
    if (dense_) {
      const V value = slots_[key];
      if (value == kEmpty) return std::nullopt;
      slots_[key] = kEmpty;
      --size_;
      return value;
    }
    const auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    const V value = it->second;
    index_.erase(it);  // by position: a second lookup by key would miss the cache again
    return value;
  }

  // Removes `key`, which is in the map (a blind store in dense mode, as insert).
  void remove(std::uint64_t key) {
    if (dense_) {
      assert(slots_[key] != kEmpty);
      slots_[key] = kEmpty;
      --size_;
    } else {
      [[maybe_unused]] const std::size_t erased = index_.erase(key);
      assert(erased == 1);
    }
  }

  std::size_t size() const { return dense_ ? size_ : index_.size(); }

 private:
  // Values are node indices, slots and counts, none of which reaches the type's maximum.
  static constexpr V kEmpty = std::numeric_limits<V>::max();
  // Growth up to this many entries is not worth a look at /proc/meminfo.
  static constexpr std::size_t kUncheckedGrowth = std::size_t{1} << 16;

  // A map that outgrows the size it was made for (only perfect LFU's, which keeps a count for
  // every page it has evicted) is refused with the figure before each doubling that cannot fit,
  // rather than ending in std::bad_alloc.
  void check_growth() {
    planned_ *= 2;
    require_memory(hash_map_bytes(planned_, sizeof(std::pair<const std::uint64_t, V>)),
                   fmt::format("a policy's map of {} evicted pages", planned_));
  }

  bool dense_;
  std::vector<V> slots_;                         // dense ids: value per id, kEmpty if absent
  std::size_t size_ = 0;                         // dense ids: entries present
  std::size_t planned_ = 0;                      // sparse keys: size at which growth is checked
  absl::flat_hash_map<std::uint64_t, V> index_;  // sparse keys
};

}  // namespace vmsim::detail
