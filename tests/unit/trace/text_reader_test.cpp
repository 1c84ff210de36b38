// The text format: records, defaults, events, comments, batching and every error message.
#include <gtest/gtest.h>

#include "unit/trace/trace_test_util.hpp"

namespace vmsim {
namespace {

using test::acc;
using test::parse;
using test::parse_error;

constexpr TraceFormat kText = TraceFormat::Text;

TEST(TextReader, RecordsWithAndWithoutPidAndSize) {
  const std::string text =
      "R 0x1000\n"
      "W 4096 8\n"
      "X 0x400000 0x10\n"
      "7 R 0x2000 4\n"
      "65535 w 16\n"
      "0 x 0X1F\n"
      "r 0xabcDEF 1048576\n";
  const std::vector<Access> expected{
      acc(Op::Read, 0x1000),
      acc(Op::Write, 4096, 8),
      acc(Op::Fetch, 0x400000, 16),
      acc(Op::Read, 0x2000, 4, 7),
      acc(Op::Write, 16, 1, 65535),
      acc(Op::Fetch, 31),
      acc(Op::Read, 0xabcdef, 1048576),
  };
  EXPECT_EQ(parse(text, kText), expected);
}

TEST(TextReader, CommentsBlankLinesAndWhitespace) {
  const std::string text =
      "# a whole-line comment\n"
      "\n"
      "   \t \n"
      "  R   0x10\t 2   # trailing comment\n"
      "W 0x20#no space before the comment\n"
      "#\n";
  const std::vector<Access> expected{acc(Op::Read, 0x10, 2), acc(Op::Write, 0x20)};
  EXPECT_EQ(parse(text, kText), expected);
}

TEST(TextReader, CrlfAndMissingFinalNewline) {
  EXPECT_EQ(parse("R 1\r\nW 2 3\r\n", kText),
            (std::vector<Access>{acc(Op::Read, 1), acc(Op::Write, 2, 3)}));
  EXPECT_EQ(parse("R 1\nW 2", kText), (std::vector<Access>{acc(Op::Read, 1), acc(Op::Write, 2)}));
  EXPECT_EQ(parse("R 1\r\nW 2\r", kText),
            (std::vector<Access>{acc(Op::Read, 1), acc(Op::Write, 2)}));
}

TEST(TextReader, EmptyAndCommentOnlyInputsAreEmptyTraces) {
  EXPECT_TRUE(parse("", kText).empty());
  EXPECT_TRUE(parse("# nothing here\n\n", kText).empty());
  EXPECT_TRUE(parse("\n", kText).empty());
}

TEST(TextReader, Events) {
  const std::string text =
      "@fork 1 2\n"
      "@mmap 2 0x7f0000000000 8192 rw-\n"
      "@mmap 2 0x10000 4096\n"
      "@munmap 2 0x7f0000000000 0x2000\n"
      "@mprotect 2 0x10000 4096 r-x\n"
      "@brk 2 0x602000\n"
      "@brk 2 6299648\n"
      "@exec 2\n"
      "@exit 2\n";
  // An @mmap without a protection maps read-write (PROT_READ | PROT_WRITE = 3).
  const std::vector<Access> expected{
      acc(Op::Fork, 2, 1, 1),
      acc(Op::Mmap, 0x7f0000000000, 8192, 2, 3),
      acc(Op::Mmap, 0x10000, 4096, 2, 3),
      acc(Op::Munmap, 0x7f0000000000, 8192, 2),
      acc(Op::Mprotect, 0x10000, 4096, 2, 5),  // PROT_READ | PROT_EXEC
      acc(Op::Brk, 0x602000, 1, 2),            // the new break in addr
      acc(Op::Brk, 0x602000, 1, 2),            // 6299648 = 0x602000
      acc(Op::Exec, 0, 1, 2),
      acc(Op::Exit, 0, 1, 2),
  };
  EXPECT_EQ(parse(text, kText), expected);
}

TEST(TextReader, ProtectionsAsLinuxNumbersThem) {
  // PROT_READ 1, PROT_WRITE 2, PROT_EXEC 4 (mman-common.h).
  const std::vector<std::pair<const char*, int>> cases{
      {"---", 0}, {"r--", 1}, {"-w-", 2}, {"--x", 4}, {"rw-", 3}, {"r-x", 5}, {"rwx", 7}};
  for (const auto& [text, bits] : cases) {
    const std::vector<Access> got =
        parse(std::string("@mmap 1 0x1000 4096 ") + text + "\n@mprotect 1 0x1000 4096 " + text +
                  "\n1 R 0x1000\n",
              kText);
    ASSERT_EQ(got.size(), 3U);
    EXPECT_EQ(prot_bits(got[0].prot), bits) << text;
    EXPECT_EQ(prot_bits(got[1].prot), bits) << text;
    EXPECT_EQ(got[2].prot, kProtNone) << "a reference after an event carries no protection";
  }
}

TEST(TextReader, EveryProtectionStringIsAccepted) {
  for (const char* prot : {"rwx", "---", "r--", "-w-", "--x", "r-x", "rw-"}) {
    EXPECT_EQ(parse_error(std::string("@mmap 1 0 4096 ") + prot + "\n", kText), "") << prot;
  }
}

// 10 records read through batches of 1, 3 and 4096 must come out identical and complete.
TEST(TextReader, BatchSizesDoNotChangeTheRecords) {
  std::string text;
  std::vector<Access> expected;
  for (std::uint32_t i = 0; i < 10; ++i) {
    text += (i % 2 == 0 ? "R " : "# skipped\nW ") + std::to_string(i * 100) + "\n";
    expected.push_back(acc(i % 2 == 0 ? Op::Read : Op::Write, i * 100));
  }
  for (const std::size_t batch : {1, 3, 4096}) {
    EXPECT_EQ(parse(text, kText, batch), expected) << "batch " << batch;
  }
}

// With a 5-byte chunk nearly every line starts in one chunk and ends in another.
TEST(TextReader, LinesSpanningTinyChunks) {
  const std::string text = "R 0x123456789\n17 W 99 8 # comment\n\nX 1";
  const std::vector<Access> expected{acc(Op::Read, 0x123456789), acc(Op::Write, 99, 8, 17),
                                     acc(Op::Fetch, 1)};
  for (const std::size_t chunk : {1, 2, 5, 7, 64}) {
    EXPECT_EQ(parse(text, kText, 2, chunk), expected) << "chunk " << chunk;
  }
}

TEST(TextReader, LargestAddressThatFits) {
  EXPECT_EQ(parse("R 0xffffffffffffffff\n", kText),
            (std::vector<Access>{acc(Op::Read, 0xffffffffffffffffULL)}));
  EXPECT_EQ(parse("R 0xfffffffffffffff8 8\n", kText),
            (std::vector<Access>{acc(Op::Read, 0xfffffffffffffff8ULL, 8)}));
  EXPECT_EQ(parse("R 18446744073709551615\n", kText),
            (std::vector<Access>{acc(Op::Read, 0xffffffffffffffffULL)}));
}

TEST(TextReader, ErrorMessagesNameFileAndLine) {
  EXPECT_EQ(parse_error("R 1\nQ 0x10\n", kText),
            "t.trace:2: unknown operation 'Q' (expected R, W or X)");
  EXPECT_EQ(parse_error("RW 0x10\n", kText),
            "t.trace:1: unknown operation 'RW' (expected R, W or X)");
  EXPECT_EQ(parse_error("# c\n\nR 0xZZ\n", kText), "t.trace:3: bad address '0xZZ'");
  EXPECT_EQ(parse_error("R 0x\n", kText), "t.trace:1: bad address '0x'");
  EXPECT_EQ(parse_error("R 12ab\n", kText), "t.trace:1: bad address '12ab'");
  EXPECT_EQ(parse_error("R -5\n", kText), "t.trace:1: bad address '-5'");
  EXPECT_EQ(parse_error("R 0x10000000000000000\n", kText),
            "t.trace:1: address '0x10000000000000000' does not fit in 64 bits");
  EXPECT_EQ(parse_error("R 18446744073709551616\n", kText),
            "t.trace:1: address '18446744073709551616' does not fit in 64 bits");
  EXPECT_EQ(parse_error("R\n", kText), "t.trace:1: missing address");
  EXPECT_EQ(parse_error("R # only a comment\n", kText), "t.trace:1: missing address");
  EXPECT_EQ(parse_error("3\n", kText), "t.trace:1: missing operation");
  EXPECT_EQ(parse_error("W 0x10 0\n", kText), "t.trace:1: size 0 out of range 1..1048576");
  EXPECT_EQ(parse_error("W 0x10 1048577\n", kText),
            "t.trace:1: size 1048577 out of range 1..1048576");
  EXPECT_EQ(parse_error("W 0x10 0x0\n", kText), "t.trace:1: size 0x0 out of range 1..1048576");
  EXPECT_EQ(parse_error("W 0x10 99999999999999999999\n", kText),
            "t.trace:1: size 99999999999999999999 out of range 1..1048576");
  EXPECT_EQ(parse_error("W 0x10 8b\n", kText), "t.trace:1: bad size '8b'");
  EXPECT_EQ(parse_error("70000 R 0x10\n", kText), "t.trace:1: pid 70000 out of range 0..65535");
  EXPECT_EQ(parse_error("65536 R 0x10\n", kText), "t.trace:1: pid 65536 out of range 0..65535");
  EXPECT_EQ(parse_error("1x R 0x10\n", kText),
            "t.trace:1: bad pid '1x' (expected decimal 0..65535)");
  EXPECT_EQ(parse_error("0x10 R 0x10\n", kText),
            "t.trace:1: bad pid '0x10' (expected decimal 0..65535)");
  EXPECT_EQ(parse_error("R 0x10 4 foo\n", kText), "t.trace:1: extra field 'foo'");
  EXPECT_EQ(parse_error("R 0xffffffffffffffff 2\n", kText),
            "t.trace:1: 2 bytes at 0xffffffffffffffff run past the end of the 64-bit address "
            "space");
}

TEST(TextReader, EventErrorMessages) {
  EXPECT_EQ(parse_error("@foo 1\n", kText),
            "t.trace:1: unknown event '@foo' (known: @fork, @exit, @exec, @mmap, @munmap, "
            "@mprotect, @brk)");
  EXPECT_EQ(
      parse_error("@ 1\n", kText),
      "t.trace:1: unknown event '@' (known: @fork, @exit, @exec, @mmap, @munmap, @mprotect, @brk)");
  EXPECT_EQ(parse_error("@mprotect 1 0x1000 4096\n", kText), "t.trace:1: missing protection");
  EXPECT_EQ(parse_error("@mprotect 1 0x1000 4096 rwz\n", kText),
            "t.trace:1: bad protection 'rwz' (expected 3 characters: r or -, w or -, x or -, such "
            "as rw- or r-x)");
  EXPECT_EQ(parse_error("@mprotect 1 0x1000\n", kText), "t.trace:1: missing length");
  EXPECT_EQ(parse_error("@munmap 1 0x1000 4096 rw-\n", kText), "t.trace:1: extra field 'rw-'");
  EXPECT_EQ(parse_error("@fork\n", kText), "t.trace:1: missing parent pid");
  EXPECT_EQ(parse_error("@fork 1\n", kText), "t.trace:1: missing child pid");
  EXPECT_EQ(parse_error("@fork 1 70000\n", kText),
            "t.trace:1: child pid 70000 out of range 0..65535");
  EXPECT_EQ(parse_error("@fork x 2\n", kText),
            "t.trace:1: bad parent pid 'x' (expected decimal 0..65535)");
  EXPECT_EQ(parse_error("@fork 1 2 3\n", kText), "t.trace:1: extra field '3'");
  EXPECT_EQ(parse_error("@exit\n", kText), "t.trace:1: missing pid");
  EXPECT_EQ(parse_error("@exit 1 2\n", kText), "t.trace:1: extra field '2'");
  EXPECT_EQ(parse_error("@mmap 1\n", kText), "t.trace:1: missing address");
  EXPECT_EQ(parse_error("@mmap 1 0x1000\n", kText), "t.trace:1: missing length");
  EXPECT_EQ(parse_error("@mmap 1 0x1000 0\n", kText),
            "t.trace:1: length 0 out of range 1..4294967295");
  EXPECT_EQ(parse_error("@mmap 1 0x1000 4294967296\n", kText),
            "t.trace:1: length 4294967296 out of range 1..4294967295");
  EXPECT_EQ(parse_error("@mmap 1 0x1000 4k\n", kText), "t.trace:1: bad length '4k'");
  EXPECT_EQ(parse_error("@mmap 1 0x1000 4096 rwz\n", kText),
            "t.trace:1: bad protection 'rwz' (expected 3 characters: r or -, w or -, x or -, "
            "such as rw- or r-x)");
  EXPECT_EQ(parse_error("@mmap 1 0x1000 4096 wr-\n", kText),
            "t.trace:1: bad protection 'wr-' (expected 3 characters: r or -, w or -, x or -, "
            "such as rw- or r-x)");
  EXPECT_EQ(parse_error("@mmap 1 0x1000 4096 rw- x\n", kText), "t.trace:1: extra field 'x'");
  EXPECT_EQ(parse_error("@munmap 1 0x1000 4096 rw-\n", kText), "t.trace:1: extra field 'rw-'");
  EXPECT_EQ(parse_error("@munmap 1 0xfffffffffffff000 0x2000\n", kText),
            "t.trace:1: 8192 bytes at 0xfffffffffffff000 run past the end of the 64-bit "
            "address space");
  EXPECT_EQ(parse_error("@brk 1\n", kText), "t.trace:1: missing new break");
  EXPECT_EQ(parse_error("@brk\n", kText), "t.trace:1: missing pid");
  EXPECT_EQ(parse_error("@brk 1 0x1000 4096\n", kText), "t.trace:1: extra field '4096'");
  EXPECT_EQ(parse_error("@brk 1 0x1000x\n", kText), "t.trace:1: bad address '0x1000x'");
  EXPECT_EQ(parse_error("@exec\n", kText), "t.trace:1: missing pid");
  EXPECT_EQ(parse_error("@exec 1 0x1000\n", kText), "t.trace:1: extra field '0x1000'");
}

// The line number counts every line, including blank, comment and CRLF ones, up to the bad one.
TEST(TextReader, LineNumbersCountAllLines) {
  EXPECT_EQ(parse_error("\r\n# c\r\nR 1\r\n\r\nR zz\r\n", kText), "t.trace:5: bad address 'zz'");
  EXPECT_EQ(parse_error("R 1\nR 2\nR 3", kText), "");
  EXPECT_EQ(parse_error("R 1\nR 2\nR q", kText), "t.trace:3: bad address 'q'");
}

TEST(TextReader, ErrorsAfterEarlierBatchesStillCarryTheLine) {
  auto reader = make_reader_from_memory("R 1\nR 2\nR 3\nbad\n", kText, "t.trace", 4096, 3);
  std::vector<Access> batch(2);
  EXPECT_EQ(reader->read(batch), 2U);
  EXPECT_THROW(
      {
        try {
          reader->read(batch);
        } catch (const InputError& e) {
          EXPECT_EQ(e.file(), "t.trace");
          EXPECT_EQ(e.line(), 4U);
          throw;
        }
      },
      InputError);
}

TEST(TextReader, QuotedFieldsAreShortenedAndEscaped) {
  EXPECT_EQ(parse_error("R \x01\x7f\n", kText), "t.trace:1: bad address '\\x01\\x7f'");
  EXPECT_EQ(parse_error("R " + std::string(50, 'z') + "\n", kText),
            "t.trace:1: bad address '" + std::string(40, 'z') + "...'");
}

TEST(TextReader, OverlongLineIsAnError) {
  const std::string text = "R 1\n# " + std::string(std::size_t{1} << 21, 'c') + "\nR 2\n";
  EXPECT_EQ(parse_error(text, kText), "t.trace:2: line longer than 1048576 bytes");
}

}  // namespace
}  // namespace vmsim
