// PFF keeps reference times instead of sweeping every frame at every fault (policy/page/pff.hpp).
// These tests hold it to the sweep: a plain implementation of the definition (release, in frame
// order, every resident page whose referenced bit is clear after a long fault-free interval; second
// chance on the same bits when memory is full; then clear every bit) runs side by side with the
// policy, through
// the simulator on generated reference strings and through the hooks alone, and every victim,
// release and counter must agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "policy/page/pff.hpp"
#include "sim/driver.hpp"
#include "support/refs.hpp"
#include "unit/policy/hook_bits.hpp"
#include "vmsim/counters.hpp"

namespace vmsim::test {
namespace {

// The definition, as written in pff.hpp's header comment, on the referenced bits the access path
// sets.
class SweepingPff {
 public:
  static constexpr PolicyInfo info{"pff-sweep", "PFF sweeping every frame at every fault", "none"};
  struct Params {
    std::uint64_t threshold = 1000;
    static constexpr std::tuple<> fields{};
  };
  static constexpr bool issues_requests = true;
  static constexpr bool reads_referenced = true;

  SweepingPff(const PolicyContext& ctx, Params params)
      : threshold_(params.threshold),
        frames_(ctx.frames),
        referenced_(ctx.referenced),
        resident_(ctx.frames, false),
        requests_(ctx.requests) {}

  // The fault being served has released its pages and chosen its victim: now its clear.
  void on_map(FrameId f) {
    if (clear_pending_) clear_all();
    resident_[f] = true;
  }
  void on_unmap(FrameId f) { resident_[f] = false; }

  void on_fault(std::uint64_t now) {
    if (clear_pending_) clear_all();  // the previous fault mapped no page
    if (faulted_before_ && now - last_fault_ > threshold_) {
      for (FrameId f = 0; f < frames_; ++f) {
        if (resident_[f] && referenced_[f] == 0) requests_->release.push_back(f);
      }
    }
    clear_pending_ = true;
    last_fault_ = now;
    faulted_before_ = true;
  }

  FrameId select_victim() {
    for (;;) {
      const FrameId f = hand_;
      hand_ = (hand_ + 1) % frames_;
      if (!resident_[f]) continue;
      if (referenced_[f] == 0) return f;
      referenced_[f] = 0;
    }
  }

 private:
  void clear_all() {
    for (FrameId f = 0; f < frames_; ++f) {
      if (resident_[f]) referenced_[f] = 0;
    }
    clear_pending_ = false;
  }

  std::uint64_t threshold_;
  std::uint32_t frames_;
  std::uint8_t* referenced_;
  std::vector<bool> resident_;
  PolicyRequests* requests_;
  std::uint64_t last_fault_ = 0;
  bool clear_pending_ = false;
  bool faulted_before_ = false;
  FrameId hand_ = 0;
};

// What a policy decided at a fault: a frame it released, or the victim it chose.
struct Decision {
  std::uint64_t fault;  // index of the faulting reference
  FrameId frame;
  bool released;
  friend bool operator==(const Decision&, const Decision&) = default;
};

// A PFF (either one) that logs its decisions; the simulator owns the policy, so the log goes out
// through Params.
template <class P>
class Logged : public P {
 public:
  struct Params : P::Params {
    std::vector<Decision>* log = nullptr;
  };

  Logged(const PolicyContext& ctx, Params params)
      : P(ctx, params), requests_(ctx.requests), log_(params.log) {}

  void on_fault(std::uint64_t now) {
    P::on_fault(now);
    fault_ = now;
    for (const FrameId f : requests_->release) log_->push_back({now, f, true});
  }
  FrameId select_victim() {
    const FrameId victim = P::select_victim();
    log_->push_back({fault_, victim, false});
    return victim;
  }

