// The .vmt binary format: round trips, header fields, damaged and truncated files, codec edge
// cases.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "trace/vmt_format.hpp"
#include "unit/trace/vmt_test_util.hpp"

namespace vmsim {
namespace {

using test::acc;
using test::read_all;
using test::read_memory;
using test::TempDir;
using test::vmt_blocks;
using test::write_vmt;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Record i of a numbered trace: a different op, size and address pattern in each block so a lost or
// repeated block shows, and forward and backward jumps.
Access numbered(std::uint64_t i) {
  const Op op = i % 5 == 0 ? Op::Fetch : (i % 3 == 0 ? Op::Write : Op::Read);
  const auto size = static_cast<std::uint32_t>(1U << (i % 4));
  const std::uint64_t addr = i % 7 == 0 ? 0x7ffc0000 - i * 8 : 0x400000 + i * 16;
  return acc(op, addr, size, static_cast<std::uint16_t>(i / 300 % 3));
}

std::vector<Access> numbered_range(std::uint64_t from, std::uint64_t to) {
  std::vector<Access> records;
  for (std::uint64_t i = from; i < to; ++i) records.push_back(numbered(i));
  return records;
}

TEST(Vmt, TextToVmtToTextIsByteIdentical) {
  // The canonical text form: pid only when not 0, hex addresses, decimal sizes, events.
  const std::string text =
      "X 0x400000 4\n"
      "1 R 0x7ffc0000fff8 8\n"
      "W 0x0 1\n"
      "65535 W 0xffffffffffffffff 1\n"
      "@mmap 1 0x7f0000000000 16384 rw-\n"
      "@mprotect 1 0x7f0000001000 4096 r--\n"
      "@mmap 3 0x10000 4096 ---\n"
      "@fork 1 2\n"
      "2 R 0x7f0000000000 1048576\n"
      "@munmap 1 0x7f0000000000 4294967295\n"
      "@exit 2\n"
      "R 0xfffffffffff00000 1048576\n";
  TempDir dir;
  const std::string in = dir.write("in.trace", text);
  TraceSpec spec;
  spec.path = in;
  const std::vector<Access> records = read_all(*open_trace(spec));
  ASSERT_EQ(records.size(), 12U);
  write_vmt(dir.file("t.vmt"), records);
  spec.path = dir.file("t.vmt");
  const std::vector<Access> back = read_all(*open_trace(spec));
  EXPECT_EQ(back, records);
  TraceWriterOptions options;
  options.format = TraceFormat::Text;
  test::write_trace(*create_trace_writer(dir.file("out.trace"), options), back);
  EXPECT_EQ(TempDir::read(dir.file("out.trace")), text);
}

TEST(Vmt, LackeyExamplesReadTheSameThroughVmt) {
  TempDir dir;
  for (const char* name : {"listwalk", "matmul-naive", "matmul-blocked"}) {
    TraceSpec spec;
    spec.path = std::string(VMSIM_SOURCE_DIR) + "/examples/traces/" + name + ".lackey.zst";
    const std::vector<Access> direct = read_all(*open_trace(spec));
    ASSERT_GT(direct.size(), 100000U) << name;
    // Small blocks so every file has many of them.
    write_vmt(dir.file("t.vmt"), direct, 50000);
    spec.path = dir.file("t.vmt");
    auto reader = open_trace(spec);
    EXPECT_EQ(read_all(*reader, 1000), direct) << name;
    EXPECT_TRUE(reader->warnings().empty()) << name;
  }
}

TEST(Vmt, BatchAndChunkSizesDoNotMatter) {
  TempDir dir;
  const std::vector<Access> records = numbered_range(0, 5000);
  const std::string file = write_vmt(dir.file("t.vmt"), records, 777);
  for (const std::size_t batch : {1, 7, 300, 4096}) {
    for (const std::size_t chunk : {3, 100, 1 << 20}) {
      EXPECT_EQ(read_memory(file, nullptr, batch, chunk), records) << batch << " " << chunk;
    }
  }
}

TEST(Vmt, HeaderFieldsRoundTrip) {
  TempDir dir;
  TraceWriterOptions options;
  options.header.command = "./matmul 48 'a b' \xc3\xa9";
  options.header.page_size_hint = 16384;
  options.header.start_unix_ns = 1700000000123456789ULL;
  options.header.duration_ns = 5;  // only finish() sets the duration
  TraceHeader final_header = options.header;
  final_header.duration_ns = 2500000000ULL;
  const std::string file =
      write_vmt(dir.file("t.vmt"), {acc(Op::Read, 1)}, 1 << 18, options, final_header);

  TraceSpec spec;
  spec.path = dir.file("t.vmt");
  auto reader = open_trace(spec);
  // A regular file's trailer is looked at first, so the duration is known before reading.
  ASSERT_NE(reader->header(), nullptr);
  EXPECT_EQ(reader->header()->command, options.header.command);
  EXPECT_EQ(reader->header()->page_size_hint, 16384U);
  EXPECT_EQ(reader->header()->start_unix_ns, 1700000000123456789ULL);
  EXPECT_EQ(reader->header()->duration_ns, 2500000000ULL);
  EXPECT_EQ(read_all(*reader), std::vector<Access>{acc(Op::Read, 1)});

  // From a pipe the duration arrives with the trailer, at the end.
  auto piped = make_vmt_reader(make_memory_source(file), "pipe");
  EXPECT_EQ(piped->header()->duration_ns, 0U);
  read_all(*piped);
  EXPECT_EQ(piped->header()->duration_ns, 2500000000ULL);
  EXPECT_TRUE(piped->warnings().empty());
  // Text formats have no header.
  EXPECT_EQ(test::parse("R 1\n", TraceFormat::Text).size(), 1U);
  EXPECT_EQ(make_reader_from_memory("R 1\n", TraceFormat::Auto)->header(), nullptr);
}

TEST(Vmt, EmptyTrace) {
  TempDir dir;
  const std::string file = write_vmt(dir.file("t.vmt"), {});
  // Header (44 bytes, no command) and trailer (40 + 24) only.
  EXPECT_EQ(file.size(), 44U + 64U);
  std::vector<std::string> warnings;
  EXPECT_TRUE(read_memory(file, &warnings).empty());
  EXPECT_TRUE(warnings.empty());
}

TEST(Vmt, PidsAndEventsRoundTrip) {
  const std::vector<Access> records{
      acc(Op::Mmap, 0x10000, 0xffffffffU, 1),
      acc(Op::Read, 0x10000, 8, 1),
      acc(Op::Fork, 65535, 1, 1),
      acc(Op::Write, 0x10008, 8, 65535),
      acc(Op::Read, 0x10010, 8, 1),
      acc(Op::Fetch, 0x400000, 15, 65535),
      acc(Op::Fetch, 0x40000f, 3, 65535),
      acc(Op::Exit, 0, 1, 65535),
      acc(Op::Munmap, 0x10000, 4096, 1),
      acc(Op::Read, 0x10000, 300, 0),
      acc(Op::Read, 0x10000, 1 << 20, 0),
      acc(Op::Exit, 0, 1, 1),
  };
  TempDir dir;
  for (const std::uint32_t per_block : {1U, 2U, 5U, 1000U}) {
    EXPECT_EQ(read_memory(write_vmt(dir.file("t.vmt"), records, per_block)), records) << per_block;
  }
}

TEST(Vmt, ManyPidsInOneBlock) {
  // 3000 pids, each continuing its own sequential walk, interleaved: each pid's prediction must
  // survive the other pids' records and the growth of the pid table.
  std::vector<Access> records;
  for (std::uint64_t i = 0; i < 30000; ++i) {
    const auto pid = static_cast<std::uint16_t>((i * 7919) % 3000 + 60000 * (i % 2));
    records.push_back(acc(i % 4 == 0 ? Op::Fetch : Op::Read, 0x1000 * pid + i, 4, pid));
  }
  TempDir dir;
  EXPECT_EQ(read_memory(write_vmt(dir.file("t.vmt"), records)), records);
  EXPECT_EQ(read_memory(write_vmt(dir.file("t.vmt"), records, 1234)), records);
}

TEST(Vmt, ExtremeAddressesAndDeltas) {
  constexpr std::uint64_t kMax = ~std::uint64_t{0};
  const std::vector<Access> records{
      acc(Op::Read, 0),
      acc(Op::Read, kMax),
      acc(Op::Read, 0),
      acc(Op::Write, kMax - 7, 8),
      acc(Op::Write, 1ULL << 63),
      acc(Op::Write, (1ULL << 63) - 1),
      acc(Op::Fetch, kMax),
      acc(Op::Fetch, 0),
      acc(Op::Read, 0x123456789abcdef0, 2),
      acc(Op::Read, 5),
      acc(Op::Mmap, kMax - 4095, 4096),
      acc(Op::Mmap, 0, 1),
  };
  TempDir dir;
  EXPECT_EQ(read_memory(write_vmt(dir.file("t.vmt"), records)), records);
}

TEST(Vmt, ZigzagAndVarintEdgeCases) {
  using vmt::unzigzag;
  using vmt::zigzag;
  EXPECT_EQ(zigzag(0), 0U);
  EXPECT_EQ(zigzag(static_cast<std::uint64_t>(-1)), 1U);
  EXPECT_EQ(zigzag(1), 2U);
  EXPECT_EQ(zigzag(static_cast<std::uint64_t>(-2)), 3U);
  EXPECT_EQ(zigzag(0x7fffffffffffffff), 0xfffffffffffffffeULL);
  EXPECT_EQ(zigzag(0x8000000000000000), 0xffffffffffffffffULL);  // -2^63
  for (const std::uint64_t v : {0ULL, 1ULL, 2ULL, 3ULL, 0xfffffffffffffffeULL, ~0ULL, 1ULL << 63}) {
    EXPECT_EQ(zigzag(unzigzag(v)), v);
  }
  EXPECT_EQ(vmt::byte_length(0), 0U);
  EXPECT_EQ(vmt::byte_length(0xff), 1U);
  EXPECT_EQ(vmt::byte_length(0x100), 2U);
  EXPECT_EQ(vmt::byte_length(~0ULL), 8U);

  unsigned char buf[12];
  for (const std::uint64_t v : {0ULL, 127ULL, 128ULL, 16383ULL, 16384ULL, ~0ULL}) {
    const std::size_t n = vmt::put_varint(buf, v);
    EXPECT_EQ(n, v == 0 ? 1U : (64 - static_cast<unsigned>(__builtin_clzll(v)) + 6) / 7);
    const unsigned char* p = buf;
    std::uint64_t got = 0;
    ASSERT_TRUE(vmt::get_varint(p, buf + n, got));
    EXPECT_EQ(got, v);
    EXPECT_EQ(p, buf + n);
    p = buf;
    EXPECT_FALSE(vmt::get_varint(p, buf + n - 1, got)) << "cut short";
  }
  // Eleven bytes, or a tenth byte above 1, run past 64 bits.
  const unsigned char too_long[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
  const unsigned char* p = too_long;
  std::uint64_t got = 0;
  EXPECT_FALSE(vmt::get_varint(p, too_long + sizeof too_long, got));
}

TEST(Vmt, CorruptBlockIsSkippedWithItsOffset) {
  TempDir dir;
  std::string file = write_vmt(dir.file("t.vmt"), numbered_range(0, 10000), 1000);
  const auto blocks = vmt_blocks(file);
  ASSERT_EQ(blocks.size(), 11U);  // 10 record blocks and the trailer
  const test::BlockSpan& bad = blocks[3];
  file[bad.offset + 40 + (bad.size - 40) / 2] ^= 0x10;  // a payload byte in the middle

  std::vector<std::string> warnings;
  std::vector<Access> expected = numbered_range(0, 3000);
  const std::vector<Access> rest = numbered_range(4000, 10000);
  expected.insert(expected.end(), rest.begin(), rest.end());
  EXPECT_EQ(read_memory(file, &warnings), expected);
  EXPECT_THAT(warnings, ElementsAre("t.vmt: block at offset " + std::to_string(bad.offset) +
                                    ": checksum mismatch; skipped its 1000 records"));
}

TEST(Vmt, DamagedBlockHeaderResynchronises) {
  TempDir dir;
  std::string file = write_vmt(dir.file("t.vmt"), numbered_range(0, 5000), 1000);
  const auto blocks = vmt_blocks(file);
  ASSERT_EQ(blocks.size(), 6U);
  file[blocks[1].offset + 9] ^= 0x01;  // the stored size: the header's own checksum fails

  std::vector<std::string> warnings;
  std::vector<Access> expected = numbered_range(0, 1000);
  const std::vector<Access> rest = numbered_range(2000, 5000);
  expected.insert(expected.end(), rest.begin(), rest.end());
  EXPECT_EQ(read_memory(file, &warnings, 64, 5), expected);
  EXPECT_THAT(warnings,
              ElementsAre("t.vmt: block at offset " + std::to_string(blocks[1].offset) +
                          ": damaged block header; skipped " + std::to_string(blocks[1].size) +
                          " bytes to the next block at offset " + std::to_string(blocks[2].offset) +
                          " (records lost: unknown)"));
}

TEST(Vmt, TruncatedFileReadsToItsLastWholeBlock) {
  TempDir dir;
  const std::string file = write_vmt(dir.file("t.vmt"), numbered_range(0, 5000), 1000);
  const auto blocks = vmt_blocks(file);
  ASSERT_EQ(blocks.size(), 6U);

  // Cut in the middle of block 3's payload.
  const std::size_t cut = blocks[3].offset + 40 + 17;
  std::vector<std::string> warnings;
  EXPECT_EQ(read_memory(file.substr(0, cut), &warnings), numbered_range(0, 3000));
  EXPECT_THAT(warnings, ElementsAre("t.vmt: block at offset " + std::to_string(blocks[3].offset) +
                                    ": truncated (the file ends 17 bytes into its " +
                                    std::to_string(blocks[3].size - 40) +
                                    "-byte payload); its 1000 records are lost, read up to the "
                                    "last whole block"));

  // Cut inside a block header.
  EXPECT_EQ(read_memory(file.substr(0, blocks[2].offset + 5), &warnings), numbered_range(0, 2000));
  EXPECT_THAT(warnings, ElementsAre(HasSubstr("block at offset " +
                                              std::to_string(blocks[2].offset) + ": truncated")));

  // Cut between blocks: the trailer is missing, so the duration is unknown.
  auto reader =
      make_reader_from_memory(file.substr(0, blocks[5].offset), TraceFormat::Vmt, "t.vmt");
  EXPECT_EQ(read_all(*reader), numbered_range(0, 5000));
  EXPECT_EQ(reader->header()->duration_ns, 0U);
  EXPECT_THAT(reader->warnings(), ElementsAre(HasSubstr("no trailer")));
}

TEST(Vmt, BytesAfterTheTrailerAreReported) {
  TempDir dir;
  const std::string file = write_vmt(dir.file("t.vmt"), {acc(Op::Read, 1)}) + "junk";
  std::vector<std::string> warnings;
  EXPECT_EQ(read_memory(file, &warnings), std::vector<Access>{acc(Op::Read, 1)});
  EXPECT_THAT(warnings, ElementsAre("t.vmt: 4 bytes after the trailer at offset " +
                                    std::to_string(file.size() - 4) + " ignored"));
}

// A block framed by hand: `body` compressed (records kind) or stored (other kinds), with matching
// checksums.
std::string framed_block(int kind, std::uint32_t records, const std::string& body) {
  const std::string payload = kind == 1 || kind == 3 || kind == 4 ? test::zstd(body) : body;
  std::string h(40, '\0');
  auto* p = reinterpret_cast<unsigned char*>(h.data());
  h.replace(0, 4, "VMTB");
  p[4] = static_cast<unsigned char>(kind);
  vmt::store_u32(p + 8, static_cast<std::uint32_t>(payload.size()));
  vmt::store_u32(p + 12, static_cast<std::uint32_t>(body.size()));
  vmt::store_u32(p + 16, records);
  vmt::store_u64(p + 24, vmt::checksum(payload.data(), payload.size()));
  vmt::store_u64(p + 32, vmt::checksum(p, 32));
  return h + payload;
}

// A records body: the four stream lengths, then the streams.
std::string body(const std::string& runs, const std::string& control, const std::string& sizes,
                 const std::string& big, const std::string& deltas) {
  std::string b(16, '\0');
  auto* p = reinterpret_cast<unsigned char*>(b.data());
  vmt::store_u32(p, static_cast<std::uint32_t>(runs.size()));
  vmt::store_u32(p + 4, static_cast<std::uint32_t>(sizes.size()));
  vmt::store_u32(p + 8, static_cast<std::uint32_t>(big.size()));
  vmt::store_u32(p + 12, static_cast<std::uint32_t>(deltas.size()));
  return b + runs + control + sizes + big + deltas;
}

TEST(Vmt, HandMadeBlocksDecodeAsDocumented) {
  TempDir dir;
  const std::string empty = write_vmt(dir.file("t.vmt"), {});
  const std::string header = empty.substr(0, 44);
  // Pid 7 for 3 records. Record 1: write (op 1), size 8 (changed), delta +0x1000 from 0 (zigzag
  // 0x2000, 2 bytes). Record 2: write, same size, starts where record 1 ended (delta 0). Record 3:
  // fetch (op 2, its own context starting at 0), size 300 (escape to big sizes), delta +0x400000
  // (zigzag 0x800000, 3 bytes).
  const std::string records =
      body(std::string("\x07\x03", 2), std::string("\x92\x10\xa3", 3), std::string("\x08\x00", 2),
           std::string("\x2c\x01\x00\x00", 4), std::string("\x00\x20\x00\x00\x80", 5));
  std::vector<std::string> warnings;
  EXPECT_EQ(read_memory(header + framed_block(1, 3, records) + framed_block(9, 0, "future") +
                            empty.substr(44),
                        &warnings),
            (std::vector<Access>{acc(Op::Write, 0x1000, 8, 7), acc(Op::Write, 0x1008, 8, 7),
                                 acc(Op::Fetch, 0x400000, 300, 7)}));
  // The trailer taken from an empty file counts no records, which is reported too.
  EXPECT_THAT(warnings, ElementsAre(HasSubstr("unknown block kind 9 skipped"),
                                    HasSubstr("trailer at offset")));
}

// The message reading `bytes` as a .vmt file fails with, or "" when it reads.
std::string read_error(const std::string& bytes) {
  try {
    read_memory(bytes);
  } catch (const Error& e) {
    return e.what();
  }
  return {};
}

// A records body of kind 3: the four stream lengths and the protections' length, then the
// streams, protections last.
std::string body_with_prots(const std::string& runs, const std::string& control,
                            const std::string& sizes, const std::string& big,
                            const std::string& deltas, const std::string& prots) {
  std::string b = body(runs, control, sizes, big, deltas);
  std::string length(4, '\0');
  vmt::store_u32(reinterpret_cast<unsigned char*>(length.data()),
                 static_cast<std::uint32_t>(prots.size()));
  return b.substr(0, 16) + length + b.substr(16) + prots;
}

TEST(Vmt, ProtectionsAreInBlocksOfKind3) {
  TempDir dir;
  const std::string empty = write_vmt(dir.file("t.vmt"), {});
  const std::string header = empty.substr(0, 44);
  // Pid 1 for 3 records, all events (context 2, from address 0, size 1): @mmap (op 5) size 8192
  // at 0x10000 (zigzag 0x20000, 3 bytes); @munmap (op 6), same size, at 0x12000 (delta 0);
  // @mprotect (op 7), same size, at 0x10000 (delta -0x4000 from 0x14000: zigzag 0x7fff, 2
  // bytes). Protections: rw- (3) for the @mmap, r-- (1) for the @mprotect; none for @munmap.
  const std::string run("\x01\x03", 2);
  const std::string control("\xd3\x60\x72", 3);
  const std::string sizes("\x00", 1);
  const std::string big("\x00\x20\x00\x00", 4);
  const std::string deltas("\x00\x00\x02\xff\x7f", 5);
  std::vector<std::string> warnings;
  EXPECT_EQ(
      read_memory(header +
                      framed_block(3, 3,
                                   body_with_prots(run, control, sizes, big, deltas,
                                                   std::string("\x03\x01", 2))) +
                      empty.substr(44),
                  &warnings),
      (std::vector<Access>{acc(Op::Mmap, 0x10000, 8192, 1, 3), acc(Op::Munmap, 0x12000, 8192, 1),
                           acc(Op::Mprotect, 0x10000, 8192, 1, 1)}));
  // A block of kind 1 (files from before protections were kept): its @mmap maps read-write.
  EXPECT_EQ(read_memory(header +
                        framed_block(1, 1,
                                     body(std::string("\x01\x01", 2), std::string("\xd3", 1), sizes,
                                          big, std::string("\x00\x00\x02", 3))) +
                        empty.substr(44)),
            (std::vector<Access>{acc(Op::Mmap, 0x10000, 8192, 1, 3)}));
  const auto error = [&](const std::string& block) { return read_error(header + block); };
  // One protection for two records that need one; a byte past the streams; a protection beyond
  // rwx.
  EXPECT_EQ(error(framed_block(
                3, 3, body_with_prots(run, control, sizes, big, deltas, std::string("\x03", 1)))),
            "t.vmt: block at offset 44: malformed block (protections)");
  EXPECT_EQ(error(framed_block(
                3, 3,
                body_with_prots(run, control, sizes, big, deltas, std::string("\x03\x01", 2)) +
                    std::string("\x01", 1))),
            "t.vmt: block at offset 44: malformed block (stream lengths)");
  EXPECT_EQ(
      error(framed_block(
          3, 3, body_with_prots(run, control, sizes, big, deltas, std::string("\x03\x08", 2)))),
      "t.vmt: block at offset 44: malformed block (protections)");
}

TEST(Vmt, OnlyBlocksWithProtectionsHaveTheNewKind) {
  // The writer keeps the older block kind for blocks without @mmap or @mprotect, so files
  // without them are as before; a block with one is of kind 3. Block headers start at 44 (an
  // empty command line); the kind is byte 4 of a block header.
  TempDir dir;
  const std::string plain = write_vmt(dir.file("plain.vmt"), {acc(Op::Read, 0x1000, 4, 1)});
  EXPECT_EQ(plain[44 + 4], 1);
  const std::string mapped = write_vmt(
      dir.file("mapped.vmt"), {acc(Op::Read, 0x1000, 4, 1), acc(Op::Mmap, 0x2000, 4096, 1, 5)});
  EXPECT_EQ(mapped[44 + 4], 3);
  TraceSpec spec;
  spec.path = dir.file("mapped.vmt");
  EXPECT_EQ(read_all(*open_trace(spec)),
            (std::vector<Access>{acc(Op::Read, 0x1000, 4, 1), acc(Op::Mmap, 0x2000, 4096, 1, 5)}));
}

// A records body of kind 4: as kind 3 with the ops' length after the protections' length, and the
// ops stream last.
std::string body_with_events(const std::string& runs, const std::string& control,
                             const std::string& sizes, const std::string& big,
                             const std::string& deltas, const std::string& prots,
                             const std::string& ops) {
  std::string b = body_with_prots(runs, control, sizes, big, deltas, prots);
  std::string length(4, '\0');
  vmt::store_u32(reinterpret_cast<unsigned char*>(length.data()),
                 static_cast<std::uint32_t>(ops.size()));
  return b.substr(0, 20) + length + b.substr(20) + ops;
}

TEST(Vmt, BrkAndExecAreInBlocksOfKind4) {
  TempDir dir;
  const std::string empty = write_vmt(dir.file("t.vmt"), {});
  const std::string header = empty.substr(0, 44);
  // Pid 1 for 3 records, all events (context 2, from address 0, size 1), each with op 7 in its
  // control byte and its op in the ops stream. @brk (8) to 0x602000, size 1 (unchanged): zigzag
  // 0xc04000, 3 bytes. @mprotect (7) of 8192 bytes (a big size) at 0x10000: delta -0x5f2001 from
  // 0x602001, zigzag 0xbe4001. @exec (9), size 1 again, address 0: delta -0x12000, zigzag
  // 0x23fff. The @mprotect's protection is r-- (1).
  const std::string run("\x01\x03", 2);
  const std::string control("\x73\xf3\xf3", 3);
  const std::string sizes("\x00\x01", 2);
  const std::string big("\x00\x20\x00\x00", 4);
  const std::string deltas("\x00\x40\xc0\x01\x40\xbe\xff\x3f\x02", 9);
  const auto block = [&](const std::string& prots, const std::string& ops) {
    return framed_block(4, 3, body_with_events(run, control, sizes, big, deltas, prots, ops));
  };
  EXPECT_EQ(read_memory(header + block("\x01", "\x08\x07\x09") + empty.substr(44)),
            (std::vector<Access>{acc(Op::Brk, 0x602000, 1, 1),
                                 acc(Op::Mprotect, 0x10000, 8192, 1, 1), acc(Op::Exec, 0, 1, 1)}));
  const auto error = [&](const std::string& b) { return read_error(header + b); };
  // Two ops for three records with op 7; ops that are not 7, 8 or 9; a protection for a record
  // whose op says it has none.
  EXPECT_EQ(error(block("\x01", "\x08\x07")), "t.vmt: block at offset 44: malformed block (ops)");
  EXPECT_EQ(error(block("\x01", "\x08\x07\x0a")),
            "t.vmt: block at offset 44: malformed block (ops)");
  EXPECT_EQ(error(block("\x01", std::string("\x08\x07\x06", 3))),
            "t.vmt: block at offset 44: malformed block (ops)");
  EXPECT_EQ(error(block("\x01", "\x08\x08\x09")),
            "t.vmt: block at offset 44: malformed block (protections)");
  // An @exec must have address 0, as in a text trace.
  const std::string exec_at_1("\x00\x40\xc0\x01\x40\xbe\xfd\x3f\x02", 9);
  EXPECT_EQ(read_error(header + framed_block(4, 3,
                                             body_with_events(run, control, sizes, big, exec_at_1,
                                                              "\x01", "\x08\x07\x09"))),
            "t.vmt: block at offset 44: record 3: @exec must have address 0 and size 1");
}

TEST(Vmt, OnlyBlocksWithBrkOrExecHaveKind4) {
  TempDir dir;
  const std::vector<Access> records{acc(Op::Mmap, 0x2000, 4096, 1, 5),
                                    acc(Op::Mprotect, 0x2000, 4096, 1, 1),
                                    acc(Op::Brk, 0x603000, 1, 1),
                                    acc(Op::Read, 0x2000, 4, 1),
                                    acc(Op::Exec, 0, 1, 1),
                                    acc(Op::Brk, 0x700000, 1, 2)};
  const std::string file = write_vmt(dir.file("events.vmt"), records);
  EXPECT_EQ(file[44 + 4], 4);
  TraceSpec spec;
  spec.path = dir.file("events.vmt");
  EXPECT_EQ(read_all(*open_trace(spec)), records);
  // @mprotect alone still makes a block of kind 3.
  const std::string prot_only =
      write_vmt(dir.file("prot.vmt"), {acc(Op::Mprotect, 0x2000, 4096, 1, 1)});
  EXPECT_EQ(prot_only[44 + 4], 3);
}

TEST(Vmt, MalformedBlocksWithGoodChecksumsAreErrors) {
  TempDir dir;
  const std::string header = write_vmt(dir.file("t.vmt"), {}).substr(0, 44);
  const auto error = [&](const std::string& block) { return read_error(header + block); };
  const std::string run("\x00\x01", 2);
  EXPECT_EQ(error(framed_block(1, 1, body(run, "\x01", "", "", ""))),
            "t.vmt: block at offset 44: malformed block (control bytes)");  // 1 delta byte missing
  EXPECT_EQ(error(framed_block(1, 1, body(run, "\x09", "", "", "123456789"))),
            "t.vmt: block at offset 44: malformed block (control bytes)");  // 9 delta bytes
  EXPECT_EQ(error(framed_block(1, 1, body(run, "\x70", "", "", ""))),
            "t.vmt: block at offset 44: malformed block (protections)");  // @mprotect, no prot
  EXPECT_EQ(error(framed_block(1, 2, body(run, std::string("\x00\x00", 2), "", "", ""))),
            "t.vmt: block at offset 44: malformed block (pid runs)");  // runs cover 1 of 2 records
  EXPECT_EQ(error(framed_block(1, 1, body(run, "\x80", std::string(1, '\0'), "", ""))),
            "t.vmt: block at offset 44: malformed block (sizes)");  // escape without a big size
  EXPECT_EQ(
      error(framed_block(1, 1, body(run, "\x80", std::string(1, '\0'), std::string(4, '\0'), ""))),
      "t.vmt: block at offset 44: record 1: access size out of range 1..1048576");
  EXPECT_EQ(error(framed_block(2, 0, "short")), "t.vmt: block at offset 44: malformed trailer");
}

std::string open_error(const std::string& path, TraceFormat format) {
  TraceSpec spec;
  spec.path = path;
  spec.format = format;
  try {
    read_all(*open_trace(spec));
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Vmt, DetectionAndExplicitFormat) {
  TempDir dir;
  const std::string vmt_path = dir.file("t.bin");
  write_vmt(vmt_path, {acc(Op::Write, 0x1234, 4)});
  for (const TraceFormat format : {TraceFormat::Auto, TraceFormat::Vmt, TraceFormat::Text}) {
    TraceSpec spec;
    spec.path = vmt_path;
    spec.format = format;
    EXPECT_EQ(read_all(*open_trace(spec)), std::vector<Access>{acc(Op::Write, 0x1234, 4)});
  }
  const std::string text = dir.write("t.trace", "R 1\n");
  EXPECT_EQ(open_error(text, TraceFormat::Vmt),
            text + ": not a vmt trace (it does not start with the .vmt magic bytes)");
  const std::string zst = dir.write("t.zst", test::zstd("R 1\n"));
  EXPECT_THAT(open_error(zst, TraceFormat::Vmt), HasSubstr("not a vmt trace"));
  EXPECT_EQ(parse_trace_format("vmt"), TraceFormat::Vmt);
  EXPECT_EQ(format_name(TraceFormat::Vmt), "vmt");
}

TEST(Vmt, DamagedFileHeaderIsAnError) {
  TempDir dir;
  const std::string good = write_vmt(dir.file("t.vmt"), {acc(Op::Read, 1)});
  const auto error = [&](std::string bytes) {
    try {
      read_memory(bytes);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  std::string version = good;
  version[8] = 2;
  EXPECT_EQ(error(version), "t.vmt: vmt version 2 is not supported (this vmsim reads version 1)");
  std::string hint = good;
  hint[17] ^= 1;  // the page-size hint
  EXPECT_EQ(error(hint), "t.vmt: vmt header checksum mismatch");
  EXPECT_EQ(error(good.substr(0, 20)), "t.vmt: truncated vmt header");
  std::string magic = good;
  magic[1] = 'X';
  // Without the magic the bytes are not recognised as vmt and are read as text.
  EXPECT_THAT(error(magic), HasSubstr("t.vmt:1:"));
}

}  // namespace
}  // namespace vmsim
