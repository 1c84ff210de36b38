// Physical memory: one descriptor per page frame (Linux's struct page, reduced to what the model
// needs): the reverse map to the one page that occupies it, and the referenced/dirty bits the
// access path sets. Kept as parallel arrays so the hot path touches one byte per bit it sets.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/page_key.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class FrameTable {
 public:
  explicit FrameTable(std::uint32_t frames)
      : owner_(frames, 0), referenced_(frames, 0), dirty_(frames, 0) {}

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

  std::uint8_t* referenced() { return referenced_.data(); }
  const std::uint8_t* dirty() const { return dirty_.data(); }
  std::uint8_t* dirty() { return dirty_.data(); }
  void mark_referenced(FrameId f) { referenced_[f] = 1; }
  void mark_dirty(FrameId f) { dirty_[f] = 1; }
  bool is_dirty(FrameId f) const { return dirty_[f] != 0; }
  void clear_dirty(FrameId f) { dirty_[f] = 0; }
  void clear_bits(FrameId f) {
    referenced_[f] = 0;
    dirty_[f] = 0;
  }

 private:
  std::vector<PageKey> owner_;  // the reverse map: frame -> page
  std::vector<std::uint8_t> referenced_;
  std::vector<std::uint8_t> dirty_;
  std::vector<FrameId> free_;
  FrameId never_used_ = 0;
  std::uint32_t in_use_ = 0;
};

}  // namespace vmsim
