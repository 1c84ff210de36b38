// Physical memory: one descriptor per page frame (Linux's struct page, reduced to what the model
// needs): the reverse map to the one page that occupies it, and the referenced/dirty bits the
// access path sets. Kept as parallel arrays so the hot path touches one byte per bit it sets.
//
// The bits are stored as FrameBit, a byte that is not a character type: a store through an
// unsigned char pointer may alias any object, so after each one the compiler would reload every
// member the engine's loop uses (the LRU list head, the TLB's arrays, the reference counter). The
// engine stores through FrameBit pointers, which alias nothing else; policies read and clear the
// bits as bytes (PolicyContext), which the language allows for any object.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/frame_id.hpp"
#include "core/page_key.hpp"

namespace vmsim {

enum class FrameBit : std::uint8_t { Clear = 0, Set = 1 };

class FrameTable {
 public:
  explicit FrameTable(std::uint32_t frames)
      : owner_(frames, 0), referenced_(frames, FrameBit::Clear), dirty_(frames, FrameBit::Clear) {}

  std::uint32_t size() const { return static_cast<std::uint32_t>(owner_.size()); }
  std::uint32_t in_use() const { return in_use_; }

  // A free frame, or nothing when all are in use (then the caller reclaims one). Frames are handed
  // out in order 0, 1, 2, ... first, which keeps textbook traces easy to follow.
  std::optional<FrameId> take_free() {
    if (!free_.empty()) {
      const FrameId f = free_.back();
      free_.pop_back();
      ++in_use_;
      return f;
    }
    if (never_used_ < size()) {
      ++in_use_;
      return never_used_++;
    }
    return std::nullopt;
  }

  void release(FrameId f) {
    free_.push_back(f);
    --in_use_;
  }

  void set_owner(FrameId f, PageKey page) { owner_[f] = page; }
  PageKey owner(FrameId f) const { return owner_[f]; }
  // Per frame, the page occupying it: policies with ghost lists read it in on_map/on_unmap.
  const PageKey* owners() const { return owner_.data(); }

  // For the engine's access path.
  FrameBit* referenced_bits() { return referenced_.data(); }
  FrameBit* dirty_bits() { return dirty_.data(); }
  // For policies (PolicyContext): the same bits as bytes, 0 or 1.
  std::uint8_t* referenced() { return reinterpret_cast<std::uint8_t*>(referenced_.data()); }
  const std::uint8_t* dirty() const { return reinterpret_cast<const std::uint8_t*>(dirty_.data()); }

  void mark_referenced(FrameId f) { referenced_[f] = FrameBit::Set; }
  void mark_dirty(FrameId f) { dirty_[f] = FrameBit::Set; }
  bool is_dirty(FrameId f) const { return dirty_[f] != FrameBit::Clear; }
  void clear_dirty(FrameId f) { dirty_[f] = FrameBit::Clear; }
  void clear_bits(FrameId f) {
    referenced_[f] = FrameBit::Clear;
    dirty_[f] = FrameBit::Clear;
  }

 private:
  std::vector<PageKey> owner_;  // the reverse map: frame -> page
  std::vector<FrameBit> referenced_;
  std::vector<FrameBit> dirty_;
  std::vector<FrameId> free_;
  FrameId never_used_ = 0;
  std::uint32_t in_use_ = 0;
};

}  // namespace vmsim
