// The memory sizes a curve is listed at: log spacing worked out by hand, and no overflow near 2^64.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "mrc/curve.hpp"

namespace vmsim::test {
namespace {

using Sizes = std::vector<std::uint64_t>;

TEST(MrcSizes, LogSpacedByHand) {
  // 1000 in 4 points: 1000^(i/3) = 1, 10, 100, 1000.
  EXPECT_EQ(mrc::log_spaced_sizes(1000, 4), (Sizes{1, 10, 100, 1000}));
  // More points than sizes: duplicates dropped, both ends kept.
  EXPECT_EQ(mrc::log_spaced_sizes(3, 50).front(), 1U);
  EXPECT_EQ(mrc::log_spaced_sizes(3, 50).back(), 3U);
  EXPECT_EQ(mrc::log_spaced_sizes(7, 1), (Sizes{7}));
  EXPECT_TRUE(mrc::log_spaced_sizes(0, 5).empty());
  EXPECT_EQ(mrc::every_size(3), (Sizes{1, 2, 3}));
}

// 2^64 - 1 in 5 points: (2^64)^(i/4) = 2^(16 i) up to rounding, the last one the largest itself.
TEST(MrcSizes, NearTwoToTheSixtyFour) {
  const std::uint64_t top = ~std::uint64_t{0};
  const Sizes sizes = mrc::log_spaced_sizes(top, 5);
  ASSERT_EQ(sizes.size(), 5U);
  for (int i = 0; i < 4; ++i) {
    const double expected = std::ldexp(1.0, 16 * i);
    EXPECT_NEAR(static_cast<double>(sizes[i]), expected, expected * 1e-13) << i;
  }
  EXPECT_EQ(sizes[4], top);
  // A curve is flat past its end, even at 2^64 - 1 frames.
  mrc::MissRatioCurve c;
  c.faults_at = {5, 4, 3};
  c.page_refs = 5;
  EXPECT_EQ(c.faults(top), 3);
  EXPECT_EQ(c.faults(top - 1), 3);
  c.bucket_frames = 2;
  EXPECT_EQ(c.faults(top), 3);
  EXPECT_EQ(c.faults(1), 4.5);
  EXPECT_EQ(mrc::whole_pages(1e30), top);
  EXPECT_EQ(mrc::whole_pages(-1), 0U);
  EXPECT_EQ(mrc::whole_pages(2.5e9), 2'500'000'000U);
}

}  // namespace
}  // namespace vmsim::test
