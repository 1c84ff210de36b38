// What a policy's containers hold at their largest, in bytes, so that a run can be sized before it
// allocates (sim/memory_need.hpp). A policy whose state is fixed arrays states a constant
// `bytes_per_frame`; a policy with ghost lists or histories, whose size follows its parameters,
// states `static std::uint64_t memory_bound(std::uint32_t frames, std::uint32_t dense_pages,
// const Params&)`, built from the helpers here. Both include the frame table's share.
//
// The figures are upper bounds, not averages: the containers are reserved to the size they can
// reach, so that none doubles (and holds its old and new arrays at once) in the middle of a run.
#pragma once

#include <cstdint>
#include <utility>

namespace vmsim::detail {

// The simulator's own state per frame (the frame table's reverse map, referenced and dirty bits,
// free list): measured at 10.3 bytes as the peak resident set of a run whose policy keeps nothing
// per frame (docs/reliability.md).
inline constexpr std::uint64_t kFrameShareBytes = 16;

// Entries to reserve in an absl::flat_hash_map that holds at most `entries` at once while keys
// come and go, so that it never grows. Erasing leaves tombstones, and when they use up the table's
// spare slots it squashes them in place while at most 25/32 of the slots are live, but doubles
// otherwise (raw_hash_set.h, rehash_and_grow_if_necessary); reserve(m) gives at least m * 8/7
// slots, so m = entries * 9/8 keeps the live share under 25/32.
constexpr std::uint64_t no_growth_reserve(std::uint64_t entries) {
  return entries + entries / 8 + 1;
}

// The slots of such a table: the smallest 2^k - 1 that reserve(no_growth_reserve(entries)) asks
// for (raw_hash_set.h: GrowthToLowerboundCapacity, then NormalizeCapacity).
constexpr std::uint64_t hash_capacity(std::uint64_t entries) {
  const std::uint64_t m = no_growth_reserve(entries);
  const std::uint64_t lower = m + (m - 1) / 7;
  std::uint64_t capacity = 1;
  while (capacity < lower) capacity = capacity * 2 + 1;
  return capacity;
}

// Its bytes: a slot and a control byte per slot, the control bytes of one group cloned at the end.
constexpr std::uint64_t hash_map_bytes(std::uint64_t entries, std::uint64_t slot_bytes) {
  constexpr std::uint64_t kClonedControlBytes = 16;
  return hash_capacity(entries) * (slot_bytes + 1) + kClonedControlBytes;
}

// A PageMap<V> (detail/page_map.hpp) of at most `entries` keys: a V per dense page id, or the hash
// table of (key, V) pairs when keys are sparse (dense_pages == 0).
template <class V>
constexpr std::uint64_t page_map_bytes(std::uint64_t entries, std::uint32_t dense_pages) {
  if (dense_pages != 0) return std::uint64_t{dense_pages} * sizeof(V);
  return hash_map_bytes(entries, sizeof(std::pair<const std::uint64_t, V>));
}

// GhostLists (detail/ghost_lists.hpp) holding at most `entries` keys: per node a key, two links,
// a list number and a free-list slot, and the index.
constexpr std::uint64_t ghost_lists_bytes(std::uint64_t entries, std::uint32_t dense_pages) {
  constexpr std::uint64_t kNodeBytes = 8 + 4 + 4 + 1 + 4;
  return entries * kNodeBytes + page_map_bytes<std::uint32_t>(entries, dense_pages);
}

// A FrameList (detail/frame_list.hpp): two 32-bit links per frame.
inline constexpr std::uint64_t kFrameListBytesPerFrame = 8;

}  // namespace vmsim::detail
