// Reference-string mode (`--model refs`): the replacement policy and physical memory alone, over a
// trace decoded once into dense page ids (sim/dense_trace.hpp). No TLB, no page tables, no walks:
// residency is one flat array indexed by page id. The fault path is the full simulator's
// (mm/fault.hpp, sim/simulator.hpp) with the page-table and TLB steps left out, calling every
// policy hook in the same order with the same frames. Policies know pages by dense id instead of
// page key (PolicyContext::dense_pages), a one-to-one renaming that changes no decision, so page
// faults, minor/major faults, evictions, releases, write-backs and swap traffic are identical to a
// full run's (tests/property/refs_model_equivalence_test.cpp holds the two to it for every policy).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/page_key.hpp"
#include "mm/frame_table.hpp"
#include "policy/page/policy.hpp"
#include "sim/dense_trace.hpp"
#include "vmsim/config.hpp"
#include "vmsim/results.hpp"

namespace vmsim {

template <PagePolicy P>
class RefsSimulator {
 public:
  // `trace` and `next_use` (OPT's, from trace.next_use(); may be shared by many simulators) must
  // outlive the simulator.
  RefsSimulator(const SimConfig& config, typename P::Params params, const DenseTrace& trace,
                std::span<const std::uint64_t> next_use)
      : trace_(trace),
        state_(trace.distinct_pages(), kAbsent),
        has_copy_(static_cast<std::uint32_t>(config.frames), 0),
        frames_(static_cast<std::uint32_t>(config.frames)),
        swap_cache_(config.swap_cache),
        from_backing_store_(config.first_touch == FirstTouch::BackingStore),
        record_faults_(config.record_faults),
        policy_(make_context(config, next_use), params) {
    if constexpr (HasOnTick<P>) until_tick_ = policy_.tick_interval();
  }

  // Runs page references [first, last) of the trace; call with consecutive ranges (or once with
  // the whole trace) so that progress can be shown between them.
  void run(std::size_t first, std::size_t last) {
    const std::uint32_t* refs = trace_.refs().data();
    // Locals, not members, on the hit path: the referenced and dirty bits are bytes, and a store
    // through a byte pointer may alias any member, which made the compiler reload members (and
    // store now_) after every reference.
    const HotPath hot{state_.data(), frames_.referenced(), frames_.dirty()};
    std::uint64_t now = now_;
    std::size_t i = first;
    // Pages of a large footprint miss the cache: fetch the state word of the page kAhead
    // references on, so that its latency overlaps the work in between. A policy that keeps a map
    // of pages (HasPrefetchPage) is told, halfway there, of each page that will fault, so that
    // the map entry it reads at the fault is in cache too.
    if (last - first > kAhead) {
      for (; i < last - kAhead; ++i) {
        __builtin_prefetch(&hot.state[refs[i + kAhead] & DenseTrace::kIdMask]);
        if constexpr (HasPrefetchPage<P>) {
          const std::uint32_t soon = refs[i + kAhead / 2] & DenseTrace::kIdMask;
          if ((hot.state[soon] & kAbsent) != 0) policy_.prefetch_page(soon);
        }
        step(refs[i], hot, now);
      }
    }
    for (; i < last; ++i) step(refs[i], hot, now);
    now_ = now;
  }
  void run() { run(0, trace_.size()); }

  // The full simulator's counters; the TLB and page-table ones stay 0 (not modelled).
  Counters counters() const {
    Counters c = counters_;
    c.accesses = trace_.accesses();
    c.reads = trace_.reads();
    c.writes = trace_.writes();
    c.fetches = trace_.fetches();
    c.events = trace_.events();
    c.processes = trace_.processes();
    c.page_refs = now_;
    return c;
  }

  std::vector<FaultRecord> take_fault_log() { return std::move(fault_log_); }

