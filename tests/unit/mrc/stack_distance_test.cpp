// Stack distances worked out by hand on Silberschatz's reference string, and the counting
// structure checked against a plain list on random strings (with removals, and a time window small
// enough that compaction runs constantly).
#include <gtest/gtest.h>

#include <algorithm>
#include <list>

#include "core/rng.hpp"
#include "mrc/mrc.hpp"
#include "mrc/stack_distance.hpp"
#include "support/refs.hpp"

namespace vmsim::test {
namespace {

// 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1, the LRU stack (top first) after each reference and the
// depth the page was found at (0: first reference):
//   7 [7] 0 | 0 [0 7] 0 | 1 [1 0 7] 0 | 2 [2 1 0 7] 0 | 0 [0 2 1 7] 3 | 3 [3 0 2 1 7] 0
//   0 [0 3 2 1 7] 2 | 4 [4 0 3 2 1 7] 0 | 2 [2 4 0 3 1 7] 4 | 3 [3 2 4 0 1 7] 4
//   0 [0 3 2 4 1 7] 4 | 3 [3 0 2 4 1 7] 2 | 2 [2 3 0 4 1 7] 3 | 1 [1 2 3 0 4 7] 5
//   2 [2 1 3 0 4 7] 2 | 0 [0 2 1 3 4 7] 4 | 1 [1 0 2 3 4 7] 3 | 7 [7 1 0 2 3 4] 6
//   0 [0 7 1 2 3 4] 3 | 1 [1 0 7 2 3 4] 3
// Faults with c frames are the 6 first references plus the distances above c: 12 with 3 frames
// and 8 with 4, the textbook's LRU figures.
TEST(StackDistance, LruByHandOnSilberschatz) {
  const DenseTrace t = DenseTrace::from_pages(kSilberschatz);
  const std::vector<std::uint64_t> expected = {0, 0, 0, 0, 3, 0, 2, 0, 4, 4,
                                               4, 2, 3, 5, 2, 4, 3, 6, 3, 3};
  EXPECT_EQ(mrc::lru_stack_distances(t), expected);
  const mrc::MissRatioCurve c = mrc::exact_lru_curve(t);
  EXPECT_EQ(c.faults(3), 12);
  EXPECT_EQ(c.faults(4), 8);
  EXPECT_EQ(c.faults(6), 6);
  EXPECT_EQ(c.faults(100), 6);
  EXPECT_EQ(c.faults(0), 20);
}

// OPT's stack keeps its top c pages as OPT with c frames would; priority is the next use (sooner
// first, "inf" never). Entries are page(next use index), references counted from 0:
//   t0  7  [7(17)]                                   0
//   t1  0  [0(4) 7(17)]                              0
//   t2  1  [1(13) 0(4) 7(17)]                        0   0 sooner than 7: stays at depth 2
//   t3  2  [2(8) 0(4) 1(13) 7(17)]                   0
//   t4  0  [0(6) 2(8) 1(13) 7(17)]                   2
//   t5  3  [3(9) 0(6) 2(8) 1(13) 7(17)]              0
//   t6  0  [0(10) 3(9) 2(8) 1(13) 7(17)]             2
//   t7  4  [4(inf) 3(9) 2(8) 0(10) 1(13) 7(17)]      0   0 (10) loses to 3 (9) and 2 (8)
//   t8  2  [2(12) 3(9) 4(inf) 0(10) 1(13) 7(17)]     3
//   t9  3  [3(11) 2(12) 4(inf) ...]                  2
//   t10 0  [0(15) 3(11) 2(12) 4(inf) 1(13) 7(17)]    4
//   t11 3  [3(inf) 0(15) 2(12) 4(inf) 1(13) 7(17)]   2
//   t12 2  [2(14) 0(15) 3(inf) 4(inf) 1(13) 7(17)]   3
//   t13 1  [1(16) 2(14) 0(15) 4(inf) 3(inf) 7(17)]   5
//   t14 2  [2(inf) 1(16) 0(15) ...]                  2
//   t15 0  [0(18) 1(16) 2(inf) ...]                  3
//   t16 1  [1(19) 0(18) 2(inf) ...]                  2
//   t17 7  [7(inf) 0(18) 1(19) 4 3 2]                6
//   t18 0  [0(inf) 7(inf) 1(19) ...]                 2
//   t19 1                                            3
// 9 faults with 3 frames and 8 with 4, the textbook's OPT figures.
TEST(StackDistance, OptByHandOnSilberschatz) {
  const DenseTrace t = DenseTrace::from_pages(kSilberschatz);
  const std::vector<std::uint64_t> expected = {0, 0, 0, 0, 2, 0, 2, 0, 3, 2,
                                               4, 2, 3, 5, 2, 3, 2, 6, 2, 3};
  EXPECT_EQ(mrc::opt_stack_distances(t), expected);
  const mrc::MissRatioCurve c = mrc::exact_opt_curve(t);
  EXPECT_EQ(c.faults(3), 9);
  EXPECT_EQ(c.faults(4), 8);
}

// Belady's string: FIFO's anomaly does not exist for the stack algorithms, whose curves only fall.
TEST(StackDistance, CurvesNeverRise) {
  const DenseTrace t = DenseTrace::from_pages(kBelady);
  for (const mrc::MissRatioCurve& c : {mrc::exact_lru_curve(t), mrc::exact_opt_curve(t)}) {
    for (std::uint64_t f = 1; f < 8; ++f) EXPECT_LE(c.faults(f + 1), c.faults(f)) << c.policy;
  }
  EXPECT_EQ(mrc::exact_lru_curve(t).faults(3), 10);
  EXPECT_EQ(mrc::exact_opt_curve(t).faults(3), 7);
}

// The stack as a list, for checking.
class NaiveStack {
 public:
  std::uint64_t access(std::uint32_t page) {
    const auto it = std::find(stack_.begin(), stack_.end(), page);
    std::uint64_t d = 0;
    if (it != stack_.end()) {
      d = static_cast<std::uint64_t>(std::distance(stack_.begin(), it)) + 1;
      stack_.erase(it);
    }
    stack_.push_front(page);
    return d;
  }
  void remove(std::uint32_t page) { stack_.remove(page); }
  std::size_t depth() const { return stack_.size(); }
  std::uint32_t bottom() const { return stack_.back(); }

