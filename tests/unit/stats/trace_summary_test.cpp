// `trace info`'s one-pass summary, on a trace built by hand.
#include <gtest/gtest.h>

#include "report/trace_summary_report.hpp"
#include "stats/trace_summary.hpp"
#include "unit/trace/trace_test_util.hpp"

namespace vmsim {
namespace {

TEST(TraceSummary, CountsByOperationPidAndPage) {
  // pid 1: read page 0, write page 0 again, fetch crossing pages 1 and 2. pid 2: read page 0 (its
  // own). One fork event.
  VectorReader reader({Access{0x10, 8, 1, Op::Read}, Access{0x20, 8, 1, Op::Write},
                       Access{0x1ffe, 4, 1, Op::Fetch}, Access{2, 1, 1, Op::Fork},
                       Access{0x30, 2, 2, Op::Read}});
  const TraceSummary s = summarize_trace(reader, "t", "text", 4096);
  EXPECT_EQ(s.records, 5U);
  EXPECT_EQ(s.accesses, 4U);
  EXPECT_EQ(s.reads, 2U);
  EXPECT_EQ(s.writes, 1U);
  EXPECT_EQ(s.fetches, 1U);
  EXPECT_EQ(s.bytes_accessed, 22U);
  EXPECT_EQ(s.page_refs, 5U);       // the fetch at 0x1ffe..0x2001 touches pages 1 and 2
  EXPECT_EQ(s.distinct_pages, 4U);  // (1,0) (1,1) (1,2) (2,0)
  EXPECT_EQ(s.footprint_bytes(), 4U * 4096);
  EXPECT_EQ(s.events.at("fork"), 1U);
  ASSERT_EQ(s.pids.size(), 2U);
  EXPECT_EQ(s.pids.at(1).distinct_pages, 3U);
  EXPECT_EQ(s.pids.at(1).min_addr, 0x10U);
  EXPECT_EQ(s.pids.at(1).max_addr, 0x2001U);
  EXPECT_EQ(s.pids.at(2).accesses, 1U);
  EXPECT_EQ(s.pids.at(2).max_addr, 0x31U);
}

TEST(TraceSummary, LargerPagesMergePages) {
  VectorReader reader({Access{0x0, 1, 0, Op::Read}, Access{0x1000, 1, 0, Op::Read},
                       Access{0x3000, 1, 0, Op::Read}});
  EXPECT_EQ(summarize_trace(reader, "t", "text", 8192).distinct_pages, 2U);  // 8 KiB pages 0 and 1
}

// 10,000 text lines read in batches of at most 4096 records: at least three calls, never going
// back, each with the file's size as the total, the last at its end.
TEST(TraceSummary, ReportsProgressAfterEveryBatch) {
  test::TempDir dir;
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "1 R 0x1000 8\n";
  const std::string path = dir.write("t.trace", text);
  TraceSpec spec;
  spec.path = path;
  auto reader = open_trace(spec);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
  const TraceSummary s = summarize_trace(
      *reader, "t", "text", 4096,
      [&](std::uint64_t consumed, std::uint64_t total) { calls.emplace_back(consumed, total); });
  EXPECT_EQ(s.accesses, 10000U);
  ASSERT_GE(calls.size(), 3U);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].second, text.size());
    if (i > 0) {
      EXPECT_GE(calls[i].first, calls[i - 1].first);
    }
  }
  EXPECT_EQ(calls.back().first, text.size());
}

TEST(TraceSummary, JsonCarriesTheCounts) {
  VectorReader reader({Access{0x10, 8, 3, Op::Write}});
  const std::string json =
      render_trace_summary(summarize_trace(reader, "t", "text", 4096), ReportFormat::Json);
  EXPECT_NE(json.find("\"writes\": 1"), std::string::npos) << json;
  EXPECT_NE(json.find("\"pid\": 3"), std::string::npos) << json;
}

}  // namespace
}  // namespace vmsim