 private:
  // A page's state is one word: its frame while resident (frames are below 2^31), else kAbsent,
  // plus kOnSwap when a valid copy is on swap. One array read decides hit or fault, and a fault
  // finds everything it needs about the page in the same word.
  static constexpr std::uint32_t kAbsent = 0x8000'0000U;
  static constexpr std::uint32_t kOnSwap = 1;
  static constexpr std::size_t kAhead = 16;  // references; measured best of 8, 16, 32
  static constexpr std::uint32_t kNoPage = ~std::uint32_t{0};  // no victim: a free frame was used

  PolicyContext make_context(const SimConfig& config, std::span<const std::uint64_t> next_use) {
    return {.frames = static_cast<std::uint32_t>(config.frames),
            .seed = config.seed,
            .referenced = frames_.referenced(),
            .dirty = frames_.dirty(),
            .page_key = frames_.owners(),  // dense ids: see fault()
            .dense_pages = trace_.distinct_pages(),
            .next_use = next_use,
            .requests = &requests_};
  }

  struct HotPath {
    const std::uint32_t* state;  // state_
    std::uint8_t* referenced;    // the frame table's bits
    std::uint8_t* dirty;
  };

  // The hot path: one page reference. The same steps as Simulator::touch after translation.
  void step(std::uint32_t ref, const HotPath& hot, std::uint64_t& now) {
    const std::uint32_t id = ref & DenseTrace::kIdMask;
    FrameId frame = hot.state[id];
    bool faulted = false;
    if ((frame & kAbsent) != 0) [[unlikely]] {
      now_ = now;  // the fault path reads it
      frame = fault(id);
      faulted = true;
    }
    // A policy that inserts pages as unused (SIEVE) does not see the faulting reference as a use.
    if constexpr (fault_sets_referenced<P>()) {
      hot.referenced[frame] = 1;
    } else if (!faulted) {
      hot.referenced[frame] = 1;
    }
    if ((ref & DenseTrace::kWriteBit) != 0) hot.dirty[frame] = 1;
    if constexpr (HasOnAccess<P>) policy_.on_access(frame, now);
    if constexpr (HasOnTick<P>) {
      if (--until_tick_ == 0) {
        policy_.on_tick(now);
        until_tick_ = policy_.tick_interval();
      }
    }
    if constexpr (issues_requests<P>()) {
      if (!requests_.empty()) drain_requests();
    }
    ++now;
  }

  // handle_mm_fault without the page table: take a free frame or reclaim one, then bring the page
  // in by zero-fill (minor) or from swap (major). Policies know pages by dense id here
  // (PolicyContext::page_key), so a fault reads nothing about the page but its state word; its
  // key (pid and page number) is looked up only for the fault log. Out of line, so the hit path
  // stays a tight loop, but flattened: the policy hooks and frame-table calls inside are inlined
  // (GCC left them as calls, and measured a few percent slower).
  [[gnu::noinline, gnu::flatten]] FrameId fault(std::uint32_t id) {
    ++counters_.page_faults;
    if constexpr (HasOnFault<P>) {
      policy_.on_fault(now_);
      if constexpr (issues_requests<P>()) drain_requests();
    }
    std::uint32_t victim_id = kNoPage;
    const auto free_frame = frames_.take_free();
    const FrameId frame = free_frame ? *free_frame : reclaim(id, victim_id);
    if (frames_.in_use() > counters_.peak_resident) counters_.peak_resident = frames_.in_use();

    // Read after reclaim, which only changes resident pages' words.
    bool copy = (state_[id] & kOnSwap) != 0;
    const bool major = copy || from_backing_store_;
    if (!copy && from_backing_store_) {
      // mm/fault.hpp's do_read_fault: read from the backing store.
      ++counters_.major_faults;
      ++counters_.backing_reads;
    } else if (major) {
      // do_swap_page. Without the swap cache the slot is freed at once and the page counts as
      // dirty (mm/fault.hpp explains why).
      ++counters_.major_faults;
      ++counters_.swap_reads;
      if (!swap_cache_) {
        copy = false;
        frames_.mark_dirty(frame);
      }
    } else {
      ++counters_.minor_faults;
    }
    state_[id] = frame;
    has_copy_[frame] = copy ? 1 : 0;
    frames_.set_owner(frame, id);
    policy_.on_map(frame);
    if (record_faults_) [[unlikely]]
      log_fault(id, major, victim_id);
    return frame;
  }

