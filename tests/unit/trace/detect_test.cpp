// Format detection from the first lines, and Auto reading end to end.
#include <gtest/gtest.h>

#include "unit/trace/trace_test_util.hpp"

namespace vmsim {
namespace {

using test::acc;
using test::parse;

TEST(DetectTraceFormat, EachFormat) {
  EXPECT_EQ(detect_trace_format("R 0x10\nW 0x20 8\n"), TraceFormat::Text);
  EXPECT_EQ(detect_trace_format("3 r 16\n"), TraceFormat::Text);
  EXPECT_EQ(detect_trace_format("@fork 1 2\n"), TraceFormat::Text);
  EXPECT_EQ(detect_trace_format("I  04000c50,3\n S 1ffefffd78,8\n"), TraceFormat::Lackey);
  EXPECT_EQ(detect_trace_format(" M 0421b7c0,4"), TraceFormat::Lackey);
  EXPECT_EQ(detect_trace_format("7 0 1 2 0 3\n"), TraceFormat::Refs);
  EXPECT_EQ(detect_trace_format("1,2w,3*\n0x10 # pages\n"), TraceFormat::Refs);
}

TEST(DetectTraceFormat, SkipsBannerCommentsAndBlankLines) {
  EXPECT_EQ(detect_trace_format("==1== Lackey\n\n# x\nI  10,4\n"), TraceFormat::Lackey);
  EXPECT_EQ(detect_trace_format("# pages\n\n   \n1 2 3\n"), TraceFormat::Refs);
  EXPECT_EQ(detect_trace_format("# R 0x10 would be text, but it is a comment\n4 5\n"),
            TraceFormat::Refs);
}

TEST(DetectTraceFormat, NothingDecidesMeansText) {
  EXPECT_EQ(detect_trace_format(""), TraceFormat::Text);
  EXPECT_EQ(detect_trace_format("# only a comment\n"), TraceFormat::Text);
  EXPECT_EQ(detect_trace_format("hello world\n"), TraceFormat::Text);
  EXPECT_EQ(detect_trace_format("==1== banner only\n"), TraceFormat::Text);
}

TEST(DetectTraceFormat, MajorityOfTheFirstLinesWins) {
  // One garbage line among lackey lines does not make it text.
  EXPECT_EQ(detect_trace_format("garbage\nI  10,4\n L 20,8\n"), TraceFormat::Lackey);
  // A text trace whose first record is bad is still text.
  EXPECT_EQ(detect_trace_format("5\nR 1\nW 2\n"), TraceFormat::Text);
}

TEST(DetectTraceFormat, OnlyTheFirstFiftySignificantLinesCount) {
  std::string head;
  for (int i = 0; i < 50; ++i) head += "# comment\nR " + std::to_string(i) + "\n";
  for (int i = 0; i < 200; ++i) head += "I  10,4\n";
  EXPECT_EQ(detect_trace_format(head), TraceFormat::Text);
}

TEST(AutoFormat, ReadsEachFormat) {
  EXPECT_EQ(parse("R 0x10\n", TraceFormat::Auto), (std::vector<Access>{acc(Op::Read, 0x10)}));
  EXPECT_EQ(parse("==9== hi\n M 10,2\n", TraceFormat::Auto),
            (std::vector<Access>{acc(Op::Read, 0x10, 2), acc(Op::Write, 0x10, 2)}));
  EXPECT_EQ(parse("1 2w\n", TraceFormat::Auto),
            (std::vector<Access>{acc(Op::Read, 4096), acc(Op::Write, 8192)}));
  EXPECT_TRUE(parse("", TraceFormat::Auto).empty());
}

TEST(AutoFormat, DetectionWorksWithTinyChunks) {
  EXPECT_EQ(parse("I  10,4\n L 20,8\n", TraceFormat::Auto, 4096, 1),
            (std::vector<Access>{acc(Op::Fetch, 0x10, 4), acc(Op::Read, 0x20, 8)}));
}

TEST(AutoFormat, InputOfNoFormatSaysSoInsteadOfATextError) {
  // Not one line fits any format: saying "unknown operation" would pretend it is a text trace.
  EXPECT_EQ(
      test::parse_error("hello world\n", TraceFormat::Auto)
          .rfind("t.trace:1: trace format not recognised: it looks like text in none of the trace "
                 "formats (first line 'hello world')",
                 0),
      0U);
  // Named explicitly, the text reader says precisely what is wrong with the line.
  EXPECT_EQ(test::parse_error("hello world\n", TraceFormat::Text),
            "t.trace:1: unknown operation 'hello' (expected R, W or X)");
  // One good line decides: the reader then reports the bad one with its line.
  EXPECT_EQ(test::parse_error("R 0x10\nhello world\n", TraceFormat::Auto),
            "t.trace:2: unknown operation 'hello' (expected R, W or X)");
}

}  // namespace
}  // namespace vmsim
