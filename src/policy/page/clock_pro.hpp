// CLOCK-Pro, as described by Jiang, Chen, Zhang, "CLOCK-Pro: An effective improvement of the CLOCK
// replacement", USENIX ATC 2005, sections 4.2 and 4.3, with m = the number of frames.
//
// One clock holds hot pages, resident cold pages and non-resident cold pages (keys only) that are
// still in their test period. New pages enter at the list head, just behind HAND_hot. A reference
// only sets the page's referenced bit (no per-reference call).
//   HAND_cold (finds the victim): at a resident cold page with its bit clear, evict it; if it is in
//     its test period it stays in the clock as a non-resident cold page, otherwise it leaves; the
//     hand then stops at the next resident cold page. At a resident cold page with its bit set:
//     clear the bit and move the page to the list head; if it was in its test period make it hot
//     (m_c += 1) and run HAND_hot, if not leave its status alone. Other pages are passed over.
//   HAND_hot (runs while hot pages exceed m - m_c): at a hot page with its bit set, clear it; with
//     its bit clear, make it cold and stop. At a cold page, end its test period (m_c -= 1) and
//     remove it if it is non-resident.
//   HAND_test (runs while non-resident cold pages exceed m): at a cold page, end its test period
//     (m_c -= 1) and remove it if non-resident.
//   A fault on a page that is a non-resident cold page in the clock (its test period still running)
//   makes it hot at the list head (m_c += 1) and runs HAND_hot; any other fault inserts a cold page
//   at the list head and starts its test period.
// m_c, the target number of resident cold pages, stays within [1, m].
//
// Where the paper leaves a choice open, we state ours: (1) m_c starts at `cold` x m (default m, as
// libCacheSim's ClockPro and the pyclockpro implementation it follows); (2) a hot page made cold by
// HAND_hot starts without a test period; (3) HAND_test runs after the faulting page is placed, so
// the page's own non-resident entry is judged first.
// This is the paper's form, with a per-page test flag for resident cold pages, not the simplified
// form of pyclockpro/libCacheSim (which promotes every referenced resident cold page and adapts m_c
// only on non-resident hits): the simplified form's hands can evict several pages for one fault,
// which a fixed frame count cannot express.
//
// The paper inserts a page with its bit clear, so CLOCK-Pro declares fault_sets_referenced = false.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <tuple>
#include <vector>

