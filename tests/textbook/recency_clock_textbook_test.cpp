// MRU, enhanced second chance, LRU-K and SIEVE through simulate() on reference strings. No
// textbook prints these policies' counts for these strings, so every expected value is worked out
// by hand below; "-p" is the page evicted.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "support/refs.hpp"

namespace vmsim::test {
namespace {

// "1w 2 3w": page numbers, a `w` suffix for a write.
std::vector<Access> refs_with_writes(const std::string& text) {
  std::vector<Access> out;
  std::istringstream in(text);
  std::string word;
  while (in >> word) {
    const bool write = word.back() == 'w';
    const std::uint64_t page = std::stoull(write ? word.substr(0, word.size() - 1) : word);
    out.push_back(Access{page * 4096, 1, 0, write ? Op::Write : Op::Read});
  }
  return out;
}

// MRU, Silberschatz's string, 3 frames. Resident set, most recent last:
//   7 0 1 | 2 -1 {7 0 2} | 0 hit | 3 -0 {7 2 3} | 0 -3 | 4 -0 {7 2 4} | 2 hit | 3 -2 | 0 -3 |
//   3 -0 | 2 -3 | 1 -2 | 2 -1 | 0 -2 | 1 -0 {7 4 1} | 7 hit | 0 -7 {4 1 0} | 1 hit   -> 16 faults
TEST(Textbook, MruSilberschatzString) {
  const Results r = run_pages("mru", 3, kSilberschatz);
  EXPECT_EQ(r.counters.page_faults, 16U);
  const std::vector<std::int64_t> expected = {-1, -1, -1, 1, 0, 3, 0, 2, 3, 0, 3, 2, 1, 2, 0, 7};
  EXPECT_EQ(victims(r), expected);
}

// MRU is a stack algorithm (Mattson et al. 1970: eviction by a priority, recency, that does not
// depend on the memory size), so no anomaly on Belady's string:
//   3 frames: 1 2 3 | 4 -3 | 1 2 hit | 5 -2 | 1 hit | 2 -1 {4 5 2} | 3 -2 | 4 5 hit  -> 7
//   4 frames: 1 2 3 4 | 1 2 hit | 5 -2 | 1 hit | 2 -1 | 3 4 5 hit                   -> 6
TEST(Textbook, MruBeladyString) {
  EXPECT_EQ(faults("mru", 3, kBelady), 7U);
  EXPECT_EQ(faults("mru", 4, kBelady), 6U);
}

// Enhanced second chance, 3 frames, with writes. Frames as page(referenced,dirty), ^ the hand.
// Swapped-in pages count as dirty (no swap cache by default: their swap copy is freed).
//   1w 2 3w fill: ^1(1,1) 2(1,0) 3(1,1)
//   4: turn 1 finds no (0,0); turn 2 clears 1, 2, 3 (none was (0,1) when reached); turn 3 finds
//      2(0,0) -2; 4(1,0) takes its frame: 1(0,1) 4(1,0) ^3(0,1)
//   2: turn 1 from 3: 3(0,1) 1(0,1) 4(1,0) no; turn 2 takes 3(0,1) -3 (written back);
//      2(1,0) in its frame, hand on 1
//   4: hit
//   5w: turn 1 from 1: 1(0,1) 4(1,0) 2(1,0) no; turn 2 takes 1(0,1) -1 (written back);
//      5(1,1), hand on 4
//   1: turn 1: 4(1,0) 2(1,0) 5(1,1) no; turn 2 clears 4, 2, 5; turn 3 takes 4(0,0) -4;
//      1 comes back from swap: 1(1,1), hand on 2(0,0)
//   2w: hit, 2(1,1)
//   6: turn 1 from 2: 2(1,1) 5(0,1) 1(1,1) no; turn 2 clears 2, takes 5(0,1) -5 (written back);
//      6(1,0), hand on 1
//   3: turn 1 from 1: 1(1,1) 2(0,1) 6(1,0) no; turn 2 clears 1, takes 2(0,1) -2 (written back);
//      3 from swap: 3(1,1), hand on 6
//   4: turn 1 from 6: 6(1,0) 1(0,1) 3(1,1) no; turn 2 clears 6, takes 1(0,1) -1 (written back)
// 10 faults; write-backs of 3, 1, 5, 2, 1: 5.
TEST(Textbook, EnhancedSecondChanceWithWrites) {
  const std::vector<Access> refs = refs_with_writes("1w 2 3w 4 2 4 5w 1 2w 6 3 4");
  const Results r = simulate(config_for("enhanced-clock", 3), refs);
  EXPECT_EQ(r.counters.page_faults, 10U);
  const std::vector<std::int64_t> expected = {-1, -1, -1, 2, 3, 1, 4, 5, 2, 1};
  EXPECT_EQ(victims(r), expected);
  EXPECT_EQ(r.counters.dirty_writebacks, 5U);
  // With the swap cache a page read back from swap is clean: 1 comes back (1,0) and 3 (1,0),
  // which changes no choice above but saves 1's second write-back.
  SimConfig cached = config_for("enhanced-clock", 3);
  cached.swap_cache = true;
  const Results c = simulate(cached, refs);
  EXPECT_EQ(victims(c), expected);
  EXPECT_EQ(c.counters.dirty_writebacks, 4U);
}

// LRU-2 (crp 0, history of the last 3 evicted pages), Silberschatz's string, 3 frames. Pages as
// page{HIST1,HIST2} in reference indices, "-" for none (infinite distance, evicted first, by LRU).
//   7 0 1 | 2: all infinite, LRU -7 | 0 hit 0{4,1} | 3: 1{2,-} 2{3,-} -1 | 0 hit 0{6,4} |
//   4: 2{3,-} 3{5,-} -2 | 2: 3{5,-} 4{7,-} -3; 2 comes back from history: 2{8,3} |
//   3: 4{7,-} -4; 3 from history: 3{9,5} (1's history is dropped: 3 newer evictions) |
//   0 3 2 hits: 0{10,6} 3{11,9} 2{12,8} | 1: oldest second reference 0 (6) -0; 1{13,-} |
//   2 hit 2{14,12} | 0: 1{13,-} -1; 0 from history: 0{15,10} | 1: 3 (9) -3; 1{16,13} |
//   7: 0 (10) -0; 7{17,-} | 0: 7 -7; 0{18,15} | 1 hit                              -> 13 faults
TEST(Textbook, Lru2SilberschatzString) {
  const Results r = run_pages("lru-k", 3, kSilberschatz);
  EXPECT_EQ(r.counters.page_faults, 13U);
  const std::vector<std::int64_t> expected = {-1, -1, -1, 7, 1, 2, 3, 4, 0, 1, 3, 0, 7};
  EXPECT_EQ(victims(r), expected);
}

// LRU-2 on Belady's string:
//   3 frames: 1 2 3 | 4 -1 | 1 -2 (1{4,0}) | 2 -3 (2{5,1}) | 5 -4 | 1 2 hits 1{7,4} 2{8,5} |
//             3 -5 (3{9,2}) | 4: second references 4, 5, 2 -3 | 5: 4{10,3} -4          -> 10
//   4 frames: 1 2 3 4 | 1 2 hits | 5 -3 | 1 2 hits | 3 -4 | 4 -5 | 5: 3{9,2} oldest -3 -> 8
TEST(Textbook, Lru2BeladyString) {
  const Results three = run_pages("lru-k", 3, kBelady);
  EXPECT_EQ(three.counters.page_faults, 10U);
  EXPECT_EQ(victims(three), (std::vector<std::int64_t>{-1, -1, -1, 1, 2, 3, 4, 5, 3, 4}));
  const Results four = run_pages("lru-k", 4, kBelady);
  EXPECT_EQ(four.counters.page_faults, 8U);
  EXPECT_EQ(victims(four), (std::vector<std::int64_t>{-1, -1, -1, -1, 3, 4, 5, 3}));
}

// LRU-1 is LRU.
// When LRU-K looks up a faulting page's retained history: on loading it, after the victim has left
// and its history has been retained. With room for one history (history=1), 2 frames, K = 2,
// times t+1, HIST listed newest first:
//   1 1    HIST(1) = [2 1]: two references, a finite backward 2-distance.
//   2      HIST(2) = [3 -].
//   3      2 has fewer than K references: it goes first (victim 2, its history retained).
//   1      hit, HIST(1) = [5 2].
//   2      3 goes ([4 -], fewer than K). Its history takes the one slot, so 2's retained [3 -] is
//          gone when 2 is loaded: HIST(2) = [6 -].
//   4      2 has fewer than K references again: victim 2.
// Looked up before the victim's history was stored, 2 would return as [6 3], and 1, whose second
// reference (2) is older, would be the last victim.
TEST(Textbook, Lru2LooksUpHistoryAfterTheVictimLeft) {
  const Results r = run_pages("lru-k:history=1", 2, {1, 1, 2, 3, 1, 2, 4});
  EXPECT_EQ(victims(r), (std::vector<std::int64_t>{-1, -1, 2, 3, 2}));
}

TEST(Textbook, Lru1IsLru) {
  const Results lru1 = run_pages("lru-k:k=1", 3, kSilberschatz);
  EXPECT_EQ(lru1.counters.page_faults, 12U);
  EXPECT_EQ(victims(lru1), victims(run_pages("lru", 3, kSilberschatz)));
}

// SIEVE, Silberschatz's string, 3 frames. Queue from tail (oldest) to head, * = visited, ^ = hand.
// New pages enter unvisited: the faulting reference is not a visit.
//   7 0 1 | 2: from the tail, 7 unvisited -7; ^0 1 2 | 0 hit 0* | 3: clears 0, -1; 0 ^2 3 |
//   0 hit 0* | 4: -2; 0* ^3 4 | 2: -3; 0* ^4 2 | 3: -4; 0* ^2 3 | 0 3 2 hits: 0* 2* 3* |
//   1: clears 2, 3, wraps to the tail, clears 0, -2; 0 ^3 1 | 2: -3; 0 ^1 2 | 0 1 hits: 0* ^1* 2 |
//   7: clears 1, -2 (the hand runs off the head); 0* 1 7 | 0 1 hits             -> 11 faults
TEST(Textbook, SieveSilberschatzString) {
  const Results r = run_pages("sieve", 3, kSilberschatz);
  EXPECT_EQ(r.counters.page_faults, 11U);
  const std::vector<std::int64_t> expected = {-1, -1, -1, 7, 1, 2, 3, 4, 2, 3, 2};
  EXPECT_EQ(victims(r), expected);
}

// SIEVE on Belady's string:
//   3 frames: 1 2 3 | 4 -1 | 1 -2 | 2 -3 | 5 -4; ^1 2 5 | 1 2 hits | 3: clears 1, 2, -5 (hand off
//             the head) | 4: from the tail -1 | 5 -2                                  -> 10
//   4 frames: 1 2 3 4 | 1 2 hits | 5: clears 1, 2, -3; 1 2 ^4 5 | 1 2 hits | 3 -4 | 4 -5 | 5 -3
//                                                                                    -> 8
TEST(Textbook, SieveBeladyString) {
  const Results three = run_pages("sieve", 3, kBelady);
  EXPECT_EQ(three.counters.page_faults, 10U);
  EXPECT_EQ(victims(three), (std::vector<std::int64_t>{-1, -1, -1, 1, 2, 3, 4, 5, 1, 2}));
  const Results four = run_pages("sieve", 4, kBelady);
  EXPECT_EQ(four.counters.page_faults, 8U);
  EXPECT_EQ(victims(four), (std::vector<std::int64_t>{-1, -1, -1, -1, 3, 4, 5, 3}));
}

}  // namespace
}  // namespace vmsim::test
