// Reference strings: separators, write suffixes, comments, page-size scaling, inline strings,
// errors.
#include <gtest/gtest.h>

#include "unit/trace/trace_test_util.hpp"

namespace vmsim {
namespace {

using test::acc;
using test::parse;
using test::parse_error;

constexpr TraceFormat kRefs = TraceFormat::Refs;

std::vector<Access> reads_of_pages(std::initializer_list<std::uint64_t> pages,
                                   std::uint64_t page_size = 4096) {
  std::vector<Access> out;
  for (const std::uint64_t page : pages) out.push_back(acc(Op::Read, page * page_size));
  return out;
}

TEST(RefsReader, TextbookString) {
  // The 20-reference string of Silberschatz's FIFO/OPT/LRU examples; page 7 is at 7 * 4096 = 28672.
  const auto got = parse("7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1\n", kRefs);
  ASSERT_EQ(got.size(), 20U);
  EXPECT_EQ(got[0], acc(Op::Read, 28672));
  EXPECT_EQ(got, reads_of_pages({7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1}));
}

TEST(RefsReader, SeparatorsSuffixesAndHex) {
  const std::string text = "1,2 ,3w\t4W,,5*\n0x10 0X1f* # comment 99\n\r\n6";
  const std::vector<Access> expected{
      acc(Op::Read, 1 * 4096),   acc(Op::Read, 2 * 4096),  acc(Op::Write, 3 * 4096),
      acc(Op::Write, 4 * 4096),  acc(Op::Write, 5 * 4096), acc(Op::Read, 16 * 4096),
      acc(Op::Write, 31 * 4096), acc(Op::Read, 6 * 4096),
  };
  EXPECT_EQ(parse(text, kRefs), expected);
}

TEST(RefsReader, CommentEndsAToken) {
  EXPECT_EQ(parse("3#x\n4", kRefs), reads_of_pages({3, 4}));
  EXPECT_EQ(parse("# only comments\n#\n", kRefs), reads_of_pages({}));
}

TEST(RefsReader, PageSizeScalesAddresses) {
  EXPECT_EQ(parse("0 1 2", kRefs, 4096, kDefaultChunkSize, 1), reads_of_pages({0, 1, 2}, 1));
  EXPECT_EQ(parse("3", kRefs, 4096, kDefaultChunkSize, 2097152),
            (std::vector<Access>{acc(Op::Read, 6291456)}));
}

TEST(RefsReader, EmptyInputIsAnEmptyTrace) {
  EXPECT_TRUE(parse("", kRefs).empty());
  EXPECT_TRUE(parse(" , \n\n", kRefs).empty());
}

// Tokens cut by every possible chunk boundary, comments spanning chunks, batches of 1 and 3.
TEST(RefsReader, TinyChunksAndBatches) {
  const std::string text = "12345w 0x1000 # a comment longer than a chunk\n 77*,8";
  const std::vector<Access> expected{acc(Op::Write, 12345ULL * 4096),
                                     acc(Op::Read, 0x1000ULL * 4096), acc(Op::Write, 77 * 4096),
                                     acc(Op::Read, 8 * 4096)};
  for (const std::size_t chunk : {1, 2, 3, 5, 8, 4096}) {
    for (const std::size_t batch : {1, 3, 4096}) {
      EXPECT_EQ(parse(text, kRefs, batch, chunk), expected) << chunk << " " << batch;
    }
  }
}

// One line of 200000 references read in 4 KiB chunks: the reader does not need the whole line.
TEST(RefsReader, HugeSingleLine) {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += std::to_string(i % 1000) + (i % 7 == 0 ? "w " : " ");
  const auto got = parse(text, kRefs, 4096, 4096);
  ASSERT_EQ(got.size(), 200000U);
  EXPECT_EQ(got[0], acc(Op::Write, 0));
  EXPECT_EQ(got[1], acc(Op::Read, 4096));
  EXPECT_EQ(got[199999], acc(Op::Read, 999ULL * 4096));   // 199999 % 7 == 4, so a read
  EXPECT_EQ(got[199997], acc(Op::Write, 997ULL * 4096));  // 199997 = 7 * 28571
}

TEST(RefsReader, ErrorMessages) {
  EXPECT_EQ(parse_error("1 2\n3 x 4\n", kRefs),
            "t.trace:2: bad page number 'x' (expected decimal or 0x hex, optionally followed by w "
            "or *)");
  EXPECT_EQ(parse_error("3ww", kRefs),
            "t.trace:1: bad page number '3ww' (expected decimal or 0x hex, optionally followed by "
            "w or *)");
  EXPECT_EQ(parse_error("w", kRefs),
            "t.trace:1: bad page number 'w' (expected decimal or 0x hex, optionally followed by w "
            "or *)");
  EXPECT_EQ(parse_error("-1", kRefs),
            "t.trace:1: bad page number '-1' (expected decimal or 0x hex, optionally followed by "
            "w or *)");
  // 2^52 pages of 4096 bytes is 2^64: one past the last address.
  EXPECT_EQ(parse_error("4503599627370496", kRefs),
            "t.trace:1: page 4503599627370496 times page size 4096 does not fit in 64 bits");
  EXPECT_EQ(parse_error("4503599627370495", kRefs), "");
  EXPECT_EQ(parse_error("\n\n99999999999999999999999w", kRefs),
            "t.trace:3: page 99999999999999999999999 times page size 4096 does not fit in 64 "
            "bits");
  EXPECT_EQ(parse_error(std::string(65, '1'), kRefs),
            "t.trace:1: bad page number '" + std::string(40, '1') + "...' (too long)");
}

TEST(RefsReader, ZeroPageSizeIsRejected) {
  EXPECT_THROW(parse("1", kRefs, 4096, kDefaultChunkSize, 0), Error);
}

TEST(RefsReader, InlineRefsUseTheRefsNameAndCountLines) {
  TraceSpec spec;
  spec.has_inline_refs = true;
  spec.inline_refs = "1 2w\n3*";
  spec.page_size = 100;
  auto reader = open_trace(spec);
  EXPECT_EQ(test::read_all(*reader, 1),
            (std::vector<Access>{acc(Op::Read, 100), acc(Op::Write, 200), acc(Op::Write, 300)}));
  EXPECT_EQ(reader->bytes_total(), 0U);

  spec.inline_refs = "1 2 q";
  try {
    test::read_all(*open_trace(spec));
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "--refs");
    EXPECT_EQ(e.line(), 1U);
  }
  spec.inline_refs = "1\n2\nbad";
  try {
    test::read_all(*open_trace(spec));
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).substr(0, 10), "--refs:3: ");
  }
}

TEST(RefsReader, EmptyInlineRefsAreAnEmptyTrace) {
  TraceSpec spec;
  spec.has_inline_refs = true;
  spec.path = "/nonexistent/ignored";
  EXPECT_TRUE(test::read_all(*open_trace(spec)).empty());
}

// Inline refs are a reference string even when the format says otherwise.
TEST(RefsReader, InlineRefsIgnoreTheFormat) {
  TraceSpec spec;
  spec.has_inline_refs = true;
  spec.inline_refs = "5";
  spec.format = TraceFormat::Text;
  EXPECT_EQ(test::read_all(*open_trace(spec)), (std::vector<Access>{acc(Op::Read, 5 * 4096)}));
}

}  // namespace
}  // namespace vmsim
