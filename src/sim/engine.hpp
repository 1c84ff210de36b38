// The simulation engine: one per-reference loop and one fault path for every model, instantiated
// per policy so nothing under run() is virtual. Translation is a compile-time parameter: FullMmu
// (mmu/mmu.hpp: last-translation register, TLB, page-table walk) reads trace accesses; DirectMap
// (mm/direct_map.hpp: one state word per dense page id) reads a decoded trace, as `--model refs`.
// After translation both take the same steps: set the frame's referenced and dirty bits, call the
// policy's per-access hooks, carry out its requests; a fault goes to mm/fault.hpp's
// handle_mm_fault. Trace events begin and end address spaces (mm/process.hpp): the full model
// handles them as it reads them, reference-string mode replays the changes its decoding recorded.
// The observer sees every fault (fault logs); an empty one costs nothing.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/page_key.hpp"
#include "core/page_span.hpp"
#include "core/regions.hpp"
#include "core/vma.hpp"
#include "mm/direct_map.hpp"
#include "mm/fault.hpp"
#include "mm/kernel.hpp"
#include "mm/observer.hpp"
#include "mm/process.hpp"
#include "mmu/mmu.hpp"
#include "policy/page/policy.hpp"
#include "trace/dense_trace.hpp"
#include "trace/trace_counts.hpp"
#include "vmsim/config.hpp"
#include "vmsim/results.hpp"
#include "vmsim/simulator.hpp"
#include "vmsim/trace.hpp"

namespace vmsim {

template <PagePolicy P, PageMap Translation, FaultObserver Observer = NoObserver>
class Engine {
 public:
  // `next_use` (OPT's; may be shared by many engines) must outlive the engine, and so must what
  // the translation points into (DirectMap: the decoded trace's page keys).
  Engine(const SimConfig& config, typename P::Params params, Translation translation,
         std::span<const std::uint64_t> next_use, Observer observer = {})
      : kernel_(static_cast<std::uint32_t>(config.frames), config.swap_cache, config.first_touch),
        mmu_(std::move(translation)),
        observer_(std::move(observer)),
        policy_(make_context(config, next_use), params),
        page_shift_(config.page_shift()),
        stop_at_protection_fault_(config.on_segv == OnSegv::Stop) {
    if constexpr (HasOnTick<P>) until_tick_ = policy_.tick_interval();
    if (config.per_process) {
      // Per-process accounting runs every fault through the general path (mm/fault.hpp:
      // note_mapped), which the swap device's counting selects; counting from the start makes
      // the same decisions as counting from the first fork.
      kernel_.tally = std::make_unique<ProcessTally>();
      kernel_.swap.start_counting();
    }
  }

  // The full model: every access of `reader`, each page it spans one reference.
  void run(TraceReader& reader,
           const ProgressFn& progress) requires std::same_as<Translation, FullMmu> {
    std::vector<Access> batch(kBatchSize);
    const FrameBits bits = frame_bits();
    std::uint64_t now = now_;
    TraceCounts counts = access_counts_;
    while (const std::size_t n = reader.read(batch)) {
      for (std::size_t i = 0; i < n; ++i) {
        const Access& a = batch[i];
        if (is_event(a.op)) [[unlikely]] {
          ++counts.events;
          counts.forks += a.op == Op::Fork;
          counts.exits += a.op == Op::Exit;
          counts.execs += a.op == Op::Exec;
          event(a);
          continue;
        }
        ++counts.accesses;
        counts.reads += a.op == Op::Read;
        counts.writes += a.op == Op::Write;
        counts.fetches += a.op == Op::Fetch;
        const Asid asid = mmu_.asid_of(a.pid);
        const TlbEntry denied = FullMmu::denied_to(a.op);
        const PageSpan pages = page_span(a, page_shift_);
        for (std::uint64_t vpn = pages.first; vpn <= pages.last; ++vpn) {
          if (!reference(make_page_key(asid, vpn), a, denied, bits, now)) [[unlikely]] {
            // A protection fault: the rest of the access is dropped too, as the CPU stops at
            // the first page it may not touch.
            if (stopped_) {
              now_ = now;
              access_counts_ = counts;
              return;
            }
            break;
          }
        }
      }
      now_ = now;
      access_counts_ = counts;
      if (progress) progress(reader.bytes_consumed(), reader.bytes_total());
    }
  }

