// Scripted tests of 2Q, ARC, LIRS, CLOCK-Pro, CAR and S3-FIFO through their hooks, with the
// internal lists checked after every reference. The expected states were worked out by hand from
// the papers' pseudo-code (the traces are in the comments), not taken from the program's output.
#include <gtest/gtest.h>

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "policy/page/all.hpp"
#include "policy/page/registry.hpp"
#include "unit/policy/driver.hpp"

namespace vmsim {
namespace {

using test::Driver;
using test::kFree;
using test::kHit;

// One reference and the state after it: the victim (or kHit/kFree), the target p and the sizes
// of the four lists (ARC, CAR: T1 T2 B1 B2).
struct AdaptiveStep {
  std::uint64_t page;
  std::int64_t victim;
  double p;
  std::uint32_t t1, t2, b1, b2;
};

template <class P>
void run_adaptive(const std::vector<AdaptiveStep>& steps, std::uint32_t frames) {
  Driver<P> d(frames);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const AdaptiveStep& s = steps[i];
    SCOPED_TRACE(testing::Message() << "reference " << i << " (page " << s.page << ")");
    EXPECT_EQ(d.ref(s.page), s.victim);
    EXPECT_DOUBLE_EQ(d.policy().target(), s.p);
    EXPECT_EQ(d.policy().t1_size(), s.t1);
    EXPECT_EQ(d.policy().t2_size(), s.t2);
    EXPECT_EQ(d.policy().b1_size(), s.b1);
    EXPECT_EQ(d.policy().b2_size(), s.b2);
  }
}

// ARC, c = 3, p = 0. Lists MRU first; "REPLACE" picks T1's LRU if |T1| > p or (x in B2 and
// |T1| = p), else T2's LRU.
//   1 2 3    T1=[3 2 1]
//   1 hit    T1=[3 2] T2=[1]
//   4 IV     |T1|+|B1|=2<3, total 3: REPLACE, |T1|=2>0: 2->B1. T1=[4 3] T2=[1] B1=[2]
//   2 II     d1=1, p=1; REPLACE: |T1|=2>1: 3->B1; 2->T2. T1=[4] T2=[2 1] B1=[3]
//   5 IV     |T1|+|B1|=2, total 4: REPLACE, |T1|=1 not >1: 1->B2. T1=[5 4] T2=[2] B1=[3] B2=[1]
//   1 III    d2=1 (|B2|=|B1|), p=0; REPLACE: 4->B1; 1->T2. T1=[5] T2=[1 2] B1=[4 3] B2=[]
//   3 II     d1=1, p=1; REPLACE: |T1|=1 not >1, 3 not in B2: 2->B2. T1=[5] T2=[3 1] B1=[4] B2=[2]
//   2 III    d2=1, p=0; REPLACE: |T1|=1>0: 5->B1. T1=[] T2=[2 3 1] B1=[5 4] B2=[]
//   6 IV     |T1|+|B1|=2, total 5: REPLACE, T1 empty: 1->B2. T1=[6] B1=[5 4] B2=[1]
//   7 IV     |T1|+|B1|=3=c, |T1|<c: drop 4 from B1; REPLACE: 6->B1. T1=[7] B1=[6 5] B2=[1]
//   8 IV     likewise: drop 5; 7->B1. T1=[8] T2=[2 3] B1=[7 6] B2=[1]
//   6 II     |B1|=2>=|B2|=1: d1=1, p=1; REPLACE: 1 not >1: 3->B2; 6->T2. T2=[6 2] B1=[7] B2=[3 1]
//   7 II     |B1|=1<|B2|=2: d1=2/1=2, p=3; REPLACE: 2->B2. T1=[8] T2=[7 6] B1=[] B2=[2 3 1]
//   1 III    d2=1, p=2; REPLACE: |T1|=1, not >2, not =2: 6->B2. T2=[1 7] B2=[6 2 3]
//   2 III    d2=1, p=1; REPLACE: |T1|=1=p and 2 in B2: 8->B1. T1=[] T2=[2 1 7] B1=[8] B2=[6 3]
TEST(ArcHooks, PaperCasesStepByStep) {
  run_adaptive<Arc>({{1, kFree, 0, 1, 0, 0, 0},
                     {2, kFree, 0, 2, 0, 0, 0},
                     {3, kFree, 0, 3, 0, 0, 0},
                     {1, kHit, 0, 2, 1, 0, 0},
                     {4, 2, 0, 2, 1, 1, 0},
                     {2, 3, 1, 1, 2, 1, 0},
                     {5, 1, 1, 2, 1, 1, 1},
                     {1, 4, 0, 1, 2, 2, 0},
                     {3, 2, 1, 1, 2, 1, 1},
                     {2, 5, 0, 0, 3, 2, 0},
                     {6, 1, 0, 1, 2, 2, 1},
                     {7, 6, 0, 1, 2, 2, 1},
                     {8, 7, 0, 1, 2, 2, 1},
                     {6, 3, 1, 1, 2, 1, 2},
                     {7, 2, 3, 1, 2, 0, 3},
                     {1, 6, 2, 1, 2, 0, 3},
                     {2, 8, 1, 0, 3, 1, 2}},
                    3);
}

TEST(ArcHooks, InitialTargetIsAParameter) {
  Driver<Arc> d(4, Arc::Params{.p = 0.5});
  EXPECT_DOUBLE_EQ(d.policy().target(), 2.0);
}

// CAR, c = 3, p = 0. Clocks listed head (under the hand) first, * = reference bit set; ghost
// lists MRU first. New pages go to T1's tail with the bit clear.
//   1 2 3    T1=[1 2 3]
//   1 hit    T1=[1* 2 3]
//   4        |T1|=3>=1: 1* -> T2 tail (bit cleared); 2 -> B1. T1=[3 4] T2=[1] B1=[2]
//   2        3 -> B1 (victim). 2 in B1: p += max(1, 0/2) = 1; 2 -> T2 tail. T1=[4] T2=[1 2] B1=[3]
//   5        |T1|=1>=max(1,1): 4 -> B1. Directory: |T1|+|B1|=2. T1=[5] B1=[4 3]
//   1, 2     hits: T2=[1* 2*]
//   6        5 -> B1=[5 4 3]; |T1|+|B1|=3=c: discard 3. T1=[6] B1=[5 4]
//   3        6 -> B1=[6 5 4]; discard 4. T1=[3] B1=[6 5]
//   5        3 -> B1=[3 6 5]. 5 in B1: p = 1 + max(1, 0/3) = 2; 5 -> T2. T1=[] T2=[1* 2* 5] B1=[3
//   6] 7        |T1|=0<2: T2 head 1* -> tail, 2* -> tail, 5 -> B2. T1=[7] T2=[1 2] B2=[5] 5
//   |T1|=1<2: 1 -> B2=[1 5]. 5 in B2: p = 2 - max(1, 2/2) = 1. T2=[2 5] B2=[1] 1        |T1|=1>=1:
//   7 -> B1=[7 3 6]. 1 in B2: p = max(1 - max(1, 3/1), 0) = 0. T2=[2 5 1] B2=[]
TEST(CarHooks, PaperPseudoCodeStepByStep) {
  run_adaptive<Car>({{1, kFree, 0, 1, 0, 0, 0},
                     {2, kFree, 0, 2, 0, 0, 0},
                     {3, kFree, 0, 3, 0, 0, 0},
                     {1, kHit, 0, 3, 0, 0, 0},
                     {4, 2, 0, 2, 1, 1, 0},
                     {2, 3, 1, 1, 2, 1, 0},
                     {5, 4, 1, 1, 2, 2, 0},
                     {1, kHit, 1, 1, 2, 2, 0},
                     {2, kHit, 1, 1, 2, 2, 0},
                     {6, 5, 1, 1, 2, 2, 0},
                     {3, 6, 1, 1, 2, 2, 0},
                     {5, 3, 2, 0, 3, 2, 0},
                     {7, 5, 2, 1, 2, 2, 1},
                     {5, 1, 1, 1, 2, 2, 1},
                     {1, 7, 0, 0, 3, 3, 0}},
                    3);
}

// 2Q with 4 frames: Kin = 1, Kout = 2. Queues listed head (newest) first.
//   1 2 3 4  A1in=[4 3 2 1]
//   1 hit    in A1in: nothing
//   5        |A1in|=4>1: 1 out, A1out=[1]. A1in=[5 4 3 2]
//   6        2 out, A1out=[2 1]. A1in=[6 5 4 3]
//   2        in A1out: reclaim 3, A1out=[3 2 1] > 2: drop 1. Am=[2]. A1in=[6 5 4]
//   2 hit    Am=[2]
//   7        4 out, A1out=[4 3 2]: drop 2. A1in=[7 6 5]
//   1        not remembered any more: 5 out, A1out=[5 4]. A1in=[1 7 6]
//   4        in A1out (checked before reclaiming): 6 out, A1out=[6 5 4]: drop 4; yet 4 -> Am=[4 2]
//   8        7 out, A1out=[7 6]. A1in=[8 1]
//   6        in A1out: 1 out, A1out=[1 7 6]: drop 6. Am=[6 4 2]. A1in=[8]
//   9        |A1in|=1, not >1: Am's tail 2 out, not remembered. A1in=[9 8] Am=[6 4]
TEST(TwoQHooks, FullVersionStepByStep) {
  struct Step {
    std::uint64_t page;
    std::int64_t victim;
    std::uint32_t a1in, am, a1out;
  };
  const std::vector<Step> steps = {{1, kFree, 1, 0, 0}, {2, kFree, 2, 0, 0}, {3, kFree, 3, 0, 0},
                                   {4, kFree, 4, 0, 0}, {1, kHit, 4, 0, 0},  {5, 1, 4, 0, 1},
                                   {6, 2, 4, 0, 2},     {2, 3, 3, 1, 2},     {2, kHit, 3, 1, 2},
                                   {7, 4, 3, 1, 2},     {1, 5, 3, 1, 2},     {4, 6, 2, 2, 2},
                                   {8, 7, 2, 2, 2},     {6, 1, 1, 3, 2},     {9, 2, 2, 2, 2}};
  Driver<TwoQ> d(4);
  EXPECT_EQ(d.policy().kin(), 1U);
  EXPECT_EQ(d.policy().kout(), 2U);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    SCOPED_TRACE(testing::Message() << "reference " << i);
    EXPECT_EQ(d.ref(steps[i].page), steps[i].victim);
    EXPECT_EQ(d.policy().a1in_size(), steps[i].a1in);
    EXPECT_EQ(d.policy().am_size(), steps[i].am);
    EXPECT_EQ(d.policy().a1out_size(), steps[i].a1out);
  }
  EXPECT_TRUE(d.policy().remembers(1));
  EXPECT_TRUE(d.policy().remembers(7));
  EXPECT_FALSE(d.policy().remembers(6));
}

