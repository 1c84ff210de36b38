// `trace info`'s one-pass summary, on a trace built by hand.
#include <gtest/gtest.h>

#include "report/trace_summary_report.hpp"
#include "stats/trace_summary.hpp"

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

TEST(TraceSummary, JsonCarriesTheCounts) {
  VectorReader reader({Access{0x10, 8, 3, Op::Write}});
  const std::string json =
      render_trace_summary(summarize_trace(reader, "t", "text", 4096), ReportFormat::Json);
  EXPECT_NE(json.find("\"writes\": 1"), std::string::npos) << json;
  EXPECT_NE(json.find("\"pid\": 3"), std::string::npos) << json;
}

}  // namespace
}  // namespace vmsim
