// Reference-string mode's translation (`--model refs`): pages are dense ids 0..pages-1 (a trace
// decoded once, trace/dense_trace.hpp) and where each page lives is one 32-bit word per id: its
// frame while resident, else kAbsent, plus 1 when it has a copy on swap. Swap copies are not
// numbered (SwapCopies, mm/swap.hpp): nothing reads which slot holds a page here, and a byte per
// frame keeps the fault path's footprint small. No TLB and no page tables, so translating is one
// array read, and nothing must be shot down. The fault path is the full model's (mm/fault.hpp),
// through the PageMap interface this class meets.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/frame_id.hpp"
#include "core/page_key.hpp"
#include "core/pages_by_asid.hpp"
#include "mm/swap.hpp"

namespace vmsim {

class DirectMap {
 public:
  using Page = std::uint32_t;  // dense page id
  using SwapDevice = SwapCopies;
  using Slot = SwapCopies::Slot;
  static constexpr std::uint32_t kAbsent = 0x8000'0000U;

  // `keys` (the trace's page key of each id: ASID above bit 48, page number below) must outlive
  // the map. Frames are below 2^31, so a frame never looks like kAbsent.
  DirectMap(std::span<const std::uint64_t> keys, std::uint32_t frames)
      : keys_(keys), state_(keys.size(), kAbsent), copy_(frames, 0) {}

  // Policies key pages by dense id below this (PolicyContext::dense_pages).
  std::uint32_t dense_pages() const { return static_cast<std::uint32_t>(keys_.size()); }

  // The hit path reads the state words through this pointer, kept in a local by the engine so
  // that nothing it calls out of line makes it reload the vector's data pointer.
  const std::uint32_t* states() const { return state_.data(); }
  static bool resident(std::uint32_t state) { return (state & kAbsent) == 0; }

  // PageMap (mm/fault.hpp).
  Slot fault_slot(Page page) const { return static_cast<Slot>(state_[page] & 1); }
  void map(Page page, FrameId frame, Slot slot) {
    state_[page] = frame;
    copy_[frame] = slot;
  }
  Slot& resident_slot(Page /*page*/, FrameId frame) { return copy_[frame]; }
  void unmap(Page page, FrameId frame) { state_[page] = kAbsent | copy_[frame]; }
  static constexpr bool shootdown(Page /*page*/) { return false; }
  PageName name(Page page) const {
    const std::uint64_t key = keys_[page];
    return {pid_of_[key_asid(key)], key_vpn(key)};
  }

  // AddressSpaceMap (mm/process.hpp). The decoding numbered every page already; a new address
  // space only names its process.
  void begin_space(Asid asid, std::uint16_t pid) { pid_of_[asid] = pid; }
  // The pages of `asid` are found through ids grouped by ASID, grouped at the first exit.
  template <class FreeSlot>
  void end_space(Asid asid, std::vector<FrameId>& frames, FreeSlot&& free_slot) {
    if (!by_asid_) by_asid_.emplace(keys_);
    for (const Page page : by_asid_->of(asid)) {
      const std::uint32_t state = state_[page];
      if (resident(state)) {
        frames.push_back(state);
      } else if ((state & 1) != 0) {
        free_slot(Slot{1});
      }
      state_[page] = kAbsent;
    }
  }

 private:
  std::span<const std::uint64_t> keys_;
  std::vector<std::uint32_t> state_;  // per page id: frame, or kAbsent | (1 if on swap)
  std::vector<Slot> copy_;            // per frame: 1 when its page also has a copy on swap
  std::vector<std::uint16_t> pid_of_ = std::vector<std::uint16_t>(std::size_t{1} << 16);
  std::optional<PagesByAsid> by_asid_;  // made at the first exit
};

}  // namespace vmsim
