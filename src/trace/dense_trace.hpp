// A trace decoded once into dense page ids: every page reference becomes a 32-bit index into
// 0..pages-1 (a write sets the top bit). Everything that runs many simulations over one trace
// (compare grids, miss-ratio curves, reference-string mode) works on this form: per-page state
// becomes flat arrays indexed by id instead of hash lookups per access, and the trace is parsed
// once, not once per run.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/fork_pairs.hpp"
#include "core/page_key.hpp"
#include "core/regions.hpp"
#include "trace/trace_counts.hpp"
#include "vmsim/trace.hpp"

namespace vmsim {

class DenseTrace {
 public:
  static constexpr std::uint32_t kWriteBit = 0x80000000U;
  static constexpr std::uint32_t kIdMask = kWriteBit - 1;

  // Reads `reader` to its end. Page references are numbered as the simulator numbers them (every
  // page an access spans, events skipped); ids are given in order of first reference, per
  // (address space, page): a process that exits and is forked again has new ids. Throws
  // vmsim::Error past 2^31 - 1 distinct pages or 2^32 - 1 references. The array of references is
  // sized once from reader.records_hint() when the reader knows its record count.
  static DenseTrace decode(TraceReader& reader, unsigned page_shift);

  // Builds directly from page numbers (tests, generated reference strings); writes[i] marks a
  // store.
  static DenseTrace from_pages(const std::vector<std::uint64_t>& pages,
                               const std::vector<bool>& writes = {});

  std::size_t size() const { return refs_.size(); }
  // Page ids: each distinct page the trace references, then the copies its forks made of pages
  // the child never references (fork_pairs). Per-page arrays are sized by it.
  std::uint32_t distinct_pages() const { return static_cast<std::uint32_t>(keys_.size()); }
  // The distinct pages the trace references: ids below this.
  std::uint32_t referenced_pages() const { return referenced_; }
  // Trace accesses (a page-crossing access is one), by kind; `@` events read (skipped); distinct
  // pids among the accesses. The same figures the full simulator counts.
  const TraceCounts& counts() const { return counts_; }
  std::uint64_t accesses() const { return counts_.accesses; }
  std::uint64_t reads() const { return counts_.reads; }
  std::uint64_t writes() const { return counts_.writes; }
  std::uint64_t fetches() const { return counts_.fetches; }
  std::uint64_t events() const { return counts_.events; }
  std::uint64_t forks() const { return counts_.forks; }
  std::uint64_t exits() const { return counts_.exits; }
  std::uint64_t processes() const { return processes_; }

  // Where address spaces begin and end (core/address_spaces.hpp), forks, and pages unmapped:
  // before reference `at` (at == size(): after the last), ASID `asid` begins as pid's, or ends,
  // or, just begun as a fork's child, gets a copy of ASID `parent`'s pages, or loses its pages
  // [first, end) (munmap). In trace order, as the decoding met the events and first accesses
  // that make them.
  enum class Change : std::uint8_t { Begin, End, Fork, Unmap };
  struct SpaceChange {
    std::uint64_t at;
    Asid asid;
    std::uint16_t pid;
    Change kind;
    Asid parent = 0;          // Fork only
    std::uint64_t first = 0;  // Unmap only: the pages [first, end)
    std::uint64_t end = 0;
  };
  const std::vector<SpaceChange>& space_changes() const { return space_changes_; }

  // The pages each fork copies (core/fork_pairs.hpp): each page the parent had (one it
  // referenced, or one it got from a fork before) with the child's id for the same page number.
  // The child's ids exist whether or not it references them: a mapping it never touches still
  // shares the page (mm/direct_map.hpp copies what the kernel shares).
  const ForkPairs& fork_pairs() const { return fork_pairs_; }
  // Whether some fork shares a page (a written one: core/page_objects.hpp), so that two
  // processes reach one page and tools that count each process's pages apart, such as the
  // one-pass curves, do not apply.
  bool forks_share_pages() const { return shares_pages_; }
  // Whether some munmap (or a process's first region event) unmapped pages of an address space
  // that had any: a page number touched after it reaches a new page under the same id.
  bool unmaps_pages() const { return unmaps_pages_; }

  // Page references that the process's regions did not allow (core/regions.hpp): they are not
  // among refs(). All are counted; the first kProtectionFaultsListed are listed.
  std::uint64_t protection_fault_count() const { return protection_fault_count_; }
  const std::vector<ProtectionFault>& protection_faults() const { return protection_faults_; }
  // The same counted by pid: (pid, protection faults) for each pid that had one, by pid.
  const std::vector<std::pair<std::uint16_t, std::uint64_t>>& protection_faults_by_pid() const {
    return protection_faults_by_pid_;
  }
  // Where a run that stops at its first protection fault (OnSegv::Stop) ends: the references
  // and address-space changes before it, and what the trace had counted up to and with the
  // faulting access.
  struct Stop {
    std::uint64_t at = 0;     // references before it
    std::size_t changes = 0;  // space_changes() made before it
    TraceCounts counts;
    std::uint64_t processes = 0;
    std::vector<LiveRegion> regions;  // the regions alive at the faulting access
  };
  const std::optional<Stop>& first_protection_fault() const { return first_fault_; }
  // The regions alive at the end of the trace (core/regions.hpp), by ASID then address.
  const std::vector<LiveRegion>& live_regions() const { return live_regions_; }

  std::uint32_t id(std::size_t i) const { return refs_[i] & kIdMask; }
  bool is_write(std::size_t i) const { return (refs_[i] & kWriteBit) != 0; }
  const std::vector<std::uint32_t>& refs() const { return refs_; }
  // The page key (core/page_key.hpp: ASID above bit 48, page number below) of each id. ASIDs
  // are handed out as the full model's MMU hands them out (core/address_space_ids.hpp), so a
  // page has the same key in both models.
  std::uint64_t key(std::uint32_t id) const { return keys_[id]; }
  const std::vector<std::uint64_t>& keys() const { return keys_; }

  // next_use()[i] is the index of the next reference to the page referenced at i, or
  // kNeverUsedAgain; computed with one backward pass over flat arrays.
  std::vector<std::uint64_t> next_use() const;

 private:
  std::vector<std::uint32_t> refs_;
  std::vector<std::uint64_t> keys_;
  TraceCounts counts_;
  std::uint64_t processes_ = 0;
  std::vector<SpaceChange> space_changes_;
  ForkPairs fork_pairs_;
  std::uint32_t referenced_ = 0;
  bool shares_pages_ = false;
  bool unmaps_pages_ = false;  // some change is an Unmap
  std::uint64_t protection_fault_count_ = 0;
  std::vector<ProtectionFault> protection_faults_;
  std::vector<std::pair<std::uint16_t, std::uint64_t>> protection_faults_by_pid_;
  std::optional<Stop> first_fault_;
  std::vector<LiveRegion> live_regions_;

  void link_forks();
  // Runs core/page_objects.hpp over the references and address-space changes: visit(i, page)
  // for each reference; returns how many pages the forks shared.
  template <class Visit>
  std::uint64_t replay_pages(Visit&& visit) const;
};

}  // namespace vmsim
