// The simulator's optional policy hooks: on_tick every tick_interval() references, and
// fault_sets_referenced = false leaving a newly loaded page unreferenced. Driven with probe
// policies that record what they are shown.
#include <gtest/gtest.h>

#include <vector>

#include "sim/simulator.hpp"
#include "support/refs.hpp"

namespace vmsim::test {
namespace {

// FIFO that records its ticks and the referenced bits it sees at each fault.
struct Recorded {
  std::vector<std::uint64_t> ticks;
  std::vector<std::vector<std::uint8_t>> bits_at_fault;
};

template <bool kFaultSetsReferenced>
class Probe {
 public:
  static constexpr PolicyInfo info{"probe", "test probe", "none"};
  struct Params {
    std::uint64_t tick = 3;
    Recorded* out = nullptr;
    static constexpr std::tuple<> fields{};
  };
  static constexpr bool fault_sets_referenced = kFaultSetsReferenced;

  Probe(const PolicyContext& ctx, Params params)
      : ctx_(ctx), tick_(params.tick), out_(params.out), next_(0) {}
  void on_map(FrameId) {}
  void on_unmap(FrameId) {}
  FrameId select_victim() {
    out_->bits_at_fault.emplace_back(ctx_.referenced, ctx_.referenced + ctx_.frames);
    const FrameId victim = next_;
    next_ = next_ + 1 == ctx_.frames ? 0 : next_ + 1;
    return victim;
  }
  void on_tick(std::uint64_t now) {
    out_->ticks.push_back(now);
    tick_ = tick_ == 3 ? 2 : 3;  // the interval is asked again after each tick
  }
  std::uint64_t tick_interval() const { return tick_; }

 private:
  PolicyContext ctx_;
  std::uint64_t tick_;
  Recorded* out_;
  FrameId next_;
};

template <class P>
Recorded run_probe(const std::vector<std::uint64_t>& pages, std::uint64_t frames) {
  Recorded out;
  SimConfig config = config_for("fifo", frames);
  Simulator<P> sim(config, {.tick = 3, .out = &out}, {});
  VectorReader reader(reads_of(pages));
  sim.run(reader, {});
  return out;
}

// Intervals 3, 2, 3, 2 ...: ticks after references 3, 5, 8, 10 (counted from 1), i.e. at indices
// 2, 4, 7, 9.
TEST(SimulatorHooks, TicksAfterEveryIntervalOfReferences) {
  const Recorded r = run_probe<Probe<true>>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 20);
  EXPECT_EQ(r.ticks, (std::vector<std::uint64_t>{2, 4, 7, 9}));
}

// Two frames, pages 1 2 3: at the fault on 3, pages 1 and 2 were each referenced once, by the
// reference that faulted them in. By default that sets the bit; with fault_sets_referenced = false
// it does not. A later hit sets it either way (1 2 1 3).
TEST(SimulatorHooks, FaultingReferenceSetsTheBitUnlessThePolicyOptsOut) {
  EXPECT_EQ(run_probe<Probe<true>>({1, 2, 3}, 2).bits_at_fault,
            (std::vector<std::vector<std::uint8_t>>{{1, 1}}));
  EXPECT_EQ(run_probe<Probe<false>>({1, 2, 3}, 2).bits_at_fault,
            (std::vector<std::vector<std::uint8_t>>{{0, 0}}));
  EXPECT_EQ(run_probe<Probe<false>>({1, 2, 1, 3}, 2).bits_at_fault,
            (std::vector<std::vector<std::uint8_t>>{{1, 0}}));
}

}  // namespace
}  // namespace vmsim::test