 private:
  std::list<std::uint32_t> stack_;
};

// Holes by hand. a b c: stack c b a. b's process exits: c (hole) a. a is at distance 3, the hole
// counted; LRU with 2 frames ({b, c} before the exit, {c} after) misses it and takes the free
// frame, with 3 frames ({a, c} after the exit) it hits. The shift above a fills the hole, and a's
// old place becomes one: a c (hole). d, a first reference, fills that hole: d a c. c is at distance
// 3: with 2 frames LRU evicted it for d; with 3 frames d took the free frame.
TEST(StackDistance, HolesAreFreeFramesOfTheMemoriesThatHoldThem) {
  constexpr std::uint32_t a = 0, b = 1, c = 2, d = 3;
  mrc::LruStackDistance stack;
  EXPECT_EQ(stack.access(a), mrc::LruStackDistance::kCold);
  EXPECT_EQ(stack.access(b), mrc::LruStackDistance::kCold);
  EXPECT_EQ(stack.access(c), mrc::LruStackDistance::kCold);
  stack.free_page(b);
  EXPECT_TRUE(stack.has_holes());
  EXPECT_EQ(stack.depth(), 3U);
  EXPECT_EQ(stack.access_with_holes(a), 3U);
  EXPECT_TRUE(stack.has_holes());
  EXPECT_EQ(stack.access_with_holes(d), mrc::LruStackDistance::kCold);
  EXPECT_FALSE(stack.has_holes());
  EXPECT_EQ(stack.depth(), 3U);
  EXPECT_EQ(stack.access(c), 3U);
  EXPECT_EQ(stack.access(c), 1U);
  EXPECT_EQ(stack.access(a), 3U);  // the stack was c d a
  // b was freed: its next reference is a first one.
  EXPECT_EQ(stack.access(b), mrc::LruStackDistance::kCold);
}

TEST(StackDistance, MatchesAListThroughCompactionsAndRemovals) {
  Rng rng(1970);
  for (int round = 0; round < 20; ++round) {
    const std::uint32_t pages = 2 + static_cast<std::uint32_t>(rng.below(300));
    // A window of 64 positions compacts every few dozen references; no expected size, so the
    // per-page array and the window grow as pages appear.
    mrc::LruStackDistance fast(0, 64);
    NaiveStack slow;
    for (int i = 0; i < 5000; ++i) {
      // A hot subset most of the time, so distances are mixed short and long.
      const auto page = static_cast<std::uint32_t>(rng.below(3) == 0 ? rng.below(pages)
                                                                     : rng.below(1 + pages / 8));
      if (rng.below(50) == 0) {
        fast.remove(page);
        slow.remove(page);
        continue;
      }
      ASSERT_EQ(fast.access(page), slow.access(page)) << "round " << round << " step " << i;
      ASSERT_EQ(fast.depth(), slow.depth());
      ASSERT_EQ(fast.bottom(), slow.bottom()) << "round " << round << " step " << i;
    }
  }
}

}  // namespace
}  // namespace vmsim::test