// S3-FIFO with 4 frames: evict from S while |S| >= 0.4 (S non-empty), M may hold 3.6 (overflows
// at 4), G holds floor(3.6) = 3 keys. Queues head (newest) first, (freq).
//   1 2 3 4  S=[4 3 2 1]
//   1 1 2    hits: freq 1=2, 2=1
//   5        S tail 1 freq 2>1 -> M=[1(0)]; S tail 2 freq 1 -> G=[2], evicted. S=[5 4 3]
//   2        S tail 3 -> G=[3 2]; 2 in G: removed from G, -> M=[2 1]. G=[3] S=[5 4]
//   3        4 -> G=[4 3]; 3 in G -> M=[3 2 1]. G=[4] S=[5]
//   1        hit: freq 1=1
//   6, 7, 8  5, 6, 7 -> G; G=[7 6 5] (4 dropped: G holds 3). S=[8]
//   8 8      hits: freq 8=2
//   5        S tail 8 freq 2 -> M=[8 3 2 1]: |M|=4>3.6, evictM: 1 freq 1 -> head, freq 0;
//            2 freq 0 evicted. 5 in G -> M=[5 1 8 3]. G=[7 6] S=[]
//   3        hit: freq 3=1
//   9        |S|=0: evictM: 3 freq 1 -> head, freq 0; 8 freq 0 evicted. S=[9] M=[3 5 1]
TEST(S3FifoHooks, PaperAlgorithmStepByStep) {
  struct Step {
    std::uint64_t page;
    std::int64_t victim;
    std::uint32_t s, m, g;
  };
  const std::vector<Step> steps = {
      {1, kFree, 1, 0, 0}, {2, kFree, 2, 0, 0}, {3, kFree, 3, 0, 0}, {4, kFree, 4, 0, 0},
      {1, kHit, 4, 0, 0},  {1, kHit, 4, 0, 0},  {2, kHit, 4, 0, 0},  {5, 2, 3, 1, 1},
      {2, 3, 2, 2, 1},     {3, 4, 1, 3, 1},     {1, kHit, 1, 3, 1},  {6, 5, 1, 3, 2},
      {7, 6, 1, 3, 3},     {8, 7, 1, 3, 3},     {8, kHit, 1, 3, 3},  {8, kHit, 1, 3, 3},
      {5, 2, 0, 4, 2},     {3, kHit, 0, 4, 2},  {9, 8, 1, 3, 2}};
  Driver<S3Fifo> d(4);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    SCOPED_TRACE(testing::Message() << "reference " << i);
    EXPECT_EQ(d.ref(steps[i].page), steps[i].victim);
    EXPECT_EQ(d.policy().small_size(), steps[i].s);
    EXPECT_EQ(d.policy().main_size(), steps[i].m);
    EXPECT_EQ(d.policy().ghost_size(), steps[i].g);
    if (i == 16) {
      EXPECT_EQ(d.policy().frequency(d.frame(1)), 0);  // decremented when evictM passed it
      EXPECT_EQ(d.policy().frequency(d.frame(8)), 0);  // cleared on the move to M
    }
  }
}