  FrameId reclaim(std::uint32_t incoming, std::uint32_t& victim_id) {
    FrameId victim;
    if constexpr (SelectsVictimFor<P>) {
      victim = policy_.select_victim_for(incoming);
    } else {
      victim = policy_.select_victim();
    }
    if constexpr (issues_requests<P>()) drain_requests();
    victim_id = evict(victim);
    ++counters_.evictions;
    return victim;
  }

  // mm/fault.hpp's evict_frame: the page leaves memory, written to swap if dirty; the frame stays
  // allocated for the caller. Returns the page's id.
  std::uint32_t evict(FrameId victim) {
    policy_.on_unmap(victim);
    const auto id = static_cast<std::uint32_t>(frames_.owner(victim));
    bool copy = has_copy_[victim] != 0;
    victim_written_back_ = frames_.is_dirty(victim);
    if (victim_written_back_) {
      copy = true;
      ++counters_.swap_writes;
      ++counters_.dirty_writebacks;
    }
    state_[id] = kAbsent | (copy ? kOnSwap : 0);
    frames_.clear_bits(victim);
    return id;
  }

  // mm/fault.hpp's drain_policy_requests, in the same order (policy.hpp's drain_requests).
  [[gnu::noinline]] void drain_requests() {
    vmsim::drain_requests(
        requests_,
        [&](FrameId f) {
          if (!frames_.is_dirty(f)) return;
          has_copy_[f] = 1;
          ++counters_.swap_writes;
          ++counters_.dirty_writebacks;
          frames_.clear_dirty(f);
        },
        [&](FrameId f) {
          evict(f);
          frames_.release(f);
          ++counters_.released;
        });
  }

  // The record the full simulator logs: pids as in the trace, page numbers from the page keys.
  [[gnu::noinline]] void log_fault(std::uint32_t id, bool major, std::uint32_t victim_id) {
    FaultRecord record;
    record.ref_index = now_;
    record.pid = key_pid(trace_.key(id));
    record.vpn = key_vpn(trace_.key(id));
    record.major = major;
    if (victim_id != kNoPage) {
      record.victim_pid = key_pid(trace_.key(victim_id));
      record.victim_vpn = key_vpn(trace_.key(victim_id));
      record.victim_written_back = victim_written_back_;
    }
    fault_log_.push_back(record);
  }

  static std::uint16_t key_pid(PageKey trace_key) {
    return static_cast<std::uint16_t>(trace_key >> kPageKeyAsidShift);
  }

  const DenseTrace& trace_;
  std::vector<std::uint32_t> state_;    // per page id: frame, or kAbsent [| kOnSwap]
  std::vector<std::uint8_t> has_copy_;  // per frame: its page also has a valid copy on swap
  FrameTable frames_;
  bool swap_cache_;
  bool from_backing_store_;  // SimConfig::first_touch
  bool record_faults_;
  bool victim_written_back_ = false;  // of the last eviction, for the fault log
  PolicyRequests requests_;
  P policy_;  // after frames_ and requests_ (member order): its context points into them
  Counters counters_;
  std::uint64_t now_ = 0;               // index of the current page reference
  std::uint64_t until_tick_ = 0;        // references left before the next on_tick (HasOnTick only)
  std::vector<FaultRecord> fault_log_;  // only with SimConfig::record_faults
};

// Runs `config` (its policy, frames, swap cache, seed) over `trace` in reference-string mode and
// prices the counts with the cost model. `next_use` is trace.next_use() when the policy needs it
// (computed once and shared by a grid of runs); when it is empty and needed it is computed here.
// Throws vmsim::Error on a bad configuration.
Results simulate_refs(const SimConfig& config, const DenseTrace& trace,
                      std::span<const std::uint64_t> next_use, std::string trace_name);

}  // namespace vmsim
