// Physical memory: one descriptor per page frame (Linux's struct page, reduced to what the model
// needs): the reverse map to the one page that occupies it, and the referenced/dirty bits the
// access path sets. Kept as parallel arrays so the hot path touches one byte per bit it sets.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "policy/page/policy.hpp"

namespace vmsim {

using Asid = std::uint16_t;

class FrameTable {
 public:
  explicit FrameTable(std::uint32_t frames)
      : owner_asid_(frames, 0), owner_vpn_(frames, 0), referenced_(frames, 0), dirty_(frames, 0) {}

  std::uint32_t size() const { return static_cast<std::uint32_t>(owner_vpn_.size()); }
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

  void set_owner(FrameId f, Asid asid, std::uint64_t vpn) {
    owner_asid_[f] = asid;
    owner_vpn_[f] = vpn;
  }
  Asid owner_asid(FrameId f) const { return owner_asid_[f]; }
  std::uint64_t owner_vpn(FrameId f) const { return owner_vpn_[f]; }

  std::uint8_t* referenced() { return referenced_.data(); }
  const std::uint8_t* dirty() const { return dirty_.data(); }
  void mark_referenced(FrameId f) { referenced_[f] = 1; }
  void mark_dirty(FrameId f) { dirty_[f] = 1; }
  bool is_dirty(FrameId f) const { return dirty_[f] != 0; }
  void clear_bits(FrameId f) {
    referenced_[f] = 0;
    dirty_[f] = 0;
  }

 private:
  std::vector<Asid> owner_asid_;
  std::vector<std::uint64_t> owner_vpn_;
  std::vector<std::uint8_t> referenced_;
  std::vector<std::uint8_t> dirty_;
  std::vector<FrameId> free_;
  FrameId never_used_ = 0;
  std::uint32_t in_use_ = 0;
};

}  // namespace vmsim
