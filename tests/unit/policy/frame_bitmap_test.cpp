// The two-level frame bitmap against std::set, across word and summary-word boundaries.
#include <gtest/gtest.h>

#include <set>

#include "core/rng.hpp"
#include "policy/page/detail/frame_bitmap.hpp"

namespace vmsim::detail {
namespace {

TEST(FrameBitmap, NextMemberAgreesWithASet) {
  for (const std::uint32_t frames : {1U, 63U, 64U, 65U, 4096U, 4097U, 10000U}) {
    FrameBitmap bitmap(frames);
    std::set<FrameId> set;
    Rng rng(frames);
    for (int step = 0; step < 20000; ++step) {
      const auto f = static_cast<FrameId>(rng.below(frames));
      // Mostly sparse, so that searches cross empty words and empty summary words.
      if (rng.below(3) == 0) {
        bitmap.insert(f);
        set.insert(f);
      } else {
        bitmap.erase(f);
        set.erase(f);
      }
      ASSERT_EQ(bitmap.size(), set.size());
      ASSERT_EQ(bitmap.contains(f), set.count(f) == 1);
      const auto from = static_cast<FrameId>(rng.below(frames + 1));
      const auto it = set.lower_bound(from);
      ASSERT_EQ(bitmap.next_at_or_after(from), it == set.end() ? FrameBitmap::kNone : *it)
          << frames << " frames, from " << from;
    }
  }
}

}  // namespace
}  // namespace vmsim::detail