  // Reference-string mode: page references [first, last) of a decoded trace (its refs()), with
  // the address spaces beginning and ending between them as `changes` (its space_changes())
  // says; call with consecutive ranges, or once with all of them, so that progress can be shown
  // between. The changes after the last reference are made when `last` is refs.size().
  void run(std::span<const std::uint32_t> refs, std::span<const DenseTrace::SpaceChange> changes,
           std::size_t first, std::size_t last) requires std::same_as<Translation, DirectMap> {
    for (std::size_t i = first;;) {
      // Most traces have no changes but the first access of each process: long stretches.
      std::size_t stop = last;
      if (next_change_ < changes.size() && changes[next_change_].at < stop) {
        stop = changes[next_change_].at;
      }
      run_references(refs, i, stop);
      i = stop;
      if (i == last && last != refs.size()) return;  // changes at `last` come with the next range
      const std::size_t done = next_change_;
      while (next_change_ < changes.size() && changes[next_change_].at == i) ++next_change_;
      if (done != next_change_) space_changes(changes.subspan(done, next_change_ - done));
      if (i == last) return;
    }
  }

  // What the kernel, the translation and the access loop counted. In reference-string mode the
  // trace's own counts (accesses by kind, events, processes) are the decoding's; the caller adds
  // them (sim/driver.hpp).
  Counters counters() const {
    Counters c = kernel_.counters;
    c.frames_shared = kernel_.frames.shared_frames();
    c.page_refs = now_;
    access_counts_.add_to(c);
    if constexpr (requires { mmu_.add_counters(c); }) mmu_.add_counters(c);
    return c;
  }

  Observer& observer() { return observer_; }
  // The protection faults listed (the first kProtectionFaultsListed), and whether the run stopped
  // at one (SimConfig::on_segv).
  std::vector<ProtectionFault> take_protection_faults() { return std::move(protection_faults_); }
  bool stopped() const { return stopped_; }
  Translation& translation() { return mmu_; }

  // With SimConfig::per_process, each process's counts (mm/process_tally.hpp), with its
  // proportional set size now; empty without. Reference-string mode's protection faults were
  // found by the decoding, which adds them first (add_protection_faults).
  void add_protection_faults(std::uint16_t pid, std::uint64_t n) {
    if (kernel_.tally) kernel_.tally->protection_faults(pid, n);
  }
  std::vector<ProcessCounts> per_process() {
    if (!kernel_.tally) return {};
    ProcessTally& tally = *kernel_.tally;
    tally.clear_pss();
    const auto& frames = kernel_.frames;
    for (FrameId f = 0; f < frames.size(); ++f) {
      const std::uint32_t mappers = frames.mapcount(f);
      if (mappers == 0) continue;
      frames.for_each_mapping(f, [&](PageKey key) {
        tally.share(mmu_.name(static_cast<typename Translation::Page>(key)).pid, mappers);
      });
    }
    return tally.list();
  }

  // With SimConfig::per_process, each of `regions` (alive now, by ASID then address) with its
  // resident pages and their proportional set size, as smaps gives them per mapping; empty
  // without.
  std::vector<RegionCounts> per_region(std::span<const LiveRegion> regions) {
    if (!kernel_.tally) return {};
    std::vector<RegionCounts> out;
    out.reserve(regions.size());
    for (const LiveRegion& r : regions) {
      RegionCounts c;
      c.pid = r.pid;
      c.start = r.vma.start << page_shift_;
      c.end = r.vma.end << page_shift_;
      c.prot = r.vma.prot;
      c.pages = r.vma.end - r.vma.start;
      out.push_back(c);
    }
    // The region of a page: the last one of its ASID that starts at or below it, if it reaches it.
    const auto find = [&](PageKey key) -> RegionCounts* {
      const std::pair page{key_asid(key), key_vpn(key)};
      const auto it = std::upper_bound(regions.begin(), regions.end(), page,
                                       [](const auto& p, const LiveRegion& r) {
                                         return p < std::pair{r.asid, r.vma.start};
                                       });
      if (it == regions.begin()) return nullptr;
      const LiveRegion& r = *std::prev(it);
      if (r.asid != page.first || page.second >= r.vma.end) return nullptr;
      return &out[static_cast<std::size_t>(std::prev(it) - regions.begin())];
    };
    const auto& frames = kernel_.frames;
    for (FrameId f = 0; f < frames.size(); ++f) {
      const std::uint32_t mappers = frames.mapcount(f);
      if (mappers == 0) continue;
      frames.for_each_mapping(f, [&](PageKey key) {
        RegionCounts* c = find(mmu_.space_key(static_cast<typename Translation::Page>(key)));
        if (c == nullptr) return;
        ++c->resident;
        c->pss += 1.0 / mappers;
      });
    }
    return out;
  }

