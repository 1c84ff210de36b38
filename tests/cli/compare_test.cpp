// `vmsim compare` on threads and `--model refs` as users meet them: the output does not depend on
// the thread count, and reference-string mode says what it leaves out.
#include <gtest/gtest.h>

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/tool.hpp"

namespace vmsim::test {
namespace {

using nlohmann::json;

constexpr const char* kTrace = "examples/traces/matmul-naive.lackey.zst";

TEST(CompareCli, OutputIsTheSameWhateverTheThreadCount) {
  // Every format for the fast model; the full model's rows are the same for any format.
  for (const char* model : {"full", "refs"}) {
    for (const char* format : {"table", "csv", "json"}) {
      if (std::string(model) == "full" && std::string(format) != "csv") continue;
      const std::string args = fmt::format(
          "compare {} --policies all --frames 4,32,100 --model {} --format {} --threads ", kTrace,
          model, format);
      const ToolResult one = run_tool(args + "1");
      ASSERT_EQ(one.exit_code, 0) << one.err;
      for (const char* threads : {"2", "3"}) {
        const ToolResult many = run_tool(args + threads);
        ASSERT_EQ(many.exit_code, 0) << many.err;
        EXPECT_EQ(one.out, many.out) << model << " " << format << " threads " << threads;
      }
    }
  }
}

TEST(CompareCli, RowsComeInPolicyThenFramesOrder) {
  const ToolResult r =
      run_tool(fmt::format("compare {} --policies opt,lru,fifo --frames 64,8 --format csv "
                           "--threads 3",
                           kTrace));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> rows;
  for (std::size_t at = r.out.find('\n') + 1; at < r.out.size();) {
    const std::size_t end = r.out.find('\n', at);
    const std::string line = r.out.substr(at, end - at);
    const std::size_t first = line.find(',');
    const std::size_t second = line.find(',', first + 1);
    const std::size_t third = line.find(',', second + 1);
    rows.push_back(line.substr(first + 1, third - first - 1));
    at = end + 1;
  }
  EXPECT_EQ(rows,
            (std::vector<std::string>{"opt,64", "opt,8", "lru,64", "lru,8", "fifo,64", "fifo,8"}));
}

// Every row's columns line up, however long the policy names (enhanced-clock, or a name with
// parameters): the frames column ends at the same place on the header and on every row.
TEST(CompareCli, TableColumnsLineUpWithLongPolicyNames) {
  const ToolResult r = run_tool(fmt::format(
      "compare {} --policies lru,enhanced-clock,arc:p=0.25 --frames 8 --model refs", kTrace));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < r.out.size();) {
    const std::size_t end = r.out.find('\n', at);
    lines.push_back(r.out.substr(at, end - at));
    at = end + 1;
  }
  const auto header = std::find_if(lines.begin(), lines.end(),
                                   [](const std::string& l) { return l.starts_with("policy "); });
  ASSERT_NE(header, lines.end()) << r.out;
  const std::size_t frames_end = header->find("frames") + 6;
  int rows = 0;
  for (auto it = header + 1; it != lines.end() && !it->empty(); ++it, ++rows) {
    // Each row: the policy name, spaces, then the frame count 8 ending where "frames" ends.
    ASSERT_GT(it->size(), frames_end) << *it;
    EXPECT_EQ(it->substr(frames_end - 2, 2), " 8") << *it;
    EXPECT_EQ((*it)[frames_end], ' ') << *it;
  }
  EXPECT_EQ(rows, 3) << r.out;
}

TEST(CompareCli, RefsModelCountsTheSameFaultsAndSaysWhatItLeavesOut) {
  const std::string args =
      fmt::format("run {} --policy clock --frames 16 --format json --model ", kTrace);
  const ToolResult full = run_tool(args + "full");
  const ToolResult refs = run_tool(args + "refs");
  ASSERT_EQ(full.exit_code, 0) << full.err;
  ASSERT_EQ(refs.exit_code, 0) << refs.err;
  const json f = json::parse(full.out);
  const json r = json::parse(refs.out);
  for (const char* key : {"accesses", "page_refs", "page_faults", "minor_faults", "major_faults",
                          "evictions", "dirty_writebacks", "swap_reads", "swap_writes"}) {
    EXPECT_EQ(f[key], r[key]) << key;
  }
  for (const char* key : {"tlb_hits", "tlb_misses", "walks", "walk_memory_refs"}) {
    EXPECT_EQ(r[key], 0) << key;
  }
  EXPECT_EQ(r["config"]["model"], "refs");
  EXPECT_EQ(f["config"]["model"], "full");
  // No TLB lookups and no walks: memory, fault and swap time only.
  const double refs_time =
      100.0 * r["page_refs"].get<double>() + 1000.0 * r["minor_faults"].get<double>() +
      100000.0 * (r["swap_reads"].get<double>() + r["swap_writes"].get<double>());
  EXPECT_DOUBLE_EQ(r["total_time_ns"].get<double>(), refs_time);

  const ToolResult table =
      run_tool(fmt::format("run {} --policy clock --frames 16 --model refs", kTrace));
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("not modelled"), std::string::npos) << table.out;
  const ToolResult grid =
      run_tool(fmt::format("compare {} --policies lru --frames 16 --model refs", kTrace));
  ASSERT_EQ(grid.exit_code, 0) << grid.err;
  EXPECT_NE(grid.out.find("model refs"), std::string::npos) << grid.out;
}

TEST(CompareCli, StandardInputIsReadOnceForEveryModel) {
  const std::string trace =
      Scratch::read(std::string(VMSIM_SOURCE_DIR) + "/examples/traces/small.trace");
  for (const char* model : {"full", "refs"}) {
    const ToolResult piped = run_tool(
        fmt::format("compare - --policies opt,lru --frames 2,3 --format csv --model {}", model),
        trace);
    const ToolResult file = run_tool(fmt::format(
        "compare examples/traces/small.trace --policies opt,lru --frames 2,3 --format csv "
        "--model {}",
        model));
    ASSERT_EQ(piped.exit_code, 0) << piped.err;
    ASSERT_EQ(file.exit_code, 0) << file.err;
    // Only the trace name differs.
    std::string expected = file.out;
    for (std::size_t at = 0;
         (at = expected.find("examples/traces/small.trace", at)) != std::string::npos;) {
      // erase + insert of a char: GCC 12 misreads replace() with a literal as an overlapping copy.
      expected.erase(at, 27);
      expected.insert(at, 1, '-');
      ++at;
    }
    EXPECT_EQ(piped.out, expected) << model;
  }
}

TEST(CompareCli, BadThreadCountIsAClearError) {
  const ToolResult r = run_tool("compare --refs '1 2 3' --frames 2 --threads lots");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("threads"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vmsim::test