 private:
  PolicyRequests* requests_;
  std::vector<Decision>* log_;
  std::uint64_t fault_ = 0;
};

struct LoggedRun {
  Counters counters;
  std::vector<FaultRecord> faults;
  std::vector<Decision> decisions;
};

template <class P>
LoggedRun run_logged(const std::vector<Access>& trace, std::uint64_t frames,
                     std::uint64_t threshold) {
  LoggedRun run;
  typename Logged<P>::Params params;
  params.threshold = threshold;
  params.log = &run.decisions;
  RunOutput out =
      run_full<Logged<P>>(config_for("pff", frames), params,
                          RunInput{.open = [&] { return std::make_unique<VectorReader>(trace); }});
  run.counters = out.counters;
  run.faults = std::move(out.faults);
  return run;
}

// Phases of locality: each phase works on a set of 1..40 pages (sometimes as a loop, which gives
// long fault-free intervals once it is resident), with excursions to any page, so that both
// shrinking and eviction happen; two processes, a quarter of the accesses writes.
std::vector<Access> phased_trace(Rng& rng, std::size_t length) {
  constexpr std::uint64_t kPages = 150;
  std::vector<Access> out;
  while (out.size() < length) {
    const std::uint64_t base = rng.below(kPages);
    const std::uint64_t size = 1 + rng.below(40);
    const bool loop = rng.below(2) == 0;
    const std::uint64_t phase = 10 + rng.below(600);
    for (std::uint64_t i = 0; i < phase && out.size() < length; ++i) {
      std::uint64_t page = (base + (loop ? i % size : rng.below(size))) % kPages;
      if (rng.below(30) == 0) page = rng.below(kPages);
      const Op op = rng.below(4) == 0 ? Op::Write : Op::Read;
      const auto pid = static_cast<std::uint16_t>(page % 7 == 0 ? 1 : 0);
      out.push_back(Access{page * 4096, 1, pid, op});
    }
  }
  return out;
}

// Reports the first fault at which two logs part (the rest of a diverged log says little).
void expect_same_faults(const std::vector<FaultRecord>& a, const std::vector<FaultRecord>& b,
                        const std::string& what) {
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    const bool same = a[i].ref_index == b[i].ref_index && a[i].pid == b[i].pid &&
                      a[i].vpn == b[i].vpn && a[i].major == b[i].major &&
                      a[i].victim_vpn == b[i].victim_vpn && a[i].victim_pid == b[i].victim_pid;
    if (!same) {
      ADD_FAILURE() << what << ": fault " << i << " at reference " << a[i].ref_index << " / "
                    << b[i].ref_index << ", page " << a[i].vpn << " / " << b[i].vpn << ", victim "
                    << a[i].victim_vpn.value_or(~0ULL) << " / " << b[i].victim_vpn.value_or(~0ULL);
      return;
    }
  }
  EXPECT_EQ(a.size(), b.size()) << what;
}

void expect_same_decisions(const std::vector<Decision>& a, const std::vector<Decision>& b,
                           const std::string& what) {
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i] != b[i]) {
      ADD_FAILURE() << what << ": decision " << i << " at the fault at reference " << a[i].fault
                    << " / " << b[i].fault << ": " << (a[i].released ? "release" : "victim")
                    << " frame " << a[i].frame << " / " << (b[i].released ? "release" : "victim")
                    << " frame " << b[i].frame;
      return;
    }
  }
  EXPECT_EQ(a.size(), b.size()) << what;
}

// Through the full simulator, and through simulate() in both models (reference-string mode numbers
// references on its own and must show the policy the same times).
TEST(PffFast, AgreesWithTheSweepOnGeneratedReferenceStrings) {
  Rng rng(1972);
  std::uint64_t released = 0;
  std::uint64_t evictions = 0;
  std::uint64_t runs_with_both = 0;
  for (int t = 0; t < 3; ++t) {
    const std::vector<Access> trace = phased_trace(rng, 4000);
    for (const std::uint64_t frames : {1, 4, 16, 64, 256}) {
      for (const std::uint64_t threshold : {1, 3, 10, 50, 200}) {
        const std::string what = "trace " + std::to_string(t) + ", " + std::to_string(frames) +
                                 " frames, threshold " + std::to_string(threshold);
        const LoggedRun sweep = run_logged<SweepingPff>(trace, frames, threshold);
        const LoggedRun fast = run_logged<PageFaultFrequency>(trace, frames, threshold);
        for (const CounterInfo& c : kCounters) {
          EXPECT_EQ(sweep.counters.*c.member, fast.counters.*c.member) << what << ", " << c.key;
        }
        expect_same_decisions(sweep.decisions, fast.decisions, what);
        expect_same_faults(sweep.faults, fast.faults, what);

        SimConfig config = config_for("pff:threshold=" + std::to_string(threshold), frames);
        const Results full = simulate(config, trace);
        config.model = SimModel::Refs;
        const Results refs = simulate(config, trace);
        for (const Results* r : {&full, &refs}) {
          const std::string model = what + (r == &full ? ", full model" : ", refs model");
          EXPECT_EQ(r->counters.page_faults, sweep.counters.page_faults) << model;
          EXPECT_EQ(r->counters.major_faults, sweep.counters.major_faults) << model;
          EXPECT_EQ(r->counters.evictions, sweep.counters.evictions) << model;
          EXPECT_EQ(r->counters.released, sweep.counters.released) << model;
          EXPECT_EQ(r->counters.dirty_writebacks, sweep.counters.dirty_writebacks) << model;
          EXPECT_EQ(r->counters.swap_reads, sweep.counters.swap_reads) << model;
          EXPECT_EQ(r->counters.peak_resident, sweep.counters.peak_resident) << model;
          expect_same_faults(r->faults, sweep.faults, model);
        }

        if (HasFailure()) return;  // one diverging case is enough to read
        released += sweep.counters.released;
        evictions += sweep.counters.evictions;
        runs_with_both += sweep.counters.released > 0 && sweep.counters.evictions > 0 ? 1 : 0;
      }
    }
  }
  // The strings exercise what could diverge: shrinking, eviction, and both in one run.
  EXPECT_GT(released, 1000U);
  EXPECT_GT(evictions, 1000U);
  EXPECT_GT(runs_with_both, 10U);
}

