// A run's memory need, worked out from the per-frame figures the policies state.
#include <gtest/gtest.h>

#include "sim/memory_need.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

TEST(MemoryNeed, FramesTimesWhatThePolicyKeepsPlusTheTlb) {
  SimConfig c;
  c.frames = std::uint64_t{1} << 28;  // 1 TiB of 4 KiB pages
  c.tlb_entries = 64;
  c.policy = "lru";  // states 24 bytes a frame
  EXPECT_EQ(run_memory_need(c), (std::uint64_t{24} << 28) + 64 * 16);
  c.policy = "clock";  // 16
  EXPECT_EQ(run_memory_need(c), (std::uint64_t{16} << 28) + 64 * 16);
}

// The policies with ghost lists, worked out from their containers. A hash table reserved for m
// entries (m = n + n/8 + 1, so that churn never doubles it) has the smallest 2^k - 1 slots that
// are at least m + (m - 1)/7, each slot a (key, value) pair of 16 bytes and a control byte, and
// 16 control bytes cloned at the end.
TEST(MemoryNeed, GhostListsAreCountedAtTheirLargest) {
  SimConfig c;
  c.frames = std::uint64_t{1} << 28;
  c.tlb_entries = 0;
  c.model = SimModel::Full;  // sparse keys: hash tables
  // ARC: frame share 16 + T1 and T2 links 8 + 8 per frame; B1 + B2 at most c + 1 nodes of 21
  // bytes (key 8, links 4 + 4, list 1, free slot 4) and their index. c + 1 = 2^28 + 1 gives
  // m = 301989890, m + (m - 1)/7 = 345131302, so 2^29 - 1 slots.
  c.policy = "arc";
  const std::uint64_t arc_index = ((std::uint64_t{1} << 29) - 1) * 17 + 16;
  EXPECT_EQ(run_memory_need(c),
            (std::uint64_t{32} << 28) + ((std::uint64_t{1} << 28) + 1) * 21 + arc_index);
  // LIRS, nonresident = 2: per frame share 16, status 1, Q links 8; S nodes (c + nr, nr = 2c + 1)
  // 9 bytes each; per non-resident slot links 8, key 8, free slot 4, and the index. nr = 2^29 + 1
  // gives m = 603979778, m + (m - 1)/7 = 690262603, so 2^30 - 1 slots.
  c.policy = "lirs";
  const std::uint64_t nr = (std::uint64_t{1} << 29) + 1;
  const std::uint64_t lirs_index = ((std::uint64_t{1} << 30) - 1) * 17 + 16;
  EXPECT_EQ(run_memory_need(c),
            (std::uint64_t{25} << 28) + ((std::uint64_t{1} << 28) + nr) * 9 + nr * 20 + lirs_index);
  // The reference-string model indexes by dense page id: 4 bytes per distinct page instead.
  c.model = SimModel::Refs;
  EXPECT_EQ(run_memory_need(c, 1000000), (std::uint64_t{25} << 28) +
                                             ((std::uint64_t{1} << 28) + nr) * 9 + nr * 20 +
                                             std::uint64_t{4} * 1000000);
}

TEST(MemoryNeed, AnImpossibleGridIsRefusedWithTheFigure) {
  SimConfig c;
  c.frames = std::uint64_t{1} << 31;
  c.policy = "lru";
  try {
    check_run_memory(std::span(&c, 1));
    FAIL() << "2^31 frames x 24 bytes = 48 GiB should not fit here";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("a run with 2147483648 frames needs about 48.0 GiB"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace vmsim
