// What the engine tells an observer: today each page fault. When a fault has to reclaim a frame,
// on_reclaim(victim, written_back) comes first, then on_fault(record) for the faulting page (its
// victim fields left for the observer to fill). The observer is a template parameter of the
// engine, so an empty one (NoObserver) costs nothing: the fault path asks wants_faults() before it
// names a page, and NoObserver answers false at compile time.
#pragma once

#include <concepts>
#include <optional>
#include <utility>
#include <vector>

#include "core/page_key.hpp"
#include "vmsim/results.hpp"

namespace vmsim {

template <class O>
concept FaultObserver = requires(O o, const O& co, FaultRecord record, PageName victim) {
  { co.wants_faults() } -> std::convertible_to<bool>;
  o.on_reclaim(victim, true);
  o.on_fault(record);
};

struct NoObserver {
  static constexpr bool wants_faults() { return false; }
  void on_reclaim(PageName /*victim*/, bool /*written_back*/) {}
  void on_fault(const FaultRecord& /*record*/) {}
};

// The fault log of SimConfig::record_faults: every fault in order, when enabled.
class FaultLog {
 public:
  explicit FaultLog(bool enabled = false) : enabled_(enabled) {}

  bool wants_faults() const { return enabled_; }
  // A fault that reclaims twice (a write that swaps in a page still shared, then copies it) is
  // listed with its first victim.
  void on_reclaim(PageName victim, bool written_back) {
    if (victim_) return;
    victim_ = victim;
    victim_written_back_ = written_back;
  }
  void on_fault(FaultRecord record) {
    if (victim_) {
      record.victim_pid = victim_->pid;
      record.victim_vpn = victim_->vpn;
      record.victim_written_back = victim_written_back_;
      victim_.reset();
    }
    records_.push_back(record);
  }
  std::vector<FaultRecord> take() { return std::move(records_); }

 private:
  bool enabled_;
  std::vector<FaultRecord> records_;
  std::optional<PageName> victim_;  // of the fault being handled
  bool victim_written_back_ = false;
};

}  // namespace vmsim
