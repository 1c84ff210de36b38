// The working-set policy (Denning, "The working set model for program behavior", CACM 11(5), 1968):
// a page stays resident while it has been referenced within the last tau references, the window
// (t - tau, t]; when its last reference falls out of the window it is released, without waiting for
// a fault, so the resident set follows the program's working set and memory is given back. A
// reference faults exactly when its page is not in W(t - 1, tau).
//
// Pages ordered by last reference are exactly an LRU list, so the pages leaving the window are
// always at its cold end: each reference moves its page to the hot end and releases cold pages
// whose last reference is tau or more references old. If the working set outgrows physical memory,
// the page with the oldest reference is evicted at the fault (the LRU page: the one that would
// leave next).
#pragma once

#include <cstdint>
#include <vector>

#include "policy/page/detail/footprint.hpp"
#include "policy/page/detail/frame_list.hpp"
#include "policy/page/detail/param_check.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class WorkingSet {
 public:
  // What a run keeps per frame with this policy, the frame table's share included
  // (detail/footprint.hpp): the recency list, the last reference and a slot in the kernel's
  // release requests; sizes runs before they allocate (sim/memory_need.hpp).
  static constexpr std::uint64_t bytes_per_frame =
      detail::kFrameShareBytes + detail::kFrameListBytesPerFrame + 8 + 4;
  static constexpr PolicyInfo info{
      "ws", "working set: keep pages referenced in the last tau references, release the rest",
      "Denning, \"The working set model for program behavior\", CACM 11(5), 1968"};
  struct Params {
    std::uint64_t tau = 10000;
    static constexpr std::tuple fields{ParamField<Params, std::uint64_t>{
        "tau", &Params::tau, "window in page references: an integer >= 1 (default 10000)", 1}};
  };
  static constexpr bool issues_requests = true;

  WorkingSet(const PolicyContext& ctx, Params params)
      : params_checked_(info.name, params),
        tau_(params.tau),
        recency_(ctx.frames),
        last_ref_(ctx.frames, 0),
        requests_(ctx.requests) {}

  void on_map(FrameId f) { recency_.push_front(f); }
  void on_unmap(FrameId f) { recency_.remove(f); }

  void on_access(FrameId f, std::uint64_t now) {
    recency_.move_to_front(f);
    last_ref_[f] = now;
    // After reference `now` the window is (now - tau, now]: older pages leave.
    if (now < tau_) return;
    const std::uint64_t oldest_kept = now - tau_ + 1;
    // The kernel drains the requests right after this call and unmaps each page (on_unmap removes
    // it from the list), so the walk only reads the list.
    for (FrameId cold = recency_.back(); cold != f && last_ref_[cold] < oldest_kept;
         cold = recency_.prev(cold)) {
      requests_->release.push_back(cold);
    }
  }

  FrameId select_victim() const { return recency_.back(); }

 private:
  // First member: the Params are checked before anything is computed from them.
  [[no_unique_address]] detail::ParamsChecked params_checked_;
  std::uint64_t tau_;
  detail::FrameList recency_;  // front = most recently referenced
  std::vector<std::uint64_t> last_ref_;
  PolicyRequests* requests_;
};

}  // namespace vmsim