TEST(S3FifoHooks, FrequencyIsCappedAtThree) {
  Driver<S3Fifo> d(10);
  for (int i = 0; i < 6; ++i) d.ref(1);
  EXPECT_EQ(d.policy().frequency(d.frame(1)), 3);
}

// LIRS with 3 frames: L_hirs = 1, L_lirs = 2. S listed top first (L = LIR, H = resident HIR,
// N = non-resident HIR), Q front first.
//   1 2      LIR: S=[2L 1L]
//   3        HIR: S=[3H 2L 1L] Q=[3]
//   4        evict 3 (stays in S as N); S=[4H 3N 2L 1L] Q=[4]
//   1 hit    LIR at the bottom -> top: S=[1L 4H 3N 2L]
//   3        evict 4 (-> N). 3 in S: LIR at top; bottom LIR 2 -> HIR, Q=[2]; prune removes 2, 4N.
//            S=[3L 1L]
//   2 hit    resident HIR not in S: S=[2H 3L 1L], Q=[2]
//   4        evict 2 (-> N); 4 not in S: S=[4H 2N 3L 1L] Q=[4]
//   2        evict 4 (-> N); 2 in S: LIR; bottom 1 -> HIR, Q=[1]; prune. S=[2L 4N 3L]
//   3 hit    LIR at the bottom -> top; prune 4N. S=[3L 2L]
//   1 hit    resident HIR not in S: S=[1H 3L 2L]
//   1 hit    resident HIR in S: LIR; bottom 2 -> HIR, Q=[2]; prune. S=[1L 3L]
//   5        evict 2 (not in S: forgotten). S=[5H 1L 3L] Q=[5]
TEST(LirsHooks, PaperCasesStepByStep) {
  Driver<Lirs> d(3);
  EXPECT_EQ(d.policy().hir_resident_limit(), 1U);
  auto ref = [&](std::uint64_t page, std::int64_t victim, std::uint32_t nonresident) {
    SCOPED_TRACE(testing::Message() << "page " << page);
    EXPECT_EQ(d.ref(page), victim);
    EXPECT_EQ(d.policy().nonresident_in_stack(), nonresident);
  };
  ref(1, kFree, 0);
  ref(2, kFree, 0);
  ref(3, kFree, 0);
  EXPECT_TRUE(d.policy().in_queue(d.frame(3)));
  EXPECT_EQ(d.policy().lir_pages(), 2U);
  ref(4, 3, 1);
  ref(1, kHit, 1);
  ref(3, 4, 0);
  EXPECT_TRUE(d.policy().is_lir(d.frame(3)));
  EXPECT_FALSE(d.policy().is_lir(d.frame(2)));
  EXPECT_FALSE(d.policy().in_stack(d.frame(2)));
  EXPECT_TRUE(d.policy().in_queue(d.frame(2)));
  ref(2, kHit, 0);
  EXPECT_TRUE(d.policy().in_stack(d.frame(2)));
  EXPECT_FALSE(d.policy().is_lir(d.frame(2)));
  ref(4, 2, 1);
  ref(2, 4, 1);
  EXPECT_TRUE(d.policy().is_lir(d.frame(2)));
  EXPECT_TRUE(d.policy().in_queue(d.frame(1)));
  ref(3, kHit, 0);
  ref(1, kHit, 0);
  EXPECT_TRUE(d.policy().in_stack(d.frame(1)));
  EXPECT_FALSE(d.policy().is_lir(d.frame(1)));
  ref(1, kHit, 0);
  EXPECT_TRUE(d.policy().is_lir(d.frame(1)));
  EXPECT_FALSE(d.policy().is_lir(d.frame(2)));
  ref(5, 2, 0);
  EXPECT_EQ(d.policy().lir_pages(), 2U);
}

