// DenseTrace::decode numbers pages in order of first reference whatever way it stores the key ->
// id map: chunk arrays for dense runs, a hash map for scattered pages, and chunks that move from
// the one to the other part-way through a trace.
#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "core/rng.hpp"
#include "sim/dense_trace.hpp"

namespace vmsim::test {
namespace {

// Ids as a plain map gives them: the order of first reference per (pid, page).
std::vector<std::uint32_t> naive_ids(const std::vector<Access>& records) {
  std::map<std::pair<std::uint16_t, std::uint64_t>, std::uint32_t> ids;
  std::vector<std::uint32_t> out;
  for (const Access& a : records) {
    const auto [it, fresh] =
        ids.try_emplace({a.pid, a.addr >> 12}, static_cast<std::uint32_t>(ids.size()));
    out.push_back(it->second);
  }
  return out;
}

TEST(DenseDecode, FirstReferenceOrderAcrossChunkArraysAndTheSparseMap) {
  Rng rng(9);
  std::vector<Access> records;
  const auto touch = [&](std::uint16_t pid, std::uint64_t page) {
    records.push_back(Access{page << 12, 1, pid, rng.below(4) == 0 ? Op::Write : Op::Read});
  };
  // 400 pages 2 MiB apart: more chunks than the starting allowance, so most go to the sparse map.
  for (std::uint64_t c = 0; c < 400; ++c) touch(1, c << 9);
  // Then up to 20 more pages in each of those chunks, interleaved, which makes them ripe, and a
  // dense run of 200,000 pages in another pid, which grows the allowance so they get arrays.
  for (int round = 0; round < 20; ++round) {
    for (std::uint64_t c = 0; c < 400; ++c) touch(1, (c << 9) | (1 + rng.below(511)));
    for (std::uint64_t p = 0; p < 10'000; ++p) touch(2, 0x40000 + round * 10'000 + p);
  }
  // Revisit everything in a random order.
  for (int i = 0; i < 100'000; ++i) records.push_back(records[rng.below(records.size())]);

  VectorReader reader(records);
  const DenseTrace trace = DenseTrace::decode(reader, 12);
  const std::vector<std::uint32_t> expected = naive_ids(records);
  ASSERT_EQ(trace.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(trace.id(i), expected[i]) << "reference " << i;
    ASSERT_EQ(trace.is_write(i), records[i].op == Op::Write) << "reference " << i;
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const std::uint64_t key = trace.key(trace.id(i));
    ASSERT_EQ(key, (std::uint64_t{records[i].pid} << 48) | (records[i].addr >> 12));
  }
  EXPECT_EQ(trace.processes(), 2U);
  EXPECT_EQ(trace.reads() + trace.writes() + trace.fetches(), trace.accesses());
}

}  // namespace
}  // namespace vmsim::test