 private:
  static constexpr std::size_t kBatchSize = 4096;
  static constexpr std::size_t kAhead = 16;  // references; measured best of 8, 16, 32

  void run_references(std::span<const std::uint32_t> refs, std::size_t first,
                      std::size_t last) requires std::same_as<Translation, DirectMap> {
    // Pages shared after a fork may be write-protected; only then does a write look it up.
    if (const WriteProtect* wp = mmu_.write_protection(); wp != nullptr) [[unlikely]] {
      run_references(refs, first, last, wp);
    } else {
      run_references(refs, first, last, NoWriteProtection{});
    }
  }

  // A trace whose forks share no page: nothing is ever write-protected.
  struct NoWriteProtection {
    constexpr WriteProtect operator[](std::uint32_t /*id*/) const { return WriteProtect::Off; }
  };

  template <class Protection>
  void run_references(std::span<const std::uint32_t> refs, std::size_t first, std::size_t last,
                      Protection wp) requires std::same_as<Translation, DirectMap> {
    const FrameBits bits = frame_bits();
    const std::uint32_t* state = mmu_.states();
    std::uint64_t now = now_;
    std::size_t i = first;
    // Pages of a large footprint miss the cache: fetch the state word of the page kAhead
    // references on, so that its latency overlaps the work in between. A policy that keeps a map
    // of pages (HasPrefetchPage) is told, halfway there, of each page that will fault, so that
    // the map entry it reads at the fault is in cache too.
    if (last - first > kAhead) {
      for (; i < last - kAhead; ++i) {
        __builtin_prefetch(&state[refs[i + kAhead] & DenseTrace::kIdMask]);
        if constexpr (HasPrefetchPage<P>) {
          const std::uint32_t soon = refs[i + kAhead / 2] & DenseTrace::kIdMask;
          if (!DirectMap::resident(state[soon])) policy_.prefetch_page(soon);
        }
        dense_reference(refs[i], state, wp, bits, now);
      }
    }
    for (; i < last; ++i) dense_reference(refs[i], state, wp, bits, now);
    now_ = now;
  }

  // Events, out of line: the full model's as read, reference-string mode's as decoded.
  [[gnu::noinline, gnu::cold]] void event(
      const Access& a) requires std::same_as<Translation, FullMmu> {
    handle_event(fault_context(), a);
  }
  [[gnu::noinline, gnu::cold]] void space_changes(
      std::span<const DenseTrace::SpaceChange> changes) requires
      std::same_as<Translation, DirectMap> {
    for (const DenseTrace::SpaceChange& c : changes) {
      switch (c.kind) {
        case DenseTrace::Change::Begin:
          mmu_.begin_space(c.asid, c.pid);
          break;
        case DenseTrace::Change::End:
          exit_mmap(fault_context(), c.asid);
          break;
        case DenseTrace::Change::Fork:
          copy_mm(fault_context(), c.parent, c.asid);
          break;
        case DenseTrace::Change::Unmap:
          zap_page_range(fault_context(), c.asid, c.first, c.end);
          break;
      }
    }
  }

  // The referenced and dirty bits the access path sets, held in a local for the loop. They are
  // FrameBit, not unsigned char (mm/frame_table.hpp), so their stores alias no member.
  struct FrameBits {
    FrameBit* referenced;
    FrameBit* dirty;
  };
  FrameBits frame_bits() { return {kernel_.frames.referenced_bits(), kernel_.frames.dirty_bits()}; }

  // kernel_ and mmu_ are constructed before policy_ (member order), so the frame bits and the
  // page count exist when the policy starts.
  PolicyContext make_context(const SimConfig& config, std::span<const std::uint64_t> next_use) {
    return {.frames = static_cast<std::uint32_t>(config.frames),
            .seed = config.seed,
            .referenced = reads_referenced<P>() ? kernel_.frames.referenced() : nullptr,
            .dirty = kernel_.frames.dirty(),
            .page_key = kernel_.frames.owners(),
            .dense_pages = mmu_.dense_pages(),
            .next_use = next_use,
            .requests = &kernel_.requests};
  }