#include "policy/page/detail/footprint.hpp"
#include "policy/page/detail/page_map.hpp"
#include "policy/page/detail/param_check.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class ClockPro {
 public:
  static constexpr PolicyInfo info{
      "clock-pro",
      "CLOCK with hot and cold pages and test periods: three hands, adaptive cold target",
      "Jiang, Chen, Zhang, \"CLOCK-Pro: An effective improvement of the CLOCK replacement\", "
      "USENIX ATC 2005"};
  static constexpr bool reads_referenced = true;
  static constexpr bool fault_sets_referenced = false;

  struct Params {
    double cold = 1.0;  // initial m_c as a fraction of the frames
    static constexpr std::tuple fields{ParamField<Params, double>{
        "cold", &Params::cold,
        "initial target of resident cold pages m_c as a fraction of frames, rounded to the "
        "nearest, at least 1: a number from 0 to 1 (default 1)",
        0.0, 1.0}};
  };

  // Fixed arrays: per frame the hot and test bits, per clock entry (m resident, m + 1
  // non-resident) two links, per non-resident entry its key, a free slot and an index entry.
  static std::uint64_t memory_bound(std::uint32_t frames, std::uint32_t dense_pages, Params) {
    const std::uint64_t m = frames;
    return m * (detail::kFrameShareBytes + 2) + (2 * m + 1) * 8 + (m + 1) * (8 + 4) +
           detail::page_map_bytes<std::uint32_t>(m + 1, dense_pages);
  }

  ClockPro(const PolicyContext& ctx, Params params)
      : params_checked_(info.name, params),
        m_(checked_frames(ctx.frames)),
        referenced_(ctx.referenced),
        page_key_(ctx.page_key),
        // m_c is a page count within [1, m]: cold x m rounded to the nearest, at least 1.
        cold_target_(
            std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::lround(params.cold * m_)))),
        hot_(ctx.frames, 0),
        test_(ctx.frames, 0),
        next_(std::size_t{ctx.frames} * 2 + 1, kNil),
        prev_(std::size_t{ctx.frames} * 2 + 1, kNil),
        ghost_key_(std::size_t{ctx.frames} + 1, 0),
        index_(ctx.dense_pages, std::size_t{ctx.frames} + 1) {
    free_slots_.reserve(std::size_t{m_} + 1);
    for (std::uint32_t s = m_ + 1; s-- > 0;) free_slots_.push_back(s);
  }

  FrameId select_victim() {
    for (;;) {
      const std::uint32_t n = hand_cold_;
      if (n >= m_ || hot_[n] != 0) {
        hand_cold_ = next_[n];
        continue;
      }
      if (referenced_[n] == 0) {
        // Section 4.2: the hand "stops at the next resident cold page", so pages that turn cold
        // behind it later (HAND_hot's demotions) wait for its next turn.
        hand_cold_ = next_resident_cold_after(n);
        return n;  // on_unmap keeps it as a non-resident page if it is in its test period
      }
      referenced_[n] = 0;
      hand_cold_ = next_[n];
      unlink(n);
      link_at_head(n);
      // Section 4.2: referenced in its test period, the page turns hot; outside it, "there are no
      // status change as well as HAND_hot actions": it only moves to the head with its bit reset.
      if (test_[n] != 0) {
        test_[n] = 0;
        hot_[n] = 1;
        --cold_count_;
        ++hot_count_;
        if (cold_target_ < m_) ++cold_target_;
        run_hand_hot();
      }
    }
  }

  // A resident frame is now named `key` (its first mapper left: mm/frame_table.hpp), so what
  // was remembered of an evicted page of that name is forgotten (policy.hpp: HasForget).
  void forget(std::uint64_t key) {
    if (const std::uint32_t* node = index_.find(key)) remove_nonresident(*node);
  }

  void on_unmap(FrameId f) {
    if (hot_[f] == 0 && test_[f] != 0) {
      const std::uint32_t slot = free_slots_.back();
      free_slots_.pop_back();
      const std::uint32_t g = m_ + slot;
      ghost_key_[slot] = page_key_[f];
      index_.insert(page_key_[f], g);
      replace(f, g);
      ++nonresident_count_;
      --cold_count_;
      hot_[f] = 0;
      test_[f] = 0;
    } else {
      on_discard(f);
    }
  }

  // A page freed with its process leaves the clock without a non-resident entry.
  void on_discard(FrameId f) {
    unlink(f);
    if (hot_[f] != 0) {
      --hot_count_;
    } else {
      --cold_count_;
    }
    hot_[f] = 0;
    test_[f] = 0;
  }

  void prefetch_page(std::uint64_t key) const { index_.prefetch(key); }

  void on_map(FrameId f) {
    referenced_[f] = 0;
    if (const std::uint32_t* node = index_.find(page_key_[f])) {
      // Re-referenced during its test period: its reuse distance beats the hot pages'.
      remove_nonresident(*node);
      hot_[f] = 1;
      test_[f] = 0;
      ++hot_count_;
      link_at_head(f);
      if (cold_target_ < m_) ++cold_target_;
      run_hand_hot();
    } else {
      hot_[f] = 0;
      test_[f] = 1;
      ++cold_count_;
      link_at_head(f);
    }
    while (nonresident_count_ > m_) run_hand_test();
  }

  std::uint32_t cold_target() const { return cold_target_; }
  std::uint32_t hot_pages() const { return hot_count_; }
  std::uint32_t cold_pages() const { return cold_count_; }
  std::uint32_t nonresident_pages() const { return nonresident_count_; }
  bool is_hot(FrameId f) const { return hot_[f] != 0; }
  bool in_test(FrameId f) const { return test_[f] != 0; }

 private:
  static constexpr std::uint32_t kNil = ~std::uint32_t{0};

  // The clock numbers frames 0..m-1 and non-resident pages m..2m, below kNil.
  static std::uint32_t checked_frames(std::uint32_t frames) {
    if (2 * std::uint64_t{frames} + 1 >= kNil) {
      throw Error(
          fmt::format("policy clock-pro: {} frames need more clock entries than 32-bit "
                      "indices hold",
                      frames));
    }
    return frames;
  }

  // The first resident cold page after `victim` in the hands' direction; just past the victim if it
  // is the only one (then the next resident cold page is yet to appear). The walk passes the nodes
  // the hand would pass at the next fault anyway.
  std::uint32_t next_resident_cold_after(std::uint32_t victim) const {
    std::uint32_t n = next_[victim];
    if (cold_count_ <= 1) return n;  // cold_count_ still counts the victim
    while (n == victim || n >= m_ || hot_[n] != 0) n = next_[n];
    return n;
  }

  // Runs while hot pages exceed m - m_c; each round turns one hot page cold.
  void run_hand_hot() {
    while (hot_count_ > m_ - cold_target_) {
      for (;;) {
        const std::uint32_t n = hand_hot_;
        if (n >= m_) {
          end_test_of_nonresident(n);  // moves the hand on
          continue;
        }
        hand_hot_ = next_[n];
        if (hot_[n] == 0) {
          if (test_[n] != 0) end_test(n);
          continue;
        }
        if (referenced_[n] != 0) {
          referenced_[n] = 0;
          continue;
        }
        hot_[n] = 0;
        --hot_count_;
        ++cold_count_;
        break;
      }
    }
  }

  void run_hand_test() {
    const std::uint32_t n = hand_test_;
    if (n >= m_) {
      end_test_of_nonresident(n);
      return;
    }
    hand_test_ = next_[n];
    if (hot_[n] == 0 && test_[n] != 0) end_test(n);
  }

  void end_test(std::uint32_t f) {
    test_[f] = 0;
    if (cold_target_ > 1) --cold_target_;
  }

  void end_test_of_nonresident(std::uint32_t g) {
    remove_nonresident(g);
    if (cold_target_ > 1) --cold_target_;
  }

  void remove_nonresident(std::uint32_t g) {
    const std::uint32_t slot = g - m_;
    index_.remove(ghost_key_[slot]);
    unlink(g);
    free_slots_.push_back(slot);
    --nonresident_count_;
  }

  // The list head is just behind HAND_hot: the position every hand reaches last.
  void link_at_head(std::uint32_t n) {
    if (hand_hot_ == kNil) {
      next_[n] = n;
      prev_[n] = n;
      hand_hot_ = hand_cold_ = hand_test_ = n;
      return;
    }
    const std::uint32_t after = hand_hot_;
    const std::uint32_t before = prev_[after];
    next_[before] = n;
    prev_[n] = before;
    next_[n] = after;
    prev_[after] = n;
  }

  // Takes n off the clock; a hand on n moves to the next node.
  void unlink(std::uint32_t n) {
    const std::uint32_t after = next_[n];
    if (after == n) {
      hand_hot_ = hand_cold_ = hand_test_ = kNil;
      return;
    }
    if (hand_hot_ == n) hand_hot_ = after;
    if (hand_cold_ == n) hand_cold_ = after;
    if (hand_test_ == n) hand_test_ = after;
    const std::uint32_t before = prev_[n];
    next_[before] = after;
    prev_[after] = before;
  }

  // Puts `now` where `old` is on the clock, hands included.
  void replace(std::uint32_t old, std::uint32_t now) {
    const std::uint32_t after = next_[old];
    if (after == old) {
      next_[now] = now;
      prev_[now] = now;
    } else {
      const std::uint32_t before = prev_[old];
      next_[now] = after;
      prev_[now] = before;
      next_[before] = now;
      prev_[after] = now;
    }
    if (hand_hot_ == old) hand_hot_ = now;
    if (hand_cold_ == old) hand_cold_ = now;
    if (hand_test_ == old) hand_test_ = now;
  }

  // First member: the Params are checked before anything is computed from them.
  [[no_unique_address]] detail::ParamsChecked params_checked_;
  std::uint32_t m_;
  std::uint8_t* referenced_;
  FrameNames page_key_;
  std::uint32_t cold_target_;  // m_c
  std::uint32_t hot_count_ = 0;
  std::uint32_t cold_count_ = 0;  // resident cold pages
  std::uint32_t nonresident_count_ = 0;
  std::vector<std::uint8_t> hot_;   // per frame
  std::vector<std::uint8_t> test_;  // per frame: a resident cold page in its test period
  // The clock: nodes 0..m-1 are frames, m.. are non-resident cold pages (slot = node - m).
  std::vector<std::uint32_t> next_;
  std::vector<std::uint32_t> prev_;
  std::vector<std::uint64_t> ghost_key_;
  std::vector<std::uint32_t> free_slots_;
  detail::PageMap<std::uint32_t> index_;  // non-resident key -> node
  std::uint32_t hand_hot_ = kNil;
  std::uint32_t hand_cold_ = kNil;
  std::uint32_t hand_test_ = kNil;
};

}  // namespace vmsim
