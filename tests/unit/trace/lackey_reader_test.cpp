// valgrind lackey output: the four record kinds, M expansion across batches, banner lines, errors.
#include <gtest/gtest.h>

#include "unit/trace/trace_test_util.hpp"

namespace vmsim {
namespace {

using test::acc;
using test::parse;
using test::parse_error;

constexpr TraceFormat kLackey = TraceFormat::Lackey;

// A shortened real run: banner, then records exactly as lackey prints them.
const std::string kSample =
    "==12345== Lackey, an example Valgrind tool\n"
    "==12345== Copyright (C) 2002-2017, and GNU GPL'd, by Nicholas Nethercote.\n"
    "==12345== Command: ./a.out\n"
    "==12345== \n"
    "I  04000c50,3\n"
    " S 1ffefffd78,8\n"
    "I  04000c53,5\n"
    " L 1ffefffd70,8\n"
    " M 0421b7c0,4\n"
    "I  04000c58,2\n"
    "==12345== \n"
    "==12345== Counted 1 call to main()\n";

const std::vector<Access> kSampleAccesses{
    acc(Op::Fetch, 0x04000c50, 3),  acc(Op::Write, 0x1ffefffd78, 8), acc(Op::Fetch, 0x04000c53, 5),
    acc(Op::Read, 0x1ffefffd70, 8), acc(Op::Read, 0x0421b7c0, 4),    acc(Op::Write, 0x0421b7c0, 4),
    acc(Op::Fetch, 0x04000c58, 2),
};

TEST(LackeyReader, SampleWithBannerAndModify) {
  EXPECT_EQ(parse(kSample, kLackey), kSampleAccesses);
}

// A batch of 1 must split the M record's load and store over two read() calls; 3 puts the split at
// the batch edge too (records 5 and 6 are the M pair, the second batch ends after record 6).
TEST(LackeyReader, ModifySplitAcrossBatches) {
  for (const std::size_t batch : {1, 2, 3, 4, 5, 4096}) {
    EXPECT_EQ(parse(kSample, kLackey, batch), kSampleAccesses) << "batch " << batch;
  }
}

TEST(LackeyReader, ModifyAsLastRecordWithBatchOfOne) {
  EXPECT_EQ(parse(" M ff,1", kLackey, 1),
            (std::vector<Access>{acc(Op::Read, 0xff), acc(Op::Write, 0xff)}));
}

TEST(LackeyReader, TinyChunksAndCrlf) {
  std::string crlf;
  for (const char c : kSample) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  for (const std::size_t chunk : {1, 3, 16}) {
    EXPECT_EQ(parse(crlf, kLackey, 4096, chunk), kSampleAccesses) << "chunk " << chunk;
  }
}

TEST(LackeyReader, BlankLinesAndNoFinalNewline) {
  EXPECT_EQ(parse("\n  \nI  10,4\n\n L 20,8", kLackey),
            (std::vector<Access>{acc(Op::Fetch, 0x10, 4), acc(Op::Read, 0x20, 8)}));
  EXPECT_TRUE(parse("", kLackey).empty());
  EXPECT_TRUE(parse("==1== only a banner\n", kLackey).empty());
}

TEST(LackeyReader, UppercaseHexAndLargeAddresses) {
  EXPECT_EQ(parse(" S FFFFFFFFFFFFFFF0,16\n", kLackey),
            (std::vector<Access>{acc(Op::Write, 0xfffffffffffffff0ULL, 16)}));
}

TEST(LackeyReader, ErrorMessages) {
  EXPECT_EQ(parse_error("I  10,4\n Q 10,4\n", kLackey),
            "t.trace:2: unknown lackey record 'Q' (expected I, L, S or M)");
  EXPECT_EQ(parse_error("R 0x10\n", kLackey),
            "t.trace:1: unknown lackey record 'R' (expected I, L, S or M)");
  EXPECT_EQ(parse_error("# comment\n", kLackey),
            "t.trace:1: unknown lackey record '#' (expected I, L, S or M)");
  EXPECT_EQ(parse_error("I10,4\n", kLackey),
            "t.trace:1: bad lackey line 'I10,4' (expected 'I  ADDR,SIZE' or ' L ADDR,SIZE')");
  EXPECT_EQ(parse_error(" L 10\n", kLackey), "t.trace:1: missing ',SIZE' in lackey line ' L 10'");
  EXPECT_EQ(parse_error(" L 0x10,4\n", kLackey), "t.trace:1: bad address '0x10'");
  EXPECT_EQ(parse_error(" L ,4\n", kLackey), "t.trace:1: bad address ''");
  EXPECT_EQ(parse_error(" L 10000000000000000,4\n", kLackey),
            "t.trace:1: address '10000000000000000' does not fit in 64 bits");
  EXPECT_EQ(parse_error(" L 10,\n", kLackey), "t.trace:1: bad size ''");
  EXPECT_EQ(parse_error(" L 10,x\n", kLackey), "t.trace:1: bad size 'x'");
  EXPECT_EQ(parse_error(" L 10,0\n", kLackey), "t.trace:1: size 0 out of range 1..1048576");
  EXPECT_EQ(parse_error(" L 10,2000000\n", kLackey),
            "t.trace:1: size 2000000 out of range 1..1048576");
  EXPECT_EQ(parse_error(" L 10,4 extra\n", kLackey), "t.trace:1: extra field 'extra'");
  EXPECT_EQ(parse_error(" S ffffffffffffffff,2\n", kLackey),
            "t.trace:1: 2 bytes at ffffffffffffffff run past the end of the 64-bit address "
            "space");
}

}  // namespace
}  // namespace vmsim
