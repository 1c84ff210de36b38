// WSClock (Carr, Hennessy, "WSCLOCK — a simple and effective algorithm for virtual memory
// management", SOSP 1981): the working-set idea on a clock. Each frame remembers the virtual time
// of its last use, learnt when the hand finds its referenced bit set. At a fault the hand sweeps: a
// referenced frame has its bit cleared and its time of last use set to now; an unreferenced frame
// older than tau is a victim if clean, and if dirty its write-back is scheduled (it will be clean
// by the time the hand comes round) and the hand moves on. If a whole turn finds no victim, the
// hand keeps going when writes were scheduled (those pages are then clean and can go); otherwise it
// takes the first clean page it passed, or failing that the page under the hand (Tanenbaum and Bos,
// Modern Operating Systems, 4th ed., 3.4.9: "claim any clean page", else "the current page"; a
// referenced page had its bit cleared on the way and counts as just used, not as a candidate).
#pragma once

#include <cstdint>
#include <vector>

#include "policy/page/detail/param_check.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class WsClock {
 public:
  // What a run keeps per frame with this policy, the frame table's share included: about 19.3
  // bytes, measured as the peak resident set at 16 Mi frames (docs/reliability.md); sizes runs
  // before they allocate (sim/memory_need.hpp).
  static constexpr std::uint64_t bytes_per_frame = 24;
  static constexpr PolicyInfo info{
      "wsclock",
      "working set on a clock: evict clean pages unused for tau, schedule writes of dirty ones",
      "Carr, Hennessy, \"WSCLOCK - a simple and effective algorithm for virtual memory "
      "management\", "
      "SOSP 1981"};
  static constexpr bool reads_referenced = true;
  struct Params {
    std::uint64_t tau = 10000;
    static constexpr std::tuple fields{ParamField<Params, std::uint64_t>{
        "tau", &Params::tau,
        "age in references beyond which an unused page may go: an integer >= 1 (default 10000)",
        1}};
  };
  static constexpr bool issues_requests = true;

  WsClock(const PolicyContext& ctx, Params params)
      : params_checked_(info.name, params),
        tau_(params.tau),
        frames_(ctx.frames),
        referenced_(ctx.referenced),
        dirty_(ctx.dirty),
        last_use_(ctx.frames, 0),
        scheduled_(ctx.frames, 0),
        requests_(ctx.requests) {}

  void on_fault(std::uint64_t now) { now_ = now; }
  void on_map(FrameId f) {
    last_use_[f] = now_;
    scheduled_[f] = 0;
  }
  void on_unmap(FrameId) {}

  // Called only with every frame in use (frames are never freed behind the clock's back).
  FrameId select_victim() {
    std::uint64_t scheduled_writes = 0;
    FrameId first_clean = kNone;
    const std::uint64_t turn = frames_;
    for (std::uint64_t step = 0; step < 2 * turn; ++step) {
      const FrameId f = hand_;
      advance();
      if (referenced_[f] != 0) {
        referenced_[f] = 0;
        last_use_[f] = now_;
        scheduled_[f] = 0;
        continue;
      }
      const bool clean = dirty_[f] == 0 || scheduled_[f] != 0;  // a scheduled write has completed
      if (clean && first_clean == kNone) first_clean = f;
      if (now_ - last_use_[f] > tau_) {
        if (clean) return f;
        scheduled_[f] = 1;
        requests_->launder.push_back(f);
        ++scheduled_writes;
      }
      // A whole turn without a victim and no write under way: nothing will get old enough.
      if (step + 1 == turn && scheduled_writes == 0) break;
    }
    return take(first_clean != kNone ? first_clean : hand_);
  }

 private:
  static constexpr FrameId kNone = ~FrameId{0};
  void advance() { hand_ = hand_ + 1 == frames_ ? 0 : hand_ + 1; }
  // The victim's frame takes the new page; the hand moves past it.
  FrameId take(FrameId f) {
    hand_ = f;
    advance();
    return f;
  }

  // First member: the Params are checked before anything is computed from them.
  [[no_unique_address]] detail::ParamsChecked params_checked_;
  std::uint64_t tau_;
  std::uint32_t frames_;
  std::uint8_t* referenced_;
  const std::uint8_t* dirty_;
  std::vector<std::uint64_t> last_use_;
  std::vector<std::uint8_t> scheduled_;
  PolicyRequests* requests_;
  std::uint64_t now_ = 0;
  FrameId hand_ = 0;
};

}  // namespace vmsim