// Through the hooks alone, also in orders the simulator never uses: a victim chosen without a fault
// first, so the hand meets referenced frames and clears them one by one (and some are referenced
// again after that clear); pages that leave while referenced (as on munmap); pages loaded without a
// reference.
TEST(PffFast, AgreesWithTheSweepThroughTheHooks) {
  Rng rng(1968);
  std::uint64_t second_chances = 0;
  for (const std::uint32_t frames : {1U, 2U, 5U, 64U, 130U}) {
    for (const std::uint64_t threshold : {1, 4, 30}) {
      const std::string what =
          std::to_string(frames) + " frames, threshold " + std::to_string(threshold);
      HookBits bits(frames);
      PolicyRequests sweep_requests;
      PolicyRequests fast_requests;
      PolicyContext sweep_ctx = bits.context();
      sweep_ctx.requests = &sweep_requests;
      PolicyContext fast_ctx = bits.context();
      fast_ctx.requests = &fast_requests;
      SweepingPff sweep(sweep_ctx, {.threshold = threshold});
      PageFaultFrequency fast(fast_ctx, {.threshold = threshold});

      std::vector<bool> resident(frames, false);
      std::uint32_t in_use = 0;
      std::vector<FrameId> free;
      for (FrameId f = frames; f-- > 0;) free.push_back(f);  // handed out 0, 1, 2 ... first
      auto reference = [&](FrameId f, std::uint64_t now) {
        bits.referenced[f] = 1;
        fast.on_access(f, now);
      };
      auto unmap = [&](FrameId f) {
        sweep.on_unmap(f);
        fast.on_unmap(f);
        bits.referenced[f] = 0;  // the kernel clears a frame's bits when its page leaves
        resident[f] = false;
        --in_use;
      };

      for (std::uint64_t now = 0; now < 3000; ++now) {
        if (in_use > 0 && rng.below(100) >= 15) {
          FrameId f;
          do {
            f = static_cast<FrameId>(rng.below(frames));
          } while (!resident[f]);
          if (rng.below(50) == 0) {
            // The page leaves as on munmap, possibly referenced: the next page in its frame must
            // not inherit that reference.
            unmap(f);
            free.push_back(f);
          } else {
            reference(f, now);
          }
          continue;
        }
        // A page fault, mostly announced with on_fault as the simulator does.
        if (rng.below(4) != 0) {
          sweep.on_fault(now);
          fast.on_fault(now);
          ASSERT_EQ(sweep_requests.release, fast_requests.release) << what << ", at " << now;
          for (const FrameId f : sweep_requests.release) {
            unmap(f);
            free.push_back(f);
          }
          sweep_requests.release.clear();
          fast_requests.release.clear();
        }
        FrameId f;
        if (in_use > 0 && (free.empty() || rng.below(3) == 0)) {
          const std::vector<std::uint8_t> before = bits.referenced;
          f = sweep.select_victim();
          ASSERT_EQ(fast.select_victim(), f) << what << ", at " << now;
          if (before != bits.referenced) ++second_chances;
          unmap(f);
        } else {
          f = free.back();
          free.pop_back();
        }
        sweep.on_map(f);
        fast.on_map(f);
        resident[f] = true;
        ++in_use;
        // Sometimes loaded without being referenced, as a prefetched page would be.
        if (rng.below(5) != 0) reference(f, now);
      }
    }
  }
  EXPECT_GT(second_chances, 100U);
}

}  // namespace
}  // namespace vmsim::test
