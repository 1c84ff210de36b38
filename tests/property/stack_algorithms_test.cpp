// Which policies are stack algorithms (Mattson, Gecsei, Slutz, Traiger 1970): those that evict by a
// priority that does not depend on the memory size. For them the resident set with m frames is
// always contained in the one with m + 1 (inclusion), so a larger memory never faults more and
// Belady's anomaly cannot occur. Checked on random traces from a fixed seed.
//
// LFU counts since load depend on how long a page stayed resident, hence on the memory size: the
// textbook LFU is not a stack algorithm (tests/textbook/counting_policies_textbook_test.cpp has an
// anomaly). Perfect LFU (counts kept across evictions, ties by recency), MRU (recency) and LRU-K
// with unbounded retained history and no correlated period (K-th most recent reference, then
// recency) are.
#include <gtest/gtest.h>

#include <set>

#include "core/rng.hpp"
#include "support/refs.hpp"

namespace vmsim::test {
namespace {

const char* const kStackPolicies[] = {"lfu:perfect=1", "mru", "lru-k:history=100000",
                                      "lru-k:k=3,history=100000"};

// Mostly a drifting hot set, sometimes any page, with repeats so that counts differ; two processes.
std::vector<Access> random_trace(Rng& rng, std::size_t length, std::uint64_t pages) {
  std::vector<Access> out;
  std::uint64_t base = 0;
  for (std::size_t i = 0; i < length; ++i) {
    if (rng.below(40) == 0) base = rng.below(pages);
    const std::uint64_t page = rng.below(3) == 0 ? rng.below(pages) : (base + rng.below(4)) % pages;
    const Op op = rng.below(4) == 0 ? Op::Write : Op::Read;
    out.push_back(Access{page * 4096, 1, static_cast<std::uint16_t>(rng.below(2)), op});
  }
  return out;
}

std::set<std::uint64_t> fault_indices(const std::string& policy, std::uint64_t frames,
                                      const std::vector<Access>& trace) {
  std::set<std::uint64_t> out;
  for (const FaultRecord& f : simulate(config_for(policy, frames), trace).faults) {
    out.insert(f.ref_index);
  }
  return out;
}

TEST(StackAlgorithms, InclusionHoldsForPerfectLfuMruAndLruK) {
  Rng rng(1970);
  for (int i = 0; i < 30; ++i) {
    const std::uint64_t pages = 3 + rng.below(20);
    const std::vector<Access> trace = random_trace(rng, 200 + rng.below(300), pages);
    for (const char* policy : kStackPolicies) {
      std::set<std::uint64_t> previous = fault_indices(policy, 1, trace);
      for (std::uint64_t frames = 2; frames <= 2 * pages + 1; ++frames) {
        const std::set<std::uint64_t> current = fault_indices(policy, frames, trace);
        for (std::uint64_t ref : current) {
          ASSERT_TRUE(previous.count(ref))
              << policy << ": reference " << ref << " faults with " << frames
              << " frames but hit with " << frames - 1 << " (trace " << i << ")";
        }
        previous = current;
      }
    }
  }
}

// Belady's anomaly on his own string for FIFO, and none for the stack algorithms at any size.
TEST(StackAlgorithms, NoAnomalyWhereFifoHasOne) {
  EXPECT_GT(faults("fifo", 4, kBelady), faults("fifo", 3, kBelady));
  for (const char* policy : kStackPolicies) {
    for (std::uint64_t frames = 1; frames < 6; ++frames) {
      EXPECT_LE(faults(policy, frames + 1, kBelady), faults(policy, frames, kBelady))
          << policy << " with " << frames + 1 << " frames";
      EXPECT_LE(faults(policy, frames + 1, kSilberschatz), faults(policy, frames, kSilberschatz))
          << policy << " with " << frames + 1 << " frames";
    }
  }
}

}  // namespace
}  // namespace vmsim::test