  template <class Protection>
  void dense_reference(std::uint32_t ref, const std::uint32_t* state, const Protection& wp,
                       const FrameBits& bits, std::uint64_t& now) {
    const std::uint32_t id = ref & DenseTrace::kIdMask;
    const bool write = (ref & DenseTrace::kWriteBit) != 0;
    FrameId frame = state[id];
    bool inserted = false;
    if (!DirectMap::resident(frame)) [[unlikely]] {
      now_ = now;  // the fault path reads it
      const Faulted f = fault(id, write);
      frame = f.frame;
      inserted = f.inserted;
    } else if (write && wp[id] == WriteProtect::On) [[unlikely]] {
      now_ = now;
      const Faulted f = wp_fault(id);
      frame = f.frame;
      inserted = f.inserted;
    }
    after_translation(frame, inserted, write, bits, now);
  }

  // One page reference of access `a`; false when it was dropped (a protection fault). `denied`:
  // what a TLB entry must not deny for the access to go ahead (FullMmu::denied_to).
  bool reference(PageKey page, const Access& a, TlbEntry denied, const FrameBits& bits,
                 std::uint64_t& now) requires std::same_as<Translation, FullMmu> {
    TlbEntry entry;
    const bool hit = mmu_.lookup(page, entry);
    const bool write = a.op == Op::Write;
    // An access the entry denies (a write through a write-protected entry, copy-on-write, or one
    // its region's protection forbids) goes the way of a miss.
    if (hit && (entry & denied) == 0) [[likely]] {
      after_translation(static_cast<FrameId>(entry & kTlbFrameMask), false, write, bits, now);
      return true;
    }
    const Faulted miss = tlb_miss(page, a, hit, now);
    if (miss.frame == kNoFrame) [[unlikely]]
      return false;
    after_translation(miss.frame, miss.inserted, write, bits, now);
    return true;
  }

  // A TLB miss, or an access its TLB entry denies: for a process that declared regions, check the
  // access against them first (a protection fault drops it: kNoFrame). Then walk the page table;
  // on a fault let the kernel bring the page in or copy it, then walk again as the restarted
  // access does, and fill the TLB. A write that hit in the TLB faults without a walk, and the
  // restart misses (the fault dropped the entry). Out of line and given only values, so the hit
  // path keeps its locals in registers. Returns the frame, and whether the fault mapped one new to
  // the policy.
  [[gnu::noinline]] Faulted tlb_miss(
      PageKey page, const Access& a, bool hit,
      std::uint64_t now) requires std::same_as<Translation, FullMmu> {
    const bool write = a.op == Op::Write;
    TlbEntry region_denies = 0;
    if (mmu_.checks_regions(key_asid(page))) [[unlikely]] {
      std::optional<Vma> region;
      region_denies = mmu_.region_denies(page, a.op, region);
      if (region_denies == FullMmu::kDenied) {
        const PageName name = mmu_.name(page);
        protection_fault(a, name.vpn << page_shift_, region, now);
        return {kNoFrame, false};
      }
    }
    Faulted result{0, false};
    TlbEntry entry;
    if (hit && write) {
      now_ = now;  // the fault path reads it
      result = wp_fault(page);
      entry = mmu_.walk(page);
    } else {
      entry = mmu_.walk(page);
      if (entry == FullMmu::kNotPresent) {
        now_ = now;
        result = fault(page, write);
        entry = mmu_.rewalk(page);
      } else if (write && (entry & kTlbNoWrite) != 0) {
        now_ = now;
        result = wp_fault(page);
        entry = mmu_.rewalk(page);
      }
    }
    mmu_.fill(page, entry | region_denies);
    result.frame = static_cast<FrameId>(entry & kTlbFrameMask);
    return result;
  }

  // A page reference its process's regions do not allow: counted, listed, and with --on-segv
  // stop the end of the run. `page_start` is the page's first byte.
  [[gnu::noinline, gnu::cold]] void protection_fault(const Access& a, std::uint64_t page_start,
                                                     const std::optional<Vma>& region,
                                                     std::uint64_t now) {
    ++kernel_.counters.protection_faults;
    if (kernel_.tally) kernel_.tally->protection_faults(a.pid, 1);
    if (protection_faults_.size() < kProtectionFaultsListed) {
      protection_faults_.push_back(
          describe_protection_fault(now, a, page_start, region, page_shift_));
    }
    if (stop_at_protection_fault_) stopped_ = true;
  }

