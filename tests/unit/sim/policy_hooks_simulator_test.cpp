// The engine's optional policy hooks: on_tick every tick_interval() references, and
// fault_sets_referenced = false leaving a newly loaded page unreferenced. Driven with probe
// policies that record what they are shown, through both translations (the full model and
// reference-string mode), which must show them the same.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "sim/driver.hpp"
#include "support/refs.hpp"
#include "trace/dense_trace.hpp"

namespace vmsim::test {
namespace {

// FIFO that records its ticks and the referenced bits it sees at each fault.
struct Recorded {
  std::vector<std::uint64_t> ticks;
  std::vector<std::vector<std::uint8_t>> bits_at_fault;
};

template <bool kFaultSetsReferenced, bool kReadsReferenced = true>
class Probe {
 public:
  static constexpr PolicyInfo info{"probe", "test probe", "none"};
  struct Params {
    std::uint64_t tick = 3;
    Recorded* out = nullptr;
    static constexpr std::tuple<> fields{};
  };
  static constexpr bool fault_sets_referenced = kFaultSetsReferenced;
  static constexpr bool reads_referenced = kReadsReferenced;

  Probe(const PolicyContext& ctx, Params params)
      : ctx_(ctx), tick_(params.tick), out_(params.out), next_(0) {}
  void on_map(FrameId) {}
  void on_unmap(FrameId) {}
  FrameId select_victim() {
    if (ctx_.referenced == nullptr) {
      out_->bits_at_fault.emplace_back();  // no bits: the policy did not ask for them
    } else {
      out_->bits_at_fault.emplace_back(ctx_.referenced, ctx_.referenced + ctx_.frames);
    }
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
Recorded run_probe_in(SimModel model, const std::vector<std::uint64_t>& pages,
                      std::uint64_t frames) {
  Recorded out;
  SimConfig config = config_for("fifo", frames);
  config.model = model;
  const std::vector<Access> records = reads_of(pages);
  const DenseTrace dense = DenseTrace::from_pages(pages);
  run_policy<P>(
      config, {.tick = 3, .out = &out},
      RunInput{.dense = &dense, .open = [&] { return std::make_unique<VectorReader>(records); }});
  return out;
}

template <class P>
Recorded run_probe(const std::vector<std::uint64_t>& pages, std::uint64_t frames) {
  const Recorded full = run_probe_in<P>(SimModel::Full, pages, frames);
  const Recorded refs = run_probe_in<P>(SimModel::Refs, pages, frames);
  EXPECT_EQ(full.ticks, refs.ticks);
  EXPECT_EQ(full.bits_at_fault, refs.bits_at_fault);
  return full;
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

// A policy that does not declare reads_referenced is given no referenced bits (a null pointer,
// so reading them would fail at once) and the access path stores none.
TEST(SimulatorHooks, APolicyThatDoesNotReadTheReferencedBitGetsNone) {
  EXPECT_EQ((run_probe<Probe<true, false>>({1, 2, 3, 1, 4}, 2).bits_at_fault),
            (std::vector<std::vector<std::uint8_t>>{{}, {}, {}}));
}

}  // namespace
}  // namespace vmsim::test
