// The per-access loop, instantiated once per policy so nothing under run() is virtual.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "mm/fault.hpp"
#include "mm/kernel.hpp"
#include "mmu/tlb.hpp"
#include "policy/page/policy.hpp"
#include "sim/page_refs.hpp"
#include "vmsim/config.hpp"
#include "vmsim/results.hpp"
#include "vmsim/simulator.hpp"
#include "vmsim/trace.hpp"

namespace vmsim {

template <PagePolicy P>
class Simulator {
 public:
  // `next_use` must outlive the simulator (OPT reads it during the run).
  Simulator(const SimConfig& config, typename P::Params params,
            std::span<const std::uint64_t> next_use)
      : kernel_(PageTableShape::from_config(config), static_cast<std::uint32_t>(config.frames),
                config.swap_cache, config.record_faults, config.first_touch),
        tlb_(config.tlb_entries, config.tlb_ways),
        policy_(make_context(config, next_use), params),
        page_shift_(config.page_shift()) {
    if constexpr (HasOnTick<P>) until_tick_ = policy_.tick_interval();
  }

  void run(TraceReader& reader, const ProgressFn& progress) {
    std::vector<Access> batch(kBatchSize);
    while (const std::size_t n = reader.read(batch)) {
      for (std::size_t i = 0; i < n; ++i) step(batch[i]);
      if (progress) progress(reader.bytes_consumed(), reader.bytes_total());
    }
  }

  void step(const Access& a) {
    Counters& c = kernel_.counters;
    if (is_event(a.op)) {
      ++c.events;
      return;
    }
    ++c.accesses;
    c.reads += a.op == Op::Read;
    c.writes += a.op == Op::Write;
    c.fetches += a.op == Op::Fetch;
    const Asid asid = asid_of(a.pid);
    const bool write = a.op == Op::Write;
    const PageSpan pages = page_span(a, page_shift_);
    for (std::uint64_t vpn = pages.first; vpn <= pages.last; ++vpn) touch(asid, vpn, write);
  }

  Counters counters() const {
    Counters c = kernel_.counters;
    c.page_refs = now_;
    c.processes = kernel_.mms.size();
    c.page_table_pages = 0;
    for (const MmStruct& mm : kernel_.mms) c.page_table_pages += mm.page_table.table_pages();
    return c;
  }

  std::vector<FaultRecord> take_fault_log() { return std::move(kernel_.fault_log); }

 private:
  static constexpr std::size_t kBatchSize = 4096;

  // kernel_ is constructed before policy_ (member order), so the frame bits exist when the policy
  // starts.
  PolicyContext make_context(const SimConfig& config, std::span<const std::uint64_t> next_use) {
    return {.frames = static_cast<std::uint32_t>(config.frames),
            .seed = config.seed,
            .referenced = kernel_.frames.referenced(),
            .dirty = kernel_.frames.dirty(),
            .page_key = kernel_.frames.owners(),
            .next_use = next_use,
            .requests = &kernel_.requests};
  }

  // The hot path: one page reference.
  void touch(Asid asid, std::uint64_t vpn, bool write) {
    const std::uint64_t tag = Tlb::tag(asid, vpn);
    FrameId frame;
    if (tag == last_tag_) {
      // Same page as the previous reference: its TLB entry is already the most recent in its set.
      frame = last_frame_;
      ++kernel_.counters.tlb_hits;
    } else if (tlb_.lookup(tag, frame)) {
      ++kernel_.counters.tlb_hits;
    } else {
      frame = translate_miss(asid, vpn, tag);
    }
    if (tlb_.enabled()) {
      last_tag_ = tag;
      last_frame_ = frame;
    }
    // A policy that inserts pages as unused (SIEVE) does not see the faulting reference as a use.
    if constexpr (fault_sets_referenced<P>()) {
      kernel_.frames.mark_referenced(frame);
    } else if (!std::exchange(faulted_, false)) {
      kernel_.frames.mark_referenced(frame);
    }
    if (write) kernel_.frames.mark_dirty(frame);
    if constexpr (HasOnAccess<P>) policy_.on_access(frame, now_);
    if constexpr (HasOnTick<P>) {
      if (--until_tick_ == 0) {
        policy_.on_tick(now_);
        until_tick_ = policy_.tick_interval();
      }
    }
    if constexpr (issues_requests<P>()) {
      if (!kernel_.requests.empty()) {
        drain_policy_requests(kernel_, policy_, tlb_, kernel_.requests);
        last_tag_ = ~std::uint64_t{0};  // the register may name a page that just left memory
      }
    }
    ++now_;
  }

  // TLB miss: walk the page table; on a fault let the kernel bring the page in, then walk again as
  // the restarted access does, and fill the TLB.
  [[gnu::noinline]] FrameId translate_miss(Asid asid, std::uint64_t vpn, std::uint64_t tag) {
    Counters& c = kernel_.counters;
    ++c.tlb_misses;
    PageTable& table = kernel_.mms[asid].page_table;
    PageTable::Walk walk = table.walk(vpn);
    ++c.walks;
    c.walk_memory_refs += walk.memory_refs;
    FrameId frame;
    if (walk.pte != nullptr && walk.pte->present()) {
      frame = walk.pte->frame;
    } else {
      frame = handle_mm_fault(kernel_, policy_, tlb_, asid, vpn, now_);
      if constexpr (!fault_sets_referenced<P>()) faulted_ = true;
      walk = table.walk(vpn);
      ++c.walks;
      c.walk_memory_refs += walk.memory_refs;
    }
    tlb_.insert(tag, frame);
    return frame;
  }

  Asid asid_of(std::uint16_t pid) {
    if (pid == last_pid_) return last_asid_;
    std::int32_t& slot = pid_to_asid_[pid];
    if (slot < 0) {
      slot = static_cast<std::int32_t>(kernel_.mms.size());
      kernel_.mms.emplace_back(pid, kernel_.shape);
    }
    last_pid_ = pid;
    last_asid_ = static_cast<Asid>(slot);
    return last_asid_;
  }

  Kernel kernel_;
  Tlb tlb_;
  P policy_;
  unsigned page_shift_;
  std::uint64_t now_ = 0;         // index of the current page reference
  std::uint64_t until_tick_ = 0;  // references left before the next on_tick (HasOnTick only)
  bool faulted_ = false;  // the current reference faulted (policies with !fault_sets_referenced)
  std::uint64_t last_tag_ = ~std::uint64_t{0};
  FrameId last_frame_ = 0;
  std::vector<std::int32_t> pid_to_asid_ = std::vector<std::int32_t>(65536, -1);
  std::int32_t last_pid_ = -1;
  Asid last_asid_ = 0;
};

}  // namespace vmsim
