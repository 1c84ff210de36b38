// The trace writers: exact output of each text format, what each refuses, atomic replacement of the
// target, compressed text output, and the csv reader.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include "unit/trace/vmt_test_util.hpp"

namespace vmsim {
namespace {

using test::acc;
using test::read_all;
using test::TempDir;
using ::testing::HasSubstr;

TraceWriterOptions in(TraceFormat format, std::uint64_t page_size = 4096) {
  TraceWriterOptions options;
  options.format = format;
  options.page_size = page_size;
  return options;
}

std::string written(TraceFormat format, const std::vector<Access>& records,
                    std::uint64_t page_size = 4096) {
  TempDir dir;
  test::write_trace(*create_trace_writer(dir.file("out"), in(format, page_size)), records);
  return TempDir::read(dir.file("out"));
}

// The message of the Error that writing `records` throws, or "".
std::string write_error(TraceFormat format, const std::vector<Access>& records,
                        const std::string& name = "out") {
  TempDir dir;
  try {
    test::write_trace(*create_trace_writer(dir.file(name), in(format)), records);
  } catch (const Error& e) {
    std::string message = e.what();
    const std::string prefix = dir.file("");
    if (const std::size_t at = message.find(prefix); at != std::string::npos) {
      message.erase(at, prefix.size());
    }
    return message;
  }
  return "";
}

const std::vector<Access> kRefs{acc(Op::Fetch, 0x400000, 4), acc(Op::Read, 0x1ffefffd78, 8),
                                acc(Op::Write, 0x2000, 1), acc(Op::Read, 0xfff, 2)};

TEST(TextWriter, CanonicalForm) {
  EXPECT_EQ(written(TraceFormat::Text,
                    {acc(Op::Fetch, 0x400000, 4), acc(Op::Read, 0, 1, 3), acc(Op::Write, 0xabc, 16),
                     acc(Op::Fork, 4, 1, 3), acc(Op::Exit, 0, 1, 4),
                     acc(Op::Mmap, 0x7f0000000000, 8192, 3, 3), acc(Op::Munmap, 0x1000, 1, 0),
                     acc(Op::Mprotect, 0x2000, 4096, 3, 5), acc(Op::Mmap, 0x3000, 1, 3, 0)}),
            "X 0x400000 4\n3 R 0x0 1\nW 0xabc 16\n@fork 3 4\n@exit 4\n"
            "@mmap 3 0x7f0000000000 8192 rw-\n@munmap 0 0x1000 1\n"
            "@mprotect 3 0x2000 4096 r-x\n@mmap 3 0x3000 1 ---\n");
}

TEST(Writers, RefuseProtectionsWhereThereAreNone) {
  // A protection beyond rwx, or on a record that has none, is a caller's error, not output.
  for (const Access& bad : {acc(Op::Mmap, 0x1000, 4096, 1, 8), acc(Op::Read, 0x1000, 1, 0, 1),
                            acc(Op::Munmap, 0x1000, 4096, 1, 3)}) {
    for (const TraceFormat format : {TraceFormat::Text, TraceFormat::Vmt}) {
      TempDir dir;
      TraceWriterOptions options;
      options.format = format;
      auto writer = create_trace_writer(dir.file("out"), options);
      EXPECT_THROW(writer->write(std::span<const Access>(&bad, 1)), Error)
          << format_name(format) << " op " << op_name(bad.op);
    }
  }
}

TEST(LackeyWriter, ValgrindLines) {
  EXPECT_EQ(written(TraceFormat::Lackey, kRefs),
            "I  00400000,4\n L 1ffefffd78,8\n S 00002000,1\n L 00000fff,2\n");
  EXPECT_EQ(write_error(TraceFormat::Lackey, {acc(Op::Read, 1), acc(Op::Exit, 0, 1, 1)}),
            "cannot write record 2 to out: lackey cannot carry events (this is @exit); write text "
            "or vmt");
  EXPECT_EQ(write_error(TraceFormat::Lackey, {acc(Op::Read, 1, 1, 7)}),
            "cannot write record 1 to out: lackey has no pids (this record has pid 7); write text, "
            "csv or vmt");
}

TEST(RefsWriter, PageNumbersWithWriteSuffix) {
  EXPECT_EQ(written(TraceFormat::Refs, kRefs), "1024\n33550335\n2w\n0\n");
  EXPECT_EQ(written(TraceFormat::Refs, kRefs, 1), "4194304\n137422175608\n8192w\n4095\n");
  EXPECT_THAT(write_error(TraceFormat::Refs, {acc(Op::Mmap, 0, 4096, 0)}),
              HasSubstr("refs cannot carry events (this is @mmap)"));
  EXPECT_THAT(write_error(TraceFormat::Refs, {acc(Op::Read, 0, 1, 1)}), HasSubstr("no pids"));
}

TEST(CsvWriter, RowsAndRoundTrip) {
  const std::vector<Access> records{acc(Op::Read, 0x1000, 1, 0), acc(Op::Write, 0x2fff, 8, 2),
                                    acc(Op::Fetch, 0x400000, 4, 65535)};
  const std::string csv = written(TraceFormat::Csv, records);
  EXPECT_EQ(csv, "pid,op,page\n0,R,1\n2,W,2\n65535,X,1024\n");
  // Read back: addresses become page starts, sizes 1.
  const std::vector<Access> pages{acc(Op::Read, 0x1000, 1, 0), acc(Op::Write, 0x2000, 1, 2),
                                  acc(Op::Fetch, 0x400000, 1, 65535)};
  EXPECT_EQ(test::parse(csv, TraceFormat::Auto), pages);
  EXPECT_EQ(written(TraceFormat::Csv, pages), csv);
  EXPECT_THAT(write_error(TraceFormat::Csv, {acc(Op::Fork, 2, 1, 1)}),
              HasSubstr("csv cannot carry events (this is @fork)"));
}

TEST(CsvReader, ErrorsAndDetails) {
  EXPECT_EQ(detect_trace_format("pid,op,page\r\n1,R,2\r\n"), TraceFormat::Csv);
  EXPECT_EQ(test::parse("pid,op,page\r\n\n1,w,0x10\n", TraceFormat::Csv, 1, 3, 100),
            std::vector<Access>{acc(Op::Write, 1600, 1, 1)});
  EXPECT_EQ(test::parse_error("1,R,2\n", TraceFormat::Csv),
            "t.trace:1: missing csv header line 'pid,op,page' (found '1,R,2')");
  EXPECT_EQ(test::parse_error("pid,op,page\n1,R\n", TraceFormat::Csv),
            "t.trace:2: bad csv row '1,R' (expected PID,OP,PAGE)");
  EXPECT_EQ(test::parse_error("pid,op,page\n1,R,2,3\n", TraceFormat::Csv),
            "t.trace:2: bad csv row '1,R,2,3' (expected PID,OP,PAGE)");
  EXPECT_EQ(test::parse_error("pid,op,page\n1,Q,2\n", TraceFormat::Csv),
            "t.trace:2: unknown operation 'Q' (expected R, W or X)");
  EXPECT_EQ(test::parse_error("pid,op,page\n70000,R,2\n", TraceFormat::Csv),
            "t.trace:2: pid 70000 out of range 0..65535");
  EXPECT_EQ(test::parse_error("pid,op,page\n1,R,x\n", TraceFormat::Csv),
            "t.trace:2: bad page number 'x'");
  EXPECT_EQ(test::parse_error("pid,op,page\n1,R,4503599627370496\n", TraceFormat::Csv),
            "t.trace:2: page 4503599627370496 times page size 4096 does not fit in 64 bits");
  EXPECT_EQ(parse_trace_format("csv"), TraceFormat::Csv);
}

TEST(Writers, InvalidRecordsAreRefusedByEveryFormat) {
  for (const TraceFormat format : {TraceFormat::Vmt, TraceFormat::Text, TraceFormat::Lackey,
                                   TraceFormat::Refs, TraceFormat::Csv}) {
    EXPECT_EQ(write_error(format, {acc(Op::Read, 1), acc(Op::Read, 1, 0)}),
              "cannot write record 2 to out: access size out of range 1..1048576")
        << format_name(format);
    EXPECT_EQ(write_error(format, {acc(Op::Read, ~0ULL - 2, 8)}),
              "cannot write record 1 to out: range runs past the end of the address space")
        << format_name(format);
  }
  EXPECT_THAT(write_error(TraceFormat::Text, {acc(Op::Fork, 70000, 1, 1)}),
              HasSubstr("@fork child pid out of range"));
  EXPECT_THAT(write_error(TraceFormat::Vmt, {acc(Op::Exit, 5, 1, 1)}),
              HasSubstr("@exit must have address 0 and size 1"));
  EXPECT_THAT(write_error(TraceFormat::Vmt, {acc(Op::Read, 1, 1u << 21)}),
              HasSubstr("access size out of range"));
}

TEST(Writers, BadTargetsAndFormats) {
  EXPECT_EQ(write_error(TraceFormat::Auto, {}),
            "cannot write a trace in format 'auto': choose text, lackey, refs, csv or vmt");
  EXPECT_THAT(
      write_error(TraceFormat::Text, {}, "no/such/dir/t.trace"),
      ::testing::AllOf(::testing::StartsWith("cannot write no/such/dir/t.trace: directory "),
                       ::testing::EndsWith("no/such/dir does not exist")));
  EXPECT_THAT(write_error(TraceFormat::Vmt, {}, "no/t.vmt"),
              ::testing::AllOf(::testing::StartsWith("cannot write no/t.vmt: directory "),
                               ::testing::EndsWith("/no does not exist")));
  EXPECT_THROW(create_trace_writer("-", in(TraceFormat::Vmt)), Error);
  TraceWriterOptions zero = in(TraceFormat::Refs, 0);
  EXPECT_THROW(create_trace_writer("x", zero), Error);
}

TEST(Writers, TargetAppearsOnlyAtFinish) {
  for (const TraceFormat format : {TraceFormat::Vmt, TraceFormat::Text, TraceFormat::Csv}) {
    TempDir dir;
    const std::string target = dir.file("t.out");
    {
      auto writer = create_trace_writer(target, in(format));
      writer->write(kRefs);
      EXPECT_FALSE(std::filesystem::exists(target));
      EXPECT_EQ(dir.entries(), 1U) << "only the temporary file";
    }
    EXPECT_EQ(dir.entries(), 0U) << "abandoned: no target and no temporary file";

    // An existing target stays as it was until a writer finishes.
    dir.write("t.out", "old");
    {
      auto writer = create_trace_writer(target, in(format));
      writer->write(kRefs);
    }
    EXPECT_EQ(TempDir::read(target), "old");
    auto writer = create_trace_writer(target, in(format));
    writer->write(kRefs);
    EXPECT_EQ(TempDir::read(target), "old");
    writer->finish({});
    EXPECT_EQ(writer->records_written(), kRefs.size());
    EXPECT_EQ(writer->bytes_written(), std::filesystem::file_size(target));
    EXPECT_EQ(dir.entries(), 1U);
    EXPECT_THROW(writer->write(kRefs), Error);
  }
}

TEST(Writers, DashWritesTextToStandardOutput) {
  TempDir dir;
  const std::string captured = dir.file("stdout");
  std::fflush(stdout);
  const int saved = ::dup(STDOUT_FILENO);
  const int fd = ::open(captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  ::dup2(fd, STDOUT_FILENO);
  ::close(fd);
  {
    auto writer = create_trace_writer("-", in(TraceFormat::Refs));
    test::write_trace(*writer, {acc(Op::Read, 4096), acc(Op::Write, 0)});
  }
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  EXPECT_EQ(TempDir::read(captured), "1\n0w\n");
  EXPECT_EQ(dir.entries(), 1U);
}

TEST(Writers, CompressedTextByFileName) {
  TempDir dir;
  std::vector<Access> records;
  for (std::uint64_t i = 0; i < 100000; ++i) records.push_back(acc(Op::Read, i * 64, 8));
  for (const char* name : {"t.trace.gz", "t.trace.zst"}) {
    test::write_trace(*create_trace_writer(dir.file(name), in(TraceFormat::Text)), records);
    TraceSpec spec;
    spec.path = dir.file(name);
    EXPECT_EQ(read_all(*open_trace(spec)), records) << name;
    EXPECT_LT(std::filesystem::file_size(dir.file(name)), 100000U * 4) << name;
  }
}

}  // namespace
}  // namespace vmsim
