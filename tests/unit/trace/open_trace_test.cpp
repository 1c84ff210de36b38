// Opening trace files: compression, chunk boundaries, progress, open failures, corrupt data, and
// the small helpers of trace.hpp (format names, VectorReader).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "unit/trace/trace_test_util.hpp"

namespace vmsim {
namespace {

using test::acc;
using test::read_all;
using test::TempDir;

TraceSpec file_spec(const std::string& path, TraceFormat format = TraceFormat::Auto) {
  TraceSpec spec;
  spec.path = path;
  spec.format = format;
  return spec;
}

std::string open_error(const TraceSpec& spec) {
  try {
    read_all(*open_trace(spec));
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

const std::string kText = "# three records\n1 R 0x1000 8\nW 0x2000\n@exit 1\n";
const std::vector<Access> kTextAccesses{acc(Op::Read, 0x1000, 8, 1), acc(Op::Write, 0x2000),
                                        acc(Op::Exit, 0, 1, 1)};

TEST(OpenTrace, PlainGzipAndZstdFilesReadTheSame) {
  TempDir dir;
  const std::string plain = dir.write("a.trace", kText);
  // Misleading names on purpose: compression is recognised by magic bytes only.
  const std::string gz = dir.write("b.trace", test::gzip(kText));
  const std::string zst = dir.write("c.gz", test::zstd(kText));
  for (const std::string& path : {plain, gz, zst}) {
    for (const TraceFormat format : {TraceFormat::Auto, TraceFormat::Text}) {
      auto reader = open_trace(file_spec(path, format));
      EXPECT_EQ(read_all(*reader, 1), kTextAccesses) << path;
    }
  }
}

TEST(OpenTrace, CompressedLackeyAndRefsAreDetected) {
  TempDir dir;
  const std::string lackey = dir.write("l", test::zstd("==1== x\nI  400,2\n M 10,4\n"));
  EXPECT_EQ(read_all(*open_trace(file_spec(lackey))),
            (std::vector<Access>{acc(Op::Fetch, 0x400, 2), acc(Op::Read, 0x10, 4),
                                 acc(Op::Write, 0x10, 4)}));
  const std::string refs = dir.write("r", test::gzip("1 2w\n"));
  EXPECT_EQ(read_all(*open_trace(file_spec(refs))),
            (std::vector<Access>{acc(Op::Read, 4096), acc(Op::Write, 8192)}));
}

TEST(OpenTrace, ConcatenatedGzipMembersAndZstdFrames) {
  TempDir dir;
  const std::string gz = dir.write("a", test::gzip("R 1\nR ") + test::gzip("2\n"));
  const std::string zst = dir.write("b", test::zstd("R 1\nR ") + test::zstd("2\n"));
  const std::vector<Access> expected{acc(Op::Read, 1), acc(Op::Read, 2)};
  EXPECT_EQ(read_all(*open_trace(file_spec(gz))), expected);
  EXPECT_EQ(read_all(*open_trace(file_spec(zst))), expected);
}

TEST(OpenTrace, EmptyFilesAreEmptyTraces) {
  TempDir dir;
  EXPECT_TRUE(read_all(*open_trace(file_spec(dir.write("e", "")))).empty());
  EXPECT_TRUE(read_all(*open_trace(file_spec(dir.write("g", test::gzip(""))))).empty());
  EXPECT_TRUE(read_all(*open_trace(file_spec(dir.write("z", test::zstd(""))))).empty());
  // Half a gzip magic is not gzip: it is a control byte, so the input is named binary.
  const std::string stray = dir.write("1", "\x1f\n");
  EXPECT_EQ(open_error(file_spec(stray))
                .rfind(stray + ":1: trace format not recognised: it looks like binary data", 0),
            0U);
}

// A file several times the 1 MiB chunk: lines cross chunk boundaries at many offsets, and the line
// numbers in an error near the end still count every line.
TEST(OpenTrace, FileLargerThanTheChunk) {
  std::string text;
  std::vector<Access> expected;
  for (std::uint32_t i = 0; i < 300000; ++i) {
    // Lines of varying length (13 to 21 bytes) so the boundaries fall everywhere in a line.
    const std::uint64_t addr = std::uint64_t{i} * 4097;
    const std::uint32_t size = 1 + i % 64;
    text += (i % 3 == 0 ? "W 0x" : "R 0x");
    char hex[32];
    const int len = std::snprintf(hex, sizeof hex, "%llx", static_cast<unsigned long long>(addr));
    text.append(hex, static_cast<std::size_t>(len));
    text += ' ';
    text += std::to_string(size);
    text += i % 5 == 0 ? "  # c\n" : "\n";
    expected.push_back(acc(i % 3 == 0 ? Op::Write : Op::Read, addr, size));
  }
  ASSERT_GT(text.size(), 3 * kDefaultChunkSize);
  TempDir dir;
  const std::string plain = dir.write("big.trace", text);
  const std::string zst = dir.write("big.zst", test::zstd(text));
  const std::string gz = dir.write("big.gz", test::gzip(text));
  for (const std::string& path : {plain, zst, gz}) {
    auto reader = open_trace(file_spec(path));
    EXPECT_EQ(read_all(*reader, 4096), expected) << path;
    EXPECT_EQ(reader->bytes_consumed(), reader->bytes_total()) << path;
  }
  const std::string bad = dir.write("bad.trace", text + "R 0x1\nR nope\n");
  EXPECT_EQ(open_error(file_spec(bad)), bad + ":300002: bad address 'nope'");
}

TEST(OpenTrace, ProgressCountsStoredBytes) {
  TempDir dir;
  const std::string compressed = test::zstd(kText);
  const std::string path = dir.write("p.zst", compressed);
  auto reader = open_trace(file_spec(path));
  EXPECT_EQ(reader->bytes_total(), compressed.size());
  EXPECT_LE(reader->bytes_consumed(), reader->bytes_total());
  read_all(*reader);
  EXPECT_EQ(reader->bytes_consumed(), compressed.size());
}

TEST(OpenTrace, MissingFileOrDirectory) {
  EXPECT_EQ(open_error(file_spec("/nonexistent/x.trace")),
            "cannot open /nonexistent/x.trace: No such file or directory");
  TempDir dir;
  const std::string d = dir.path().string();
  EXPECT_EQ(open_error(file_spec(d)), "cannot open " + d + ": Is a directory");
  // Not an InputError: there is no line to point at.
  EXPECT_THROW(open_trace(file_spec("/nonexistent/x.trace")), Error);
  try {
    open_trace(file_spec("/nonexistent/x.trace"));
  } catch (const InputError&) {
    ADD_FAILURE() << "an open failure is not an InputError";
  } catch (const Error&) {
  }
}

// The first member or frame holds lines 1-3, so the damage is found while reading line 4.
TEST(OpenTrace, CorruptAndTruncatedCompressedData) {
  TempDir dir;
  const std::string good = "R 1\nR 2\nR 3\n";
  const std::string truncated_gz =
      dir.write("t.gz", test::gzip(good) + test::gzip("R 4\n").substr(0, 5));
  EXPECT_EQ(open_error(file_spec(truncated_gz)), truncated_gz + ":4: truncated gzip data");
  const std::string corrupt_gz =
      dir.write("c.gz", test::gzip(good) + std::string("\x1f\x8b\x07\x00\x00\x00\x00\x00", 8));
  EXPECT_EQ(open_error(file_spec(corrupt_gz)),
            corrupt_gz + ":4: corrupt gzip data (unknown compression method)");
  const std::string truncated_zst =
      dir.write("t.zst", test::zstd(good) + test::zstd("R 4\n").substr(0, 6));
  EXPECT_EQ(open_error(file_spec(truncated_zst)), truncated_zst + ":4: truncated zstd data");
  const std::string corrupt_zst = dir.write("c.zst", test::zstd(good) + "garbage!");
  EXPECT_EQ(open_error(file_spec(corrupt_zst)),
            corrupt_zst + ":4: corrupt zstd data (Unknown frame descriptor)");
  // Damage before any line: detection itself reads the data, and reports line 1.
  const std::string header_only = dir.write("h.zst", std::string("\x28\xb5\x2f\xfd", 4));
  EXPECT_EQ(open_error(file_spec(header_only)), header_only + ":1: truncated zstd data");
}

// "-" reads standard input, compressed or not; here stdin is pointed at a file for the test's
// length.
TEST(OpenTrace, StandardInput) {
  TempDir dir;
  const std::string path = dir.write("in.gz", test::gzip(kText + "R bad\n"));
  const int saved = ::dup(STDIN_FILENO);
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(saved, 0);
  ASSERT_GE(fd, 0);
  ::dup2(fd, STDIN_FILENO);
  ::close(fd);
  const std::string error = open_error(file_spec("-"));
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  EXPECT_EQ(error, "-:5: bad address 'bad'");
}

TEST(OpenTrace, CanBeOpenedRepeatedly) {
  TempDir dir;
  const TraceSpec spec = file_spec(dir.write("a", kText));
  EXPECT_EQ(read_all(*open_trace(spec)), kTextAccesses);
  EXPECT_EQ(read_all(*open_trace(spec)), kTextAccesses);
}

TEST(TraceFormatNames, RoundTripAndErrors) {
  for (const TraceFormat format : {TraceFormat::Auto, TraceFormat::Text, TraceFormat::Lackey,
                                   TraceFormat::Refs, TraceFormat::Vmt, TraceFormat::Csv}) {
    EXPECT_EQ(parse_trace_format(format_name(format)), format);
  }
  EXPECT_EQ(format_name(TraceFormat::Lackey), "lackey");
  try {
    parse_trace_format("pin");
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "unknown trace format 'pin' (valid: auto, text, lackey, refs, vmt, csv)");
  }
}

TEST(VectorReaderTest, CopiesInBatches) {
  std::vector<Access> records;
  for (std::uint32_t i = 0; i < 10; ++i) records.push_back(acc(Op::Write, i, i + 1));
  VectorReader reader(records);
  std::vector<Access> batch(4);
  EXPECT_EQ(reader.read(batch), 4U);
  EXPECT_EQ(batch[3], records[3]);
  EXPECT_EQ(reader.read(batch), 4U);
  EXPECT_EQ(batch[0], records[4]);
  EXPECT_EQ(reader.read(batch), 2U);
  EXPECT_EQ(batch[1], records[9]);
  EXPECT_EQ(reader.read(batch), 0U);
  EXPECT_EQ(reader.read(std::span<Access>()), 0U);
  VectorReader empty({});
  EXPECT_EQ(empty.read(batch), 0U);
}

}  // namespace
}  // namespace vmsim
