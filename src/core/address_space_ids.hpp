// Which address space each process has, as a trace's events create and end them: `@fork P C`
// gives C a new one, a copy of P's (and P one, if it has none yet), `@exit P` ends P's (and so
// does `@exec P`: the new program starts without one), and a process that accesses memory without
// one gets one then (most traces have no events at all). An
// address space is named by its address-space id (ASID), which the TLB tags entries with and page
// keys carry (core/page_key.hpp).
//
// ASIDs are recycled after exit, but fresh ones are handed out first, and a freed one is reused
// only when all 2^16 have been, the longest-freed first (as arm64 Linux's allocator hands out
// unused ASIDs before it rolls over). A page key therefore names one page of one process for as
// long as anything can remember it, unless a trace creates more than 65,536 address spaces: then
// a page of a recycled ASID can match what a policy remembers of the dead process's page.
//
// The full model's MMU, reference-string decoding (trace/dense_trace.hpp) and OPT's next-use pass
// all replay events through this one class, so every model numbers pages the same way.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "core/page_key.hpp"
#include "vmsim/access.hpp"

namespace vmsim {

class AddressSpaceIds {
 public:
  static constexpr std::uint32_t kAsids = kAsidCount;

  // The ASID of pid's address space, or -1 when it has none.
  std::int32_t live(std::uint16_t pid) const { return asid_of_[pid]; }
  // The process whose address space `asid` is (or last was).
  std::uint16_t pid_of(Asid asid) const { return pid_of_[asid]; }

  // The ASID of pid's address space, created now when it has none (`created` says so).
  Asid for_access(std::uint16_t pid, bool& created) {
    const std::int32_t asid = asid_of_[pid];
    created = asid < 0;
    return created ? create(pid) : static_cast<Asid>(asid);
  }

  // What `event` does to the address spaces: end(asid) for each that ends (with its process
  // still named by pid_of), then begin(asid, pid) for each that is created, then, for a fork,
  // fork(parent_asid, child_asid): the child's new space is a copy of the parent's. A fork to a
  // pid that still has an address space ends that one first: the trace reused a pid without its
  // exit (a process forking itself ends its own space, so its child starts empty). Other events
  // change no address space.
  template <class End, class Begin, class Fork>
  void apply(const Access& event, End&& end, Begin&& begin, Fork&& fork) {
    if (event.op == Op::Fork) {
      const auto parent = event.pid;
      const auto child = static_cast<std::uint16_t>(event.addr);
      if (asid_of_[parent] < 0) begin(create(parent), parent);
      if (asid_of_[child] >= 0) end(release(child));
      const Asid created = create(child);
      begin(created, child);
      if (parent != child) fork(static_cast<Asid>(asid_of_[parent]), created);
    } else if ((event.op == Op::Exit || event.op == Op::Exec) && asid_of_[event.pid] >= 0) {
      // An exec replaces the address space: the old one ends as at exit, and the new program's
      // begins at its next access or region event, empty.
      end(release(event.pid));
    }
  }

 private:
  Asid create(std::uint16_t pid) {
    Asid asid;
    if (fresh_ < kAsids) {
      asid = static_cast<Asid>(fresh_++);
    } else {
      // Every pid holds at most one ASID, so with all 2^16 handed out some are free again.
      asid = freed_.front();
      freed_.pop_front();
    }
    asid_of_[pid] = asid;
    pid_of_[asid] = pid;
    return asid;
  }

  Asid release(std::uint16_t pid) {
    const auto asid = static_cast<Asid>(asid_of_[pid]);
    asid_of_[pid] = -1;
    freed_.push_back(asid);
    return asid;
  }

  std::vector<std::int32_t> asid_of_ = std::vector<std::int32_t>(kAsids, -1);  // per pid
  std::vector<std::uint16_t> pid_of_ = std::vector<std::uint16_t>(kAsids, 0);  // per ASID
  std::uint32_t fresh_ = 0;  // ASIDs below this have been handed out
  std::deque<Asid> freed_;   // free for reuse, longest-freed first
};

}  // namespace vmsim