// The cap on non-resident entries: 1 2 3 4 5 leaves 3 and 4 non-resident in S (3 became
// non-resident first). With the default cap (2 x frames) a fault on 3 finds it in S and makes it
// LIR; with room for one entry, 3 was dropped when 4 was evicted, so 3 returns as HIR.
TEST(LirsHooks, NonResidentEntriesAreCapped) {
  Driver<Lirs> roomy(3);
  Driver<Lirs> tight(3, Lirs::Params{.hir = 0.01, .nonresident = 0.34});
  for (std::uint64_t page : {1, 2, 3, 4, 5}) {
    roomy.ref(page);
    tight.ref(page);
  }
  EXPECT_EQ(roomy.policy().nonresident_in_stack(), 2U);
  EXPECT_EQ(tight.policy().nonresident_in_stack(), 1U);
  EXPECT_EQ(roomy.ref(3), 5);
  EXPECT_EQ(tight.ref(3), 5);
  EXPECT_TRUE(roomy.policy().is_lir(roomy.frame(3)));
  EXPECT_FALSE(tight.policy().is_lir(tight.frame(3)));
}

// CLOCK-Pro with 3 frames and m_c starting at 1 (cold=0.34), by sections 4.2-4.3 of the paper.
// Clock listed from HAND_hot in the hands' direction; the list head (where pages enter) is the end.
// H hot, C cold, t in its test period, N non-resident, * bit set; [hc] marks where HAND_cold
// stops after its victim: "at the next resident cold page" (section 4.2).
//   1 2 3    [1Ct 2Ct 3Ct], all hands at 1
//   1 hit    1*
//   4        HAND_cold: 1 referenced in its test -> hot at the head, m_c=2 (hot 1 <= m-m_c=1);
//            2 unreferenced -> evicted, stays as 2N; the hand stops at 3. [2N 3Ct[hc] 1H 4Ct]
//   2        HAND_cold: 3 evicted -> 3N; next resident cold page: 1 is hot, so 4. 2 is N: hot at
//            the head, m_c=3; hot 2 > 0: HAND_hot removes 3N (m_c=2), demotes 1 (bit clear).
//            [4Ct[hc] 2H 1C]
//   3        HAND_cold at 4: cold, bit clear, in its test -> evicted, stays as 4N; the hand stops
//   at
//            1. [4N 2H 1C[hc] 3Ct]
//   2        hit: 2*
//   4        HAND_cold at 1: bit clear, no test -> evicted, forgotten; the hand stops at 3. 4 is N:
//            hot at the head, m_c=3; HAND_hot clears 2*, ends 3's test (m_c=2), demotes 4.
//            [2H 3C[hc] 4C]
//   5        3 evicted, forgotten; the hand stops at 4. [2H 4C[hc] 5Ct]
//   6        4 evicted; the hand stops at 5. [2H 5Ct[hc] 6Ct]
// (Were the hand left just past each victim, at the fault on 3 it would sit on 1, demoted behind
// it by HAND_hot, and evict 1 instead of 4.)
TEST(ClockProHooks, HandsAndTestPeriodsStepByStep) {
  struct Step {
    std::uint64_t page;
    std::int64_t victim;
    std::uint32_t cold_target, hot, cold, nonresident;
  };
  const std::vector<Step> steps = {
      {1, kFree, 1, 0, 1, 0}, {2, kFree, 1, 0, 2, 0}, {3, kFree, 1, 0, 3, 0}, {1, kHit, 1, 0, 3, 0},
      {4, 2, 2, 1, 2, 1},     {2, 3, 2, 1, 2, 0},     {3, 4, 2, 1, 2, 1},     {2, kHit, 2, 1, 2, 1},
      {4, 1, 2, 1, 2, 0},     {5, 3, 2, 1, 2, 0},     {6, 4, 2, 1, 2, 0}};
  Driver<ClockPro> d(3, ClockPro::Params{.cold = 0.34});
  for (std::size_t i = 0; i < steps.size(); ++i) {
    SCOPED_TRACE(testing::Message() << "reference " << i);
    EXPECT_EQ(d.ref(steps[i].page), steps[i].victim);
    EXPECT_EQ(d.policy().cold_target(), steps[i].cold_target);
    EXPECT_EQ(d.policy().hot_pages(), steps[i].hot);
    EXPECT_EQ(d.policy().cold_pages(), steps[i].cold);
    EXPECT_EQ(d.policy().nonresident_pages(), steps[i].nonresident);
  }
  EXPECT_TRUE(d.policy().is_hot(d.frame(2)));
  EXPECT_TRUE(d.policy().in_test(d.frame(5)));
}

