// The command line as users meet it: outputs, exit codes and messages.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/tool.hpp"

namespace vmsim::test {
namespace {

using nlohmann::json;

TEST(Cli, RunJsonHasTheDocumentedKeys) {
  const ToolResult r =
      run_tool("run --refs '1 2 3 4 1 2 5 1 2 3 4 5' --frames 3 --policy fifo --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  for (const char* key :
       {"accesses", "reads", "writes", "page_faults", "minor_faults", "major_faults", "evictions",
        "dirty_writebacks", "swap_reads", "swap_writes", "tlb_hits", "tlb_misses",
        "walk_memory_refs", "page_table_pages", "effective_access_time_ns", "config"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["page_faults"], 9);  // Belady's string, FIFO, 3 frames
  EXPECT_EQ(j["accesses"], 12);
  EXPECT_EQ(j["config"]["frames"], 3);
  EXPECT_EQ(j["config"]["policy"], "fifo");
  EXPECT_EQ(j["config"]["page-size"], "4KiB");
}

// docs/events.md's example (examples/traces/regions.trace): its first protection fault is the
// write to the r-- page after 3 page references (0x400000, then 0x600010 read and written).
// `--on-segv stop` ends the run there with exit status 3, the report still written, in both
// models; without it the run goes on and exits 0.
TEST(Cli, OnSegvStopExitsThreeAfterTheReport) {
  for (const char* model : {"full", "refs"}) {
    const ToolResult r = run_tool(std::string("run examples/traces/regions.trace --frames 4 ") +
                                  "--on-segv stop --format json --model " + model);
    ASSERT_EQ(r.exit_code, 3) << model << ": " << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["stopped_at_protection_fault"], true) << model;
    EXPECT_EQ(j["page_refs"], 3) << model;
    EXPECT_EQ(j["protection_faults"], 1) << model;
    ASSERT_EQ(j["protection_fault_list"].size(), 1U) << model;
    EXPECT_EQ(j["protection_fault_list"][0]["addr"], "0x602000") << model;
    EXPECT_EQ(j["protection_fault_list"][0]["op"], "write") << model;
    EXPECT_EQ(j["protection_fault_list"][0]["region"]["prot"], "r--") << model;
  }
  const ToolResult go_on = run_tool("run examples/traces/regions.trace --frames 4 --format json");
  ASSERT_EQ(go_on.exit_code, 0) << go_on.err;
  EXPECT_EQ(json::parse(go_on.out)["stopped_at_protection_fault"], false);
}

// The per-process table shows every count the JSON report has, in the JSON's order, between the
// pid and the PSS. small.trace at 4 frames, worked in docs/cli.md: pid 1 faults 5 times, all minor,
// and peaks at 4 pages.
TEST(Cli, PerProcessTableHasEveryJsonCount) {
  const std::string run = "run examples/traces/small.trace --frames 4 --per-process";
  const ToolResult table = run_tool(run);
  const ToolResult as_json = run_tool(run + " --format json");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  const nlohmann::ordered_json processes =
      nlohmann::ordered_json::parse(as_json.out)["per_process"];
  ASSERT_EQ(processes.size(), 3U);
  const nlohmann::ordered_json& p1 = processes[1];
  EXPECT_EQ(p1["pid"], 1);
  EXPECT_EQ(p1["page_faults"], 5);
  EXPECT_EQ(p1["minor_faults"], 5);
  EXPECT_EQ(p1["peak_resident"], 4);
  // The row of pid 1: its fields are the pid, then each count as the JSON lists it, then the PSS.
  std::string expected = "1";
  for (const auto& [key, value] : p1.items()) {
    if (key == "pid" || key == "pss") continue;
    expected += ' ';
    expected += std::to_string(value.get<std::uint64_t>());
  }
  expected += " 0.00";
  bool found = false;
  std::istringstream lines(table.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string row;
    for (std::string w; words >> w;) {
      if (!row.empty()) row += ' ';
      row += w;
    }
    if (row == expected) found = true;
  }
  EXPECT_TRUE(found) << "no row \"" << expected << "\" in:\n" << table.out;
  EXPECT_NE(table.out.find("swap_in"), std::string::npos) << table.out;
}

// The kernel's names for the counters it also keeps, from include/linux/vm_event_item.h
// (PGFAULT, PGMAJFAULT, PSWPIN, PSWPOUT, PGSTEAL_DIRECT): metadata beside the self-explaining keys,
// which stay as they were.
TEST(Cli, JsonNamesTheKernelCounters) {
  for (const char* command : {"run", "compare"}) {
    const ToolResult r = run_tool(std::string(command) +
                                  " --refs '1 2 3 1w 4 1' --frames 2 --policy lru --format json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json info = json::parse(r.out)["counter_info"];
    ASSERT_TRUE(info.is_object()) << command;
    EXPECT_EQ(info["page_faults"]["vmstat"], "pgfault") << command;
    EXPECT_EQ(info["major_faults"]["vmstat"], "pgmajfault") << command;
    EXPECT_EQ(info["swap_reads"]["vmstat"], "pswpin") << command;
    EXPECT_EQ(info["swap_writes"]["vmstat"], "pswpout") << command;
    EXPECT_EQ(info["evictions"]["vmstat"], "pgsteal_direct") << command;
    EXPECT_TRUE(info["accesses"]["vmstat"].is_null()) << command;  // Linux counts no references
    EXPECT_EQ(info["peak_resident"]["unit"], "frames") << command;
    EXPECT_EQ(info["tlb_hits"]["models"], "full") << command;
    EXPECT_EQ(info["page_faults"]["models"], "all") << command;
  }
  // LRU, 2 frames, 1 2 3 1w 4 1: faults at 1, 2, 3 (evicts 1), 1 (evicts 2), 4 (evicts 3),
  // and 1 hits: 5 faults, 3 evictions.
  const json j =
      json::parse(run_tool("run --refs '1 2 3 1w 4 1' --frames 2 --policy lru --format json").out);
  EXPECT_EQ(j["page_faults"], 5);
  EXPECT_EQ(j["evictions"], 3);
}

TEST(Cli, WriteSuffixesMakeWrites) {
  const ToolResult r = run_tool("run --refs '1w 2 1* 3,3W' --frames 4 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["writes"], 3);
  EXPECT_EQ(j["reads"], 2);
  EXPECT_EQ(j["page_faults"], 3);
}

TEST(Cli, CompareShowsBeladysAnomaly) {
  const ToolResult r = run_tool(
      "compare --refs '1 2 3 4 1 2 5 1 2 3 4 5' --policies fifo,lru,opt --frames 3,4 --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string header, line;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("trace,policy,frames,accesses,", 0), 0U) << header;
  std::vector<std::string> rows;
  while (std::getline(lines, line)) rows.push_back(line);
  ASSERT_EQ(rows.size(), 6U);
  // trace,policy,frames,accesses,reads,writes,fetches,page_refs,page_faults,...
  auto faults_of = [](const std::string& row) {
    std::istringstream fields(row);
    std::string field;
    for (int i = 0; i < 9; ++i) std::getline(fields, field, ',');
    return std::stoi(field);
  };
  EXPECT_EQ(faults_of(rows[0]), 9);   // fifo 3
  EXPECT_EQ(faults_of(rows[1]), 10);  // fifo 4: the anomaly
  EXPECT_EQ(faults_of(rows[2]), 10);  // lru 3
  EXPECT_EQ(faults_of(rows[3]), 8);   // lru 4
  EXPECT_EQ(faults_of(rows[4]), 7);   // opt 3
  EXPECT_EQ(faults_of(rows[5]), 6);   // opt 4
}

TEST(Cli, UnknownPolicyListsValidOnes) {
  const ToolResult r = run_tool("run --refs '1 2' --policy lfru");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown policy 'lfru' (valid: fifo, lru, clock, opt, random"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(Cli, UnknownOptionListsValidOnes) {
  const ToolResult r = run_tool("run --refs '1 2' --frame 3");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--frame"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("valid options for 'run':"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--frames"), std::string::npos) << r.err;
}

TEST(Cli, BadOptionValueIsAClearError) {
  const ToolResult r = run_tool("run --refs '1 2' --memory 10q");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("memory: unknown size suffix 'q'"), std::string::npos) << r.err;
}

TEST(Cli, MalformedTraceReportsFileAndLineAndWritesNothing) {
  Scratch dir;
  const std::string trace = dir.write("bad.trace", "R 0x1000\nW 0x2000 8\nQ 0x3000\n");
  const std::string out = dir.file("report.json");
  const ToolResult r = run_tool("run '" + trace + "' --format json -o '" + out + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(trace + ":3: "), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_EQ(dir.entries(), 1U);  // no temporary file left behind
}

TEST(Cli, OutputFileIsWrittenWholeAndMatchesStdout) {
  Scratch dir;
  const std::string out = dir.file("r.csv");
  const std::string args = "run --refs '7 0 1 2 0 3 0 4' --frames 3 --format csv";
  const ToolResult to_file = run_tool(args + " -o '" + out + "'");
  ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
  EXPECT_TRUE(to_file.out.empty());
  EXPECT_EQ(Scratch::read(out), run_tool(args).out);
  EXPECT_EQ(dir.entries(), 1U);
}

TEST(Cli, EmptyTraceIsAValidRun) {
  Scratch dir;
  const std::string trace = dir.write("empty.trace", "");
  const ToolResult r = run_tool("run '" + trace + "' --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["accesses"], 0);
}

TEST(Cli, MissingTraceFileIsAClearError) {
  const ToolResult r = run_tool("run /nonexistent/trace.txt");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/trace.txt"), std::string::npos) << r.err;
}

TEST(Cli, ConfigFileErrorsCarryFileAndLine) {
  Scratch dir;
  const std::string config = dir.write("m.toml", "frames = 8\npolicy = \"lru\"\nframes_typo = 3\n");
  ToolResult r = run_tool("run --refs '1' --config '" + config + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(config + ":3: unknown setting 'frames_typo'"), std::string::npos) << r.err;

  const std::string bad_value = dir.write("v.toml", "\npage-size = \"4 apples\"\n");
  r = run_tool("run --refs '1' --config '" + bad_value + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(bad_value + ":2: "), std::string::npos) << r.err;
}

TEST(Cli, ConfigFileThenFlagsOverride) {
  Scratch dir;
  const std::string config = dir.write("m.toml", "frames = 4\npolicy = \"fifo\"\n");
  // Belady's string: the file's FIFO with 4 frames gives 10; the flag overrides frames to 3 -> 9.
  ToolResult r =
      run_tool("run --refs '1 2 3 4 1 2 5 1 2 3 4 5' --format json --config '" + config + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["page_faults"], 10);
  r = run_tool("run --refs '1 2 3 4 1 2 5 1 2 3 4 5' --format json --frames 3 --config '" + config +
               "'");
  EXPECT_EQ(json::parse(r.out)["page_faults"], 9);
}

TEST(Cli, PresetsSetTheMachine) {
  // x86-32: two levels of 10 bits, 4-byte PTEs. One page: root + one table = 2 table pages.
  const ToolResult r = run_tool("run --refs '5' --preset x86-32 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["config"]["va-bits"], 32);
  EXPECT_EQ(j["config"]["pt-bits"], "10,10");
  EXPECT_EQ(j["page_table_pages"], 2);
  const ToolResult bad = run_tool("run --refs '5' --preset vax");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown preset 'vax' (valid: "), std::string::npos) << bad.err;
}

TEST(Cli, MemoryInBytesSetsFrames) {
  const ToolResult r = run_tool("run --refs '1' --memory 64MiB --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["config"]["frames"], 16384);  // 64 MiB / 4 KiB
}

TEST(Cli, ListPoliciesNamesEachWithItsSource) {
  const ToolResult r = run_tool("--list-policies");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name : {"fifo", "lru", "clock", "opt", "random"}) {
    EXPECT_NE(r.out.find(std::string(name) + " "), std::string::npos) << name;
  }
  EXPECT_NE(r.out.find("Belady"), std::string::npos);
}

TEST(Cli, HelpDescribesEveryOption) {
  const ToolResult top = run_tool("--help");
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("run"), std::string::npos);
  EXPECT_NE(top.out.find("compare"), std::string::npos);
  const ToolResult run = run_tool("run --help");
  EXPECT_EQ(run.exit_code, 0);
  for (const char* option :
       {"--frames", "--memory", "--policy", "--tlb-entries", "--page-table", "--va-bits",
        "--pt-levels", "--swap-device", "--swap-cache", "--format", "--output", "--input-format",
        "--refs", "--preset", "--config", "--seed"}) {
    EXPECT_NE(run.out.find(option), std::string::npos) << option;
  }
}

TEST(Cli, NoInputIsAnError) {
  const ToolResult r = run_tool("run --frames 3");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no input"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vmsim::test

namespace vmsim::test {
namespace {

TEST(Cli, StandardInputWorksForOnePassRuns) {
  const ToolResult r =
      run_tool("run - --frames 3 --policy fifo --format json", "1 2 3 4 1 2 5 1 2 3 4 5\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["page_faults"], 9);  // detected as a reference string
}

// OPT and compare read standard input once, into memory, and then run from there.
TEST(Cli, TwoPassRunsReadStandardInputOnce) {
  const std::string belady = "1 2 3 4 1 2 5 1 2 3 4 5\n";
  ToolResult r = run_tool("run - --frames 3 --policy opt --format json", belady);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["page_faults"], 7);
  r = run_tool("compare - --frames 3,4 --policies fifo,opt --format json", belady);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json runs = json::parse(r.out)["runs"];
  ASSERT_EQ(runs.size(), 4U);
  EXPECT_EQ(runs[0]["page_faults"], 9);   // fifo, 3 frames
  EXPECT_EQ(runs[1]["page_faults"], 10);  // fifo, 4 frames: Belady's anomaly
  EXPECT_EQ(runs[2]["page_faults"], 7);   // opt, 3 frames
  EXPECT_EQ(runs[3]["page_faults"], 6);   // opt, 4 frames
}

}  // namespace
}  // namespace vmsim::test

namespace vmsim::test {
namespace {

// Found by fuzz_config: a zero page size used to reach a division in `memory`.
TEST(Cli, PageSizeMustBeAPowerOfTwoBeforeMemoryUsesIt) {
  ToolResult r = run_tool("run --refs 1 --page-size 0KiB --memory 1MiB");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("page-size: 0KiB is not a power of two"), std::string::npos) << r.err;
  r = run_tool("run --refs 1 --page-size 3000");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("page-size: 3000 is not a power of two"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vmsim::test
