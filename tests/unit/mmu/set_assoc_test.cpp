// The set-associative structure behind the TLB: placement, LRU within a set, invalidation.
#include <gtest/gtest.h>

#include "mmu/set_assoc.hpp"
#include "mmu/tlb.hpp"

namespace vmsim {
namespace {

TEST(SetAssoc, LruWithinASet) {
  SetAssoc<int> cache(2, 2);  // tags with the same low bit share a set
  int v = 0;
  cache.insert(0, 100);
  cache.insert(2, 102);
  EXPECT_TRUE(cache.lookup(0, v));  // 0 becomes most recent; 2 is now least recent
  EXPECT_EQ(v, 100);
  cache.insert(4, 104);  // evicts 2
  EXPECT_FALSE(cache.lookup(2, v));
  EXPECT_TRUE(cache.lookup(0, v));
  EXPECT_TRUE(cache.lookup(4, v));
  EXPECT_EQ(v, 104);
  cache.insert(1, 101);  // the other set is untouched by set 0's traffic
  EXPECT_TRUE(cache.lookup(1, v));
  EXPECT_TRUE(cache.lookup(0, v));
}

TEST(SetAssoc, InvalidateFreesAWayWithoutDisturbingOthers) {
  SetAssoc<int> cache(1, 3);
  int v = 0;
  cache.insert(1, 1);
  cache.insert(2, 2);
  cache.insert(3, 3);
  EXPECT_TRUE(cache.invalidate(2));
  EXPECT_FALSE(cache.invalidate(2));
  EXPECT_FALSE(cache.lookup(2, v));
  cache.insert(4, 4);  // takes the freed way: 1 and 3 both survive
  EXPECT_TRUE(cache.lookup(1, v));
  EXPECT_TRUE(cache.lookup(3, v));
  EXPECT_TRUE(cache.lookup(4, v));
  cache.flush();
  EXPECT_FALSE(cache.lookup(1, v));
}

TEST(SetAssoc, InvalidateIfKeepsTheOthersInRecencyOrder) {
  SetAssoc<int> cache(1, 4);
  int v = 0;
  for (const int tag : {1, 2, 3, 4}) cache.insert(tag, tag * 10);  // recency: 4 3 2 1
  EXPECT_EQ(cache.invalidate_if([](std::uint64_t tag) { return tag % 2 == 0; }), 2U);
  EXPECT_FALSE(cache.lookup(2, v));
  EXPECT_FALSE(cache.lookup(4, v));
  // Left: 3 then 1, and two free ways: 5 and 6 fill them, so 1 and 3 survive; 7 then evicts the
  // least recent, 1.
  cache.insert(5, 50);
  cache.insert(6, 60);
  cache.insert(7, 70);
  EXPECT_FALSE(cache.lookup(1, v));
  EXPECT_TRUE(cache.lookup(3, v));
  EXPECT_EQ(v, 30);
}

TEST(Tlb, FlushAsidDropsOnlyThatAddressSpace) {
  Tlb tlb(8, 2);
  TlbEntry f = 0;
  for (std::uint64_t vpn = 0; vpn < 3; ++vpn) {
    tlb.insert(Tlb::tag(1, vpn), 10 + static_cast<FrameId>(vpn));
    tlb.insert(Tlb::tag(2, vpn), 20 + static_cast<FrameId>(vpn));
  }
  EXPECT_EQ(tlb.flush_asid(1), 3U);
  for (std::uint64_t vpn = 0; vpn < 3; ++vpn) {
    EXPECT_FALSE(tlb.lookup(Tlb::tag(1, vpn), f)) << vpn;
    EXPECT_TRUE(tlb.lookup(Tlb::tag(2, vpn), f)) << vpn;
    EXPECT_EQ(f, 20 + vpn);
  }
  EXPECT_EQ(tlb.flush_asid(1), 0U);
}

TEST(Tlb, DisabledTlbNeverHits) {
  Tlb tlb(0, 4);
  TlbEntry f = 0;
  tlb.insert(Tlb::tag(0, 5), 1);
  EXPECT_FALSE(tlb.lookup(Tlb::tag(0, 5), f));
  EXPECT_FALSE(tlb.enabled());
}

TEST(Tlb, AddressSpacesDoNotShareEntries) {
  Tlb tlb(8, 8);
  TlbEntry f = 0;
  tlb.insert(Tlb::tag(1, 5), 10);
  EXPECT_FALSE(tlb.lookup(Tlb::tag(2, 5), f));
  EXPECT_TRUE(tlb.lookup(Tlb::tag(1, 5), f));
  EXPECT_EQ(f, 10U);
}

}  // namespace
}  // namespace vmsim
