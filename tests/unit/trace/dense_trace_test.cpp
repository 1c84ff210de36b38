// Dense decoding: ids in order of first reference, per process, with page crossings and writes.
#include <gtest/gtest.h>

#include "policy/page/policy.hpp"
#include "trace/dense_trace.hpp"

namespace vmsim {
namespace {

TEST(DenseTrace, IdsInOrderOfFirstReference) {
  VectorReader reader({Access{0x5000, 1, 0, Op::Read}, Access{0x1000, 4, 0, Op::Write},
                       Access{0x5004, 1, 0, Op::Read},
                       Access{0x5000, 1, 7, Op::Read},   // another pid
                       Access{0x1ffe, 4, 0, Op::Fetch},  // pages 1 and 2
                       Access{9, 1, 0, Op::Fork}});
  const DenseTrace t = DenseTrace::decode(reader, 12);
  ASSERT_EQ(t.size(), 6U);
  EXPECT_EQ(t.accesses(), 5U);
  EXPECT_EQ(t.referenced_pages(), 4U);
  // The fork gives pid 9 (ASID 2) a copy of each of pid 0's 3 pages: ids 4, 5, 6.
  EXPECT_EQ(t.distinct_pages(), 7U);
  EXPECT_EQ(t.key(6), (std::uint64_t{2} << 48) | 2);
  const std::vector<std::uint32_t> ids = {t.id(0), t.id(1), t.id(2), t.id(3), t.id(4), t.id(5)};
  EXPECT_EQ(ids, (std::vector<std::uint32_t>{0, 1, 0, 2, 1, 3}));
  EXPECT_TRUE(t.is_write(1));
  EXPECT_FALSE(t.is_write(0));
  // Keys carry the ASID: pid 0 accessed first (ASID 0), pid 7 next (ASID 1).
  EXPECT_EQ(t.key(2), (std::uint64_t{1} << 48) | 5);
}

TEST(DenseTrace, NextUseByHand) {
  // pages 1 2 1 3 2: next uses 2, 4, never, never, never
  const DenseTrace t = DenseTrace::from_pages({1, 2, 1, 3, 2});
  EXPECT_EQ(t.next_use(),
            (std::vector<std::uint64_t>{2, 4, kNeverUsedAgain, kNeverUsedAgain, kNeverUsedAgain}));
}

}  // namespace
}  // namespace vmsim
