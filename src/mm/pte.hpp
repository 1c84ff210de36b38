// A page-table entry as the kernel model sees it, shaped like a hardware one: a payload (the frame
// while the page is present, else its swap entry) and flag bits (present, permissions, page size).
// As on x86, a write-protected present entry is how copy-on-write shows itself: the next write
// faults, and the kernel decides from the page's sharers whether to copy it (mm/fault.hpp).
//
// The referenced and dirty bits are kept per frame (mm/frame_table.hpp), not here: a frame's bit
// is the OR of what every mapping's entry would hold, and every operation that reads one clears
// all of them (folio_referenced, folio_clear_dirty_for_io), so the two give the same answers,
// while the access path stores one byte found from the frame the TLB returned.
#pragma once

#include <cstdint>

#include "core/frame_id.hpp"

namespace vmsim {

// Flag bits at x86's positions where x86 has them (present, R/W, U/S, PS); Exec stands for the
// inverse of x86's NX bit, which lies outside these 32 bits.
inline constexpr std::uint32_t kPtePresent = 1U << 0;
inline constexpr std::uint32_t kPteWrite = 1U << 1;
inline constexpr std::uint32_t kPteUser = 1U << 2;
inline constexpr std::uint32_t kPteHuge = 1U << 7;  // a page of the next level's size: not used yet
inline constexpr std::uint32_t kPteExec = 1U << 8;

struct Pte {
  std::uint32_t payload = 0;  // present: the frame; else 1 + the swap slot holding it, 0 = none
  std::uint32_t flags = 0;

  bool present() const { return (flags & kPtePresent) != 0; }
  bool writable() const { return (flags & kPteWrite) != 0; }
  FrameId frame() const { return payload; }
  // The swap entry of a page that is not present (0 when it has none).
  std::uint32_t swap_slot() const { return present() ? 0 : payload; }

  // Present in `frame`, user-accessible, executable, writable unless `write_protect`.
  void set_present(FrameId frame, bool write_protect) {
    payload = frame;
    flags = kPtePresent | kPteUser | kPteExec | (write_protect ? 0U : kPteWrite);
  }
  // Not present: the page is on swap in `slot`, or has no copy (0).
  void set_swap(std::uint32_t slot) {
    payload = slot;
    flags = 0;
  }
  void write_protect() { flags &= ~kPteWrite; }
  void allow_write() { flags |= kPteWrite; }
};
static_assert(sizeof(Pte) == 8, "a PTE stays 8 bytes: page tables are the per-page memory cost");

}  // namespace vmsim
