// Reference-string mode's translation (`--model refs`): pages are dense ids 0..pages-1 (a trace
// decoded once, trace/dense_trace.hpp) and where each page lives is one 32-bit word per id: its
// frame while resident, else kAbsent plus its swap slot (0: no copy). No TLB and no page tables,
// so translating is one array read, and nothing must be shot down. The fault path is the full
// model's (mm/fault.hpp), through the PageMap interface this class meets.
//
// After a fork, pages are shared as the full model shares them: the decoding gave the child an id
// for each of the parent's pages (core/fork_pairs.hpp), and copy_space maps each shared one to
// the parent's frame or swap slot, write-protected on both sides. Write protection is a byte per
// id, kept only for traces whose forks copy pages, and read only on writes: the engine runs a loop
// that reads it only then (sim/engine.hpp), so other traces pay nothing for it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/fork_pairs.hpp"
#include "core/frame_id.hpp"
#include "core/page_key.hpp"
#include "core/pages_by_asid.hpp"
#include "mm/swap.hpp"

namespace vmsim {

// A page's write protection in reference-string mode: a byte that is not a character type, so
// that storing one aliases nothing the engine's loop keeps in registers (mm/frame_table.hpp).
enum class WriteProtect : std::uint8_t { Off = 0, On = 1 };

class DirectMap {
 public:
  using Page = std::uint32_t;  // dense page id
  using SwapDevice = SwapSpace;
  using Slot = SwapSpace::Slot;
  static constexpr std::uint32_t kAbsent = 0x8000'0000U;

  // `keys` (the decoded trace's page key of each id: ASID above bit 48, page number below) and
  // `forks` (what its forks copy) must outlive the map. Frames are below 2^31, so a frame never
  // looks like kAbsent, and so are slots (at most one per page).
  // `shared`: some fork shares a page (DenseTrace::forks_share_pages); only then do writes look
  // up write protection. It is kept whenever forks copy pages at all.
  DirectMap(std::span<const std::uint64_t> keys, const ForkPairs& forks, bool shared)
      : forks_(&forks),
        keys_(keys),
        state_(keys.size(), kAbsent),
        write_protect_(forks.empty() ? 0 : keys.size(), WriteProtect::Off),
        shared_(shared) {}

  // Policies key pages by dense id below this (PolicyContext::dense_pages).
  std::uint32_t dense_pages() const { return static_cast<std::uint32_t>(keys_.size()); }

  // The hit path reads the state words through this pointer, kept in a local by the engine so
  // that nothing it calls out of line makes it reload the vector's data pointer.
  const std::uint32_t* states() const { return state_.data(); }
  static bool resident(std::uint32_t state) { return (state & kAbsent) == 0; }
  // Per id, whether a write must fault first (copy-on-write); null when nothing is ever shared.
  const WriteProtect* write_protection() const { return shared_ ? write_protect_.data() : nullptr; }

  // PageMap (mm/fault.hpp).
  Slot fault_slot(Page page) const { return state_[page] & ~kAbsent; }
  // `Shared` false: nothing was ever write-protected, so there is nothing to clear.
  template <bool Shared = true>
  void map(Page page, FrameId frame, bool write_protect) {
    state_[page] = frame;
    if (Shared && shared_)
      write_protect_[page] = write_protect ? WriteProtect::On : WriteProtect::Off;
  }
  void unmap(Page page, Slot slot) { state_[page] = kAbsent | slot; }
  static constexpr bool shootdown(Page /*page*/) { return false; }
  PageName name(Page page) const {
    const std::uint64_t key = keys_[page];
    return {pid_of_[key_asid(key)], key_vpn(key)};
  }
  // The page as its address space numbers it: ASID and page number (core/page_key.hpp).
  PageKey space_key(Page page) const { return keys_[page]; }
  // For copy-on-write (do_wp_page).
  bool present(Page page) const { return resident(state_[page]); }
  FrameId frame_of(Page page) const { return state_[page]; }

  // AddressSpaceMap (mm/process.hpp). The decoding numbered every page already; a new address
  // space only names its process.
  void begin_space(Asid asid, std::uint16_t pid) { pid_of_[asid] = pid; }
  // The pages of `asid` are found through ids grouped by ASID, grouped at the first exit.
  template <class Unmapped, class PutSlot>
  void end_space(Asid asid, Unmapped&& unmapped, PutSlot&& put_slot) {
    if (!by_asid_) by_asid_.emplace(keys_);
    drop_pages(by_asid_->of(asid), unmapped, put_slot);
  }
  // munmap: the ids of `asid`'s pages [first, end), found through the ids in page-key order
  // (made at the first unmap), leave memory and swap.
  template <class Unmapped, class PutSlot>
  void zap_range(Asid asid, std::uint64_t first, std::uint64_t end, Unmapped&& unmapped,
                 PutSlot&& put_slot) {
    if (!by_key_) by_key_.emplace(keys_);
    drop_pages(by_key_->of(asid, first, end), unmapped, put_slot);
  }
  // mprotect: nothing is cached here (decoding checked every access against the regions).
  static constexpr void reprotect(Asid /*asid*/, std::uint64_t /*first*/, std::uint64_t /*end*/) {}

  // Sharing begins: each swap entry, in id order, takes the slot next_slot() returns.
  template <class NextSlot>
  void number_swap_entries(NextSlot&& next_slot) {
    for (std::uint32_t& state : state_) {
      if (state != kAbsent && !resident(state)) state = kAbsent | next_slot();
    }
  }

  // A fork (the forks come in trace order): each page of the parent's that share(page, frame)
  // accepts is mapped by the child's id too, write-protected on both sides, and every swap entry
  // of the parent's is the child's too (dup_slot(slot) is told of each).
  template <class Share, class DupSlot>
  void copy_space(Asid /*parent*/, Asid /*child*/, Share&& share, DupSlot&& dup_slot) {
    for (const ForkPair pair : forks_->of(forks_done_++)) {
      const std::uint32_t state = state_[pair.parent];
      if (resident(state)) {
        if (!share(pair.child, state)) continue;
        state_[pair.child] = state;
        write_protect_[pair.child] = WriteProtect::On;
        write_protect_[pair.parent] = WriteProtect::On;
      } else if (state != kAbsent) {
        state_[pair.child] = state;
        dup_slot(state & ~kAbsent);
      }
    }
  }

 private:
  // The pages leave memory and swap: unmapped(page, frame) for each resident one, put_slot(slot)
  // for each swap entry.
  template <class Unmapped, class PutSlot>
  void drop_pages(std::span<const std::uint32_t> pages, Unmapped& unmapped, PutSlot& put_slot) {
    for (const Page page : pages) {
      const std::uint32_t state = state_[page];
      if (resident(state)) {
        unmapped(page, state);
      } else if (state != kAbsent) {
        put_slot(state & ~kAbsent);
      }
      state_[page] = kAbsent;
    }
  }

  const ForkPairs* forks_;
  std::span<const std::uint64_t> keys_;
  std::vector<std::uint32_t> state_;         // per page id: frame, or kAbsent | swap slot (0: none)
  std::vector<WriteProtect> write_protect_;  // per page id, when forks copy pages
  std::vector<std::uint16_t> pid_of_ = std::vector<std::uint16_t>(kAsidCount);
  std::optional<PagesByAsid> by_asid_;  // made at the first exit
  std::optional<PagesByKey> by_key_;    // made at the first unmap
  std::size_t forks_done_ = 0;          // forks copied so far
  bool shared_;
};

}  // namespace vmsim
