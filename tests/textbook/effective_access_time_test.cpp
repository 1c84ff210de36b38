// The textbook preset computes what the textbook computes: every page fault is served from the
// backing store at the disk's service time (Silberschatz, Galvin, Gagne, Operating System Concepts,
// 10.2.2: effective access time = (1 - p) x ma + p x page-fault time), not zero-filled.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/tool.hpp"

namespace vmsim::test {
namespace {

using nlohmann::json;

TEST(TextbookPreset, EveryFaultIsServedFromTheBackingStore) {
  const ToolResult r = run_tool("run --preset textbook --refs '1 2 3 1' --frames 3 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["page_faults"], 3);
  EXPECT_EQ(j["major_faults"], 3);
  EXPECT_EQ(j["minor_faults"], 0);
  EXPECT_EQ(j["backing_reads"], 3);
  EXPECT_EQ(j["swap_reads"], 0);
  // By hand, with the preset's machine (20 ns TLB, 100 ns memory, one-level table, 8 ms disk):
  // four references each pay a TLB lookup and the access, 4 x 120 = 480 ns; the three faulting
  // references walk twice (before and after the fault), 6 x 100 = 600 ns; three page-fault
  // services, 3 x 8 ms. The fourth reference hits the TLB.
  EXPECT_EQ(j["tlb_hits"], 1);
  EXPECT_EQ(j["walk_memory_refs"], 6);
  EXPECT_DOUBLE_EQ(j["total_time_ns"].get<double>(), 480.0 + 600.0 + 3 * 8e6);
}

TEST(FirstTouch, ZeroFillIsTheDefaultAndBothModelsAgree) {
  for (const char* model : {"full", "refs"}) {
    const std::string base = std::string("run --refs '1w 2 3 1 4' --frames 2 --policy fifo ") +
                             "--format json --model " + model;
    const json zero = json::parse(run_tool(base).out);
    EXPECT_EQ(zero["minor_faults"], 4) << model;  // 1 2 3 4 zero-filled
    EXPECT_EQ(zero["major_faults"], 1) << model;  // 1 back from swap
    const json disk = json::parse(run_tool(base + " --first-touch backing-store").out);
    // Pages never written come from the backing store: 1 2 3 4; page 1, written, from swap.
    EXPECT_EQ(disk["minor_faults"], 0) << model;
    EXPECT_EQ(disk["major_faults"], 5) << model;
    EXPECT_EQ(disk["backing_reads"], 4) << model;
    EXPECT_EQ(disk["swap_reads"], 1) << model;
  }
}

}  // namespace
}  // namespace vmsim::test
