// The example traces shipped in examples/traces/ read as documented.
#include <gtest/gtest.h>

#include <array>

#include "unit/trace/trace_test_util.hpp"

namespace vmsim {
namespace {

using test::acc;

std::vector<Access> read_example(const std::string& name) {
  TraceSpec spec;
  spec.path = std::string(VMSIM_SOURCE_DIR) + "/examples/traces/" + name;
  return test::read_all(*open_trace(spec));
}

TEST(ExampleTraces, TextbookRefs) {
  std::vector<Access> expected;
  for (const std::uint64_t page : {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1}) {
    expected.push_back(acc(Op::Read, page * 4096));
  }
  EXPECT_EQ(read_example("textbook.refs"), expected);
}

TEST(ExampleTraces, SmallTextTrace) {
  const std::vector<Access> expected{
      acc(Op::Fetch, 0x400000, 4, 1),
      acc(Op::Fetch, 0x400004, 4, 1),
      acc(Op::Write, 0x7ffc0000fff8, 8, 1),
      acc(Op::Read, 0x601040, 4, 1),
      acc(Op::Read, 0x7ffc0000fff8, 8, 1),
      acc(Op::Write, 0x600ff8, 16, 1),
      acc(Op::Mmap, 0x7f0000000000, 0x4000, 1, prot_bits(kProtRead | kProtWrite)),
      acc(Op::Write, 0x7f0000000000, 64, 1),
      acc(Op::Fork, 2, 1, 1),
      acc(Op::Read, 0x7f0000000000, 8, 2),
      acc(Op::Write, 0x7f0000001000, 8, 2),
      acc(Op::Exit, 0, 1, 2),
      acc(Op::Munmap, 0x7f0000000000, 0x4000, 1),
      acc(Op::Read, 4096),
      acc(Op::Write, 0x2000),
  };
  EXPECT_EQ(read_example("small.trace"), expected);
}

// Counts of each lackey record kind, taken with awk over the decompressed files (`zstd -dc FILE |
// awk
// '/^I /{i++} /^ L /{l++} /^ S /{s++} /^ M /{m++} ...'`); an M record is one read and one write.
// Re-count after scripts/record-examples.sh re-records the traces.
struct LackeyCounts {
  const char* file;
  std::size_t fetches, loads, stores, modifies;
};

TEST(ExampleTraces, RecordedLackeyTraces) {
  constexpr std::array<LackeyCounts, 3> kCounts{{
      {"matmul-naive.lackey.zst", 962311, 240501, 8988, 37},
      {"matmul-blocked.lackey.zst", 1189769, 387596, 157036, 85},
      {"listwalk.lackey.zst", 105795, 23756, 6983, 34},
  }};
  for (const LackeyCounts& c : kCounts) {
    std::array<std::size_t, 3> ops{};
    const std::vector<Access> records = read_example(c.file);
    for (const Access& a : records) {
      ASSERT_LE(a.op, Op::Fetch) << c.file;
      ASSERT_EQ(a.pid, 0) << c.file;
      ++ops[static_cast<std::size_t>(a.op)];
    }
    EXPECT_EQ(ops[static_cast<std::size_t>(Op::Fetch)], c.fetches) << c.file;
    EXPECT_EQ(ops[static_cast<std::size_t>(Op::Read)], c.loads + c.modifies) << c.file;
    EXPECT_EQ(ops[static_cast<std::size_t>(Op::Write)], c.stores + c.modifies) << c.file;
  }
}

}  // namespace
}  // namespace vmsim