  // The hot path after translation: one page reference to a resident frame.
  void after_translation(FrameId frame, bool inserted, bool write, const FrameBits& bits,
                         std::uint64_t& now) {
    // The referenced bit, only for a policy that reads it. One that inserts pages as unused (SIEVE)
    // does not see the faulting reference as a use.
    if constexpr (reads_referenced<P>()) {
      if constexpr (fault_sets_referenced<P>()) {
        bits.referenced[frame] = FrameBit::Set;
      } else if (!inserted) {
        bits.referenced[frame] = FrameBit::Set;
      }
    }
    // Without a branch: reads and writes interleave unpredictably in most traces, and a
    // mispredicted branch costs more than reading the byte first (measured: 1.3-1.4x on the full
    // model's local trace). Or-ing also beat storing to a scratch byte through a masked address
    // (GCC turns a plain select back into a branch), by 2-18%, on random traces too.
    bits.dirty[frame] = static_cast<FrameBit>(static_cast<std::uint8_t>(bits.dirty[frame]) |
                                              static_cast<std::uint8_t>(write));
    if constexpr (HasOnAccess<P>) policy_.on_access(frame, now);
    if constexpr (HasOnTick<P>) {
      if (--until_tick_ == 0) {
        policy_.on_tick(now);
        until_tick_ = policy_.tick_interval();
      }
    }
    if constexpr (issues_requests<P>()) {
      if (!kernel_.requests.empty()) drain();
    }
    ++now;
  }

  // Shared: the general fault path; without, the one for runs in which nothing is shared yet
  // (mm/fault.hpp: FaultContext).
  template <bool Shared = true>
  FaultContext<P, Translation, Observer, Shared> fault_context() {
    return {kernel_, mmu_, policy_, observer_};
  }

  // Out of line, so the hit path stays a tight loop, but flattened: the policy hooks and
  // frame-table calls inside are inlined (GCC left them as calls, and measured a few percent
  // slower).
  // Until a fork shares pages (the swap device counts slot references from then on), the fault
  // path without the sharing checks.
  // With per-process accounting, the general path too (the swap device counts from the start).
  [[gnu::noinline, gnu::flatten]] Faulted fault(typename Translation::Page page, bool write) {
    if (kernel_.swap.counting()) [[unlikely]]
      return general_fault(page, write);
    return handle_mm_fault(fault_context<false>(), page, now_, write);
  }
  [[gnu::noinline]] Faulted general_fault(typename Translation::Page page, bool write) {
    if (kernel_.tally)
      return tallied(page, [this, page, write] { return shared_fault(page, write); });
    return shared_fault(page, write);
  }
  // A fault with per-process accounting: what the kernel counted while serving it goes to the
  // faulting process. The general fault path serves it (it makes the same decisions).
  template <class Serve>
  [[gnu::noinline, gnu::cold]] Faulted tallied(typename Translation::Page page, Serve serve) {
    const ProcessTally::FaultCounts before(kernel_.counters);
    const Faulted f = serve();
    kernel_.tally->fault(mmu_.name(page).pid, before, kernel_.counters);
    return f;
  }
  // Not flattened: only traces whose forks copy address spaces come here, and a second flattened
  // copy of the fault path in every engine made the binary a fifth larger.
  [[gnu::noinline]] Faulted shared_fault(typename Translation::Page page, bool write) {
    return handle_mm_fault(fault_context(), page, now_, write);
  }
  [[gnu::noinline]] Faulted wp_fault(typename Translation::Page page) {
    if (kernel_.tally) [[unlikely]]
      return tallied(page, [this, page] { return do_wp_page(fault_context(), page, now_, false); });
    return do_wp_page(fault_context(), page, now_, false);
  }

  // Requests carried out outside a fault (a working-set policy's releases at a tick) take the
  // same path a fault would: the one without the sharing checks until something is shared
  // (measured: the general one made WS in reference-string mode a third slower). Flattened as
  // fault() is, so the context stays in registers across the releases.
  [[gnu::noinline, gnu::flatten]] void drain() {
    if (kernel_.swap.counting()) [[unlikely]] {
      drain_policy_requests(fault_context());
      return;
    }
    drain_policy_requests(fault_context<false>());
  }

  Kernel<typename Translation::SwapDevice> kernel_;
  Translation mmu_;
  Observer observer_;
  P policy_;  // after kernel_ and mmu_ (member order): its context points into them
  unsigned page_shift_;
  std::uint64_t now_ = 0;         // index of the current page reference
  std::uint64_t until_tick_ = 0;  // references left before the next on_tick (HasOnTick only)
  std::size_t next_change_ = 0;   // reference-string mode: the next address-space change to make
  TraceCounts access_counts_;     // the full model's; reference-string mode's come decoded
  bool stop_at_protection_fault_;
  bool stopped_ = false;  // stopped at a protection fault
  std::vector<ProtectionFault> protection_faults_;
};

}  // namespace vmsim
