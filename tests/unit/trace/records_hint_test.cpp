// TraceReader::records_hint(): the record count a reader knows before reading (a finished .vmt
// file's trailer, records in memory), and 0 wherever it cannot know it.
#include <gtest/gtest.h>

#include "trace/gen/generator.hpp"
#include "unit/trace/vmt_test_util.hpp"

namespace vmsim {
namespace {

using test::acc;
using test::read_all;
using test::TempDir;
using test::vmt_blocks;
using test::write_vmt;

std::vector<Access> records(std::uint64_t n) {
  std::vector<Access> out;
  for (std::uint64_t i = 0; i < n; ++i) out.push_back(acc(Op::Read, 0x400000 + i * 64));
  return out;
}

TEST(RecordsHint, FinishedVmtFileGivesItsTrailersCountBeforeReading) {
  TempDir dir;
  write_vmt(dir.file("t.vmt"), records(5000), 1000);  // five blocks and a trailer
  TraceSpec spec;
  spec.path = dir.file("t.vmt");
  auto reader = open_trace(spec);
  EXPECT_EQ(reader->records_hint(), 5000U);
  EXPECT_EQ(read_all(*reader, 300).size(), 5000U);
  EXPECT_EQ(reader->records_hint(), 5000U);  // a count from the start, not what is left
}

// A generator knows its length before producing anything: every workload without events yields
// exactly that many records.
TEST(RecordsHint, GeneratorsGiveTheirLength) {
  for (const char* workload : {"sequential", "uniform", "zipf", "loop", "matmul"}) {
    gen::GeneratorParams params;
    params.length = 3000;
    params.pages = 64;
    auto reader = gen::make_generator(workload, params);
    EXPECT_EQ(reader->records_hint(), 3000U) << workload;
    EXPECT_EQ(read_all(*reader, 256).size(), 3000U) << workload;
  }
}

TEST(RecordsHint, VmtInMemoryToo) {
  TempDir dir;
  const std::string file = write_vmt(dir.file("t.vmt"), records(1234));
  EXPECT_EQ(make_reader_from_memory(file, TraceFormat::Auto, "t.vmt")->records_hint(), 1234U);
  const std::string empty = write_vmt(dir.file("e.vmt"), {});
  EXPECT_EQ(make_reader_from_memory(empty, TraceFormat::Auto, "e.vmt")->records_hint(), 0U);
}

TEST(RecordsHint, UnknownWithoutATrailerAtTheEnd) {
  TempDir dir;
  const std::string file = write_vmt(dir.file("t.vmt"), records(3000), 1000);
  const auto blocks = vmt_blocks(file);
  ASSERT_EQ(blocks.size(), 4U);
  // A pipe cannot be looked at from its end.
  EXPECT_EQ(make_vmt_reader(make_memory_source(file), "pipe")->records_hint(), 0U);
  // An unfinished file has no trailer.
  const std::string cut = file.substr(0, blocks[3].offset);
  EXPECT_EQ(make_reader_from_memory(cut, TraceFormat::Vmt, "t.vmt")->records_hint(), 0U);
  // Nor does one with bytes after its trailer end with one.
  EXPECT_EQ(make_reader_from_memory(file + "junk", TraceFormat::Vmt, "t.vmt")->records_hint(), 0U);
}

TEST(RecordsHint, RecordsInMemoryAndText) {
  VectorReader vector(records(77));
  EXPECT_EQ(vector.records_hint(), 77U);
  EXPECT_EQ(make_reader_from_memory("R 1\nW 2\n", TraceFormat::Text, "t")->records_hint(), 0U);
}

}  // namespace
}  // namespace vmsim