// A referenced cold page outside its test period: "If its bit is set but it is not in its test
// period, there are no status change as well as HAND_hot actions" (section 4.2): its bit is reset
// and it moves to the head, still cold and without a test period. 3 frames, m_c starting at 3.
//   1 1 2 2 3   [1Ct* 2Ct* 3Ct], hands at 1
//   4   HAND_cold: 1* in its test -> hot at the head, m_c=3; HAND_hot ends the tests of 2 and 3
//       (m_c=1) and demotes 1. HAND_cold at 2*: no test -> bit reset, moved to the head, still
//       without a test. 3 evicted (no test: forgotten). [1C 2C 4Ct], m_c=1
//   5   1 evicted. [2C 4Ct 5Ct]
//   2   hit: 2*
//   1   HAND_cold at 2*: no test -> reset, to the head (not hot: no test period ran). 4 evicted,
//       stays as 4N. [4N 5Ct 2C 1Ct]
//   3   5 evicted -> 5N. [4N 5N 2C 1Ct 3Ct]
//   4   2 evicted, forgotten. 4 is N: hot, m_c=2 (hot 1 <= 1). [5N 1Ct 3Ct 4H]
//   2   1 evicted -> 1N.
// 9 faults. Had 2 started a test period at the fault on 4, it would have turned hot at the fault
// on 1 and survived (8 faults).
TEST(ClockProHooks, ReferencedColdPageOutsideItsTestPeriodKeepsItsStatus) {
  Driver<ClockPro> d(3);
  for (const std::uint64_t page : {1, 1, 2, 2, 3}) d.ref(page);
  EXPECT_EQ(d.ref(4), 3);
  EXPECT_FALSE(d.policy().is_hot(d.frame(2)));
  EXPECT_FALSE(d.policy().in_test(d.frame(2)));
  EXPECT_EQ(d.policy().cold_target(), 1U);
  EXPECT_EQ(d.ref(5), 1);
  EXPECT_EQ(d.ref(2), kHit);
  EXPECT_EQ(d.ref(1), 4);
  EXPECT_FALSE(d.policy().is_hot(d.frame(2)));
  EXPECT_FALSE(d.policy().in_test(d.frame(2)));
  EXPECT_EQ(d.policy().nonresident_pages(), 1U);
  EXPECT_EQ(d.ref(3), 5);
  EXPECT_EQ(d.ref(4), 2);
  EXPECT_TRUE(d.policy().is_hot(d.frame(4)));
  EXPECT_EQ(d.policy().cold_target(), 2U);
  EXPECT_EQ(d.ref(2), 1);
}

TEST(AdaptivePolicies, RegisteredWithParameters) {
  for (const char* spec :
       {"2q:kin=0.3,kout=0.6", "arc:p=0.5", "lirs:hir=0.05,nonresident=3", "clock-pro:cold=0.5",
        "car:p=0.25", "s3fifo:small=0.2,ghost=0.8,promote=1"}) {
    std::string_view found;
    dispatch_policy(parse_policy_spec(spec),
                    [&]<class P>(typename P::Params) { found = P::info.name; });
    EXPECT_EQ(std::string(found), std::string(spec).substr(0, std::string(spec).find(':')));
  }
}

}  // namespace
}  // namespace vmsim
