// Physical memory: one descriptor per page frame (Linux's struct page, reduced to what the model
// needs): the reverse map to every page that maps it with its map count, its copy on swap (the
// swap cache), and the referenced/dirty bits the access path sets. Kept as parallel arrays so the
// hot path touches one byte per bit it sets.
//
// The reverse map holds page keys, not pointers to entries: the kernel finds a mapping's entry by
// walking that address space's table for the page, as Linux's page_vma_mapped_walk does. The
// first mapper is the frame's owner and stays inline (policies read it as PolicyContext::page_key);
// a frame mapped by more (after a fork) keeps the others in a side table, so the common frame,
// mapped once, costs no more than before.
//
// The bits are stored as FrameBit, a byte that is not a character type: a store through an
// unsigned char pointer may alias any object, so after each one the compiler would reload every
// member the engine's loop uses (the LRU list head, the TLB's arrays, the reference counter). The
// engine stores through FrameBit pointers, which alias nothing else; policies read and clear the
// bits as bytes (PolicyContext), which the language allows for any object. One bit per frame is
// what reclaim would gather from every mapping's PTE (mm/pte.hpp says why they agree).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "core/frame_id.hpp"
#include "core/frame_names.hpp"
#include "core/page_key.hpp"

namespace vmsim {

enum class FrameBit : std::uint8_t { Clear = 0, Set = 1 };

// `Slot` is the swap device's slot type (mm/swap.hpp); 0 is no slot.
template <class Slot>
class FrameTable {
 public:
  explicit FrameTable(std::uint32_t frames)
      : desc_(frames),
        referenced_(frames, FrameBit::Clear),
        dirty_(frames, FrameBit::Clear),
        frames_(frames) {}

  std::uint32_t size() const { return frames_; }
  std::uint32_t in_use() const { return in_use_; }

  // A free frame, or nothing when all are in use (then the caller reclaims one). Frames are handed
  // out in order 0, 1, 2, ... first, which keeps textbook traces easy to follow.
  // Full memory is tested first: once it fills, most faults find it so.
  std::optional<FrameId> take_free() {
    if (in_use_ == frames_) return std::nullopt;
    ++in_use_;
    if (!free_.empty()) {
      const FrameId f = free_.back();
      free_.pop_back();
      return f;
    }
    return never_used_++;
  }

  void release(FrameId f) {
    free_.push_back(f);
    --in_use_;
  }

  // The reverse map. A page maps f (its first mapper becomes the owner).
  void add_mapping(FrameId f, PageKey page) {
    if (desc_[f].mapcount++ == 0) [[likely]] {
      desc_[f].owner = page;
    } else {
      add_other(f, page);
    }
  }
  // The same for a frame that nothing maps, in a run where nothing is shared yet.
  void add_only_mapping(FrameId f, PageKey page) {
    desc_[f].mapcount = 1;
    desc_[f].owner = page;
  }
  // `page` no longer maps f; returns how many pages still do.
  [[gnu::cold, gnu::noinline]] std::uint32_t remove_mapping(FrameId f, PageKey page) {
    const std::uint32_t left = --desc_[f].mapcount;
    if (left == 0) return 0;
    auto it = more_.find(f);
    std::vector<PageKey>& others = it->second;
    if (desc_[f].owner == page) {
      // The longest-standing other mapper takes over, so the owner does not depend on hashing.
      desc_[f].owner = others.front();
      others.erase(others.begin());
    } else {
      others.erase(std::find(others.begin(), others.end(), page));
    }
    if (others.empty()) more_.erase(it);
    return left;
  }
  // No page maps f any more (eviction has unmapped them all).
  void clear_mappings(FrameId f) {
    if (desc_[f].mapcount > 1) [[unlikely]]
      forget_others(f);
    desc_[f].mapcount = 0;
  }
  // The same for a frame known to have one mapping (nothing is shared yet).
  void clear_only_mapping(FrameId f) { desc_[f].mapcount = 0; }
  std::uint32_t mapcount(FrameId f) const { return desc_[f].mapcount; }
  // Frames that more than one page maps: those with mappers in the side table.
  std::uint64_t shared_frames() const { return more_.size(); }
  PageKey owner(FrameId f) const { return desc_[f].owner; }
  // Calls visit(page) for every page that maps f, the owner first. Every frame in use has one.
  template <class Visit>
  void for_each_mapping(FrameId f, Visit&& visit) const {
    visit(desc_[f].owner);
    if (desc_[f].mapcount > 1) [[unlikely]] {
      for (const PageKey page : others(f)) visit(page);
    }
  }
  // Per frame, the page occupying it: policies with ghost lists read it in on_map/on_unmap.
  FrameNames owners() const {
    return {reinterpret_cast<const unsigned char*>(desc_.data()) + offsetof(Desc, owner),
            sizeof(Desc)};
  }

  // The frame's copy on swap: the slot whose page it holds while that copy is valid (a swap-in
  // keeps it with --swap-cache, a write-back gives it one), or 0.
  Slot& slot(FrameId f) { return desc_[f].slot; }

  // For the engine's access path.
  FrameBit* referenced_bits() { return referenced_.data(); }
  FrameBit* dirty_bits() { return dirty_.data(); }
  // For policies (PolicyContext): the same bits as bytes, 0 or 1.
  std::uint8_t* referenced() { return reinterpret_cast<std::uint8_t*>(referenced_.data()); }
  const std::uint8_t* dirty() const { return reinterpret_cast<const std::uint8_t*>(dirty_.data()); }

  void mark_dirty(FrameId f) { dirty_[f] = FrameBit::Set; }
  bool is_dirty(FrameId f) const { return dirty_[f] != FrameBit::Clear; }
  void clear_dirty(FrameId f) { dirty_[f] = FrameBit::Clear; }
  void clear_referenced(FrameId f) { referenced_[f] = FrameBit::Clear; }

 private:
  // The side table, out of line: only frames shared after a fork use it, and the fault path that
  // inlines the rest stays small.
  [[gnu::cold, gnu::noinline]] void add_other(FrameId f, PageKey page) { more_[f].push_back(page); }
  [[gnu::cold, gnu::noinline]] const std::vector<PageKey>& others(FrameId f) const {
    return more_.at(f);
  }
  [[gnu::cold, gnu::noinline]] void forget_others(FrameId f) { more_.erase(f); }

  // Per frame, side by side: a fault and an eviction read and write all three, and one cache
  // line then serves (as arrays of their own they cost a miss each on a large memory).
  struct Desc {
    PageKey owner = 0;           // the reverse map's first entry: the page in the frame
    Slot slot = 0;               // the frame's copy on swap, or 0
    std::uint32_t mapcount = 0;  // pages mapping the frame
  };
  std::vector<Desc> desc_;
  absl::flat_hash_map<FrameId, std::vector<PageKey>> more_;  // mappers after the first
  std::vector<FrameBit> referenced_;
  std::vector<FrameBit> dirty_;
  std::vector<FrameId> free_;
  FrameId never_used_ = 0;
  std::uint32_t in_use_ = 0;
  std::uint32_t frames_;
};

}  // namespace vmsim
