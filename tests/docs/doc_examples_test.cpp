// Every command shown in the README and docs/cli.md runs as documented: each line in a ```sh block
// that starts with `build/vmsim` or `vmsim` is run from a scratch directory holding the examples,
// and must succeed. A few carry checked figures, asserted below from the textbook values they
// quote.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "support/tool.hpp"

namespace vmsim::test {
namespace {

std::vector<std::string> shell_commands(const std::string& doc) {
  std::istringstream in(Scratch::read(std::string(VMSIM_SOURCE_DIR) + "/" + doc));
  std::vector<std::string> out;
  std::string line;
  bool in_sh = false;
  while (std::getline(in, line)) {
    if (line.rfind("```", 0) == 0) {
      in_sh = !in_sh && line == "```sh";
      continue;
    }
    if (!in_sh) continue;
    for (const std::string prefix : {"build/vmsim ", "vmsim "}) {
      if (line.rfind(prefix, 0) == 0) {
        std::string args = line.substr(prefix.size());
        // Drop a trailing comment, written as three or more spaces and a #.
        const std::size_t hash = args.find("   #");
        if (hash != std::string::npos) args = args.substr(0, hash);
        out.push_back(args);
      }
    }
  }
  return out;
}

// Runs the documented commands from a scratch directory with `examples` linked in, so that
// outputs (-o) land in the scratch directory.
void run_documented(const std::string& doc, std::size_t at_least) {
  Scratch dir;
  std::filesystem::create_directory_symlink(std::string(VMSIM_SOURCE_DIR) + "/examples",
                                            dir.file("examples"));
  const std::vector<std::string> commands = shell_commands(doc);
  EXPECT_GE(commands.size(), at_least) << doc;
  for (const std::string& args : commands) {
    const std::size_t files_before = dir.entries();
    const ToolResult r = run_tool(args, "", dir.path().string());
    EXPECT_EQ(r.exit_code, 0) << doc << ": vmsim " << args << "\n" << r.err;
    // Every example shows something: a report on stdout or a new file.
    EXPECT_TRUE(!r.out.empty() || dir.entries() > files_before) << doc << ": vmsim " << args;
  }
}

TEST(DocExamples, ReadmeCommandsRun) {
  run_documented("README.md", 7);
}

TEST(DocExamples, CliDocCommandsRun) {
  run_documented("docs/cli.md", 4);
}

TEST(DocExamples, EventsDocCommandsRun) {
  run_documented("docs/events.md", 2);
}

// The figures the docs quote, checked: each command must appear in its document as written, and its
// JSON report must hold the figures worked out by hand (or quoted from the textbook) beside it.
struct QuotedFigures {
  const char* doc;
  const char* command;  // as in the document, after `build/vmsim ` or `vmsim `
  // For compare, the rows as "policy/frames=page_faults"; for run, "key=value" of the report.
  std::vector<std::string> figures;
};

TEST(DocExamples, QuotedFiguresAreTheResults) {
  const QuotedFigures quoted[] = {
      // Silberschatz et al., Operating System Concepts, 9.4.4: LRU with three frames, 12 faults.
      {"README.md",
       "run --refs \"7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1\" --frames 3 --policy lru",
       {"page_faults=12"}},
      // Belady's anomaly (9.4.2): FIFO 9 faults with 3 frames, 10 with 4; LRU 10 and 8; OPT 7, 6.
      {"README.md",
       "compare --refs \"1 2 3 4 1 2 5 1 2 3 4 5\" --policies fifo,lru,opt --frames 3,4",
       {"fifo/3=9", "fifo/4=10", "lru/3=10", "lru/4=8", "opt/3=7", "opt/4=6"}},
      // By hand: 1w 2 | 3 evicts dirty 1 (write) | 1 back from swap (major), evicts 2 | 4 evicts 3
      // | 5 evicts 1, dirty again (its slot freed at swap-in) | 1 back (major): 7 faults, 2 major,
      // 2 swap writes, 2 swap reads.
      {"README.md",
       "run --refs \"1w 2 3 1 4 5 1\" --frames 2 --policy fifo --format json",
       {"page_faults=7", "major_faults=2", "swap_writes=2", "swap_reads=2"}},
      {"docs/cli.md",
       "run --refs \"1 2 3 1 2 4\" --config examples/config/machine.toml --frames 2",
       // FIFO (from the file) over 2 frames (the flag): 1 2 | 3 evicts 1 | 1 evicts 2 | 2 evicts 3
       // | 4 evicts 1: every reference faults.
       {"page_faults=6", "config.policy=fifo", "config.frames=2"}},
      // By hand (docs/events.md): X 0x400000, R and W 0x600010, W 0x602000 after mprotect and
      // process 2's W 0x900000 are the 5 references; 4 first touches fault; the write to r--,
      // the fetch from rw-, the read outside every region and the read of the unmapped page are
      // the 4 protection faults.
      {"docs/events.md",
       "run examples/traces/regions.trace --frames 4",
       {"page_refs=5", "page_faults=4", "protection_faults=4", "tlb_hits=1"}},
      // By hand (docs/events.md): the fetch, the two heap writes and the read after @exec are
      // the 4 references, each a first touch; the read above the shrunk break is the protection
      // fault; the shrink frees heap page 0x602000 and the exec the code page and page 0x601000.
      {"docs/events.md",
       "run examples/traces/heap.trace --frames 4",
       {"page_refs=4", "page_faults=4", "protection_faults=1", "freed_at_munmap=1",
        "freed_at_exit=2", "execs=1"}},
      // By hand (docs/cli.md): process 0's two first touches stay resident; process 1 faults 5
      // times (its first @mmap unmaps the 4 pages it had, then one write), and ends with none;
      // the child faults once (its own page) and had 2 at most (the shared one and that).
      {"docs/cli.md",
       "run examples/traces/small.trace --frames 4 --per-process",
       {"per_process.0.pid=0", "per_process.0.resident=2", "per_process.0.pss=2.0",
        "per_process.1.pid=1", "per_process.1.page_faults=5", "per_process.1.peak_resident=4",
        "per_process.1.resident=0", "per_process.2.pid=2", "per_process.2.page_faults=1",
        "per_process.2.peak_resident=2"}},
      // By hand (docs/cli.md): the code region (2 pages) has the fetched page; the data region
      // split by the @mmap of 0x602000 and the @munmap of 0x601000 leaves 0x600000-0x601000
      // (read and written), 0x602000-0x603000 (made writable, written) and 0x603000-0x604000
      // (never touched).
      {"docs/cli.md",
       "run examples/traces/regions.trace --frames 4 --per-process",
       {"per_region.0.start=0x400000", "per_region.0.end=0x402000", "per_region.0.prot=r-x",
        "per_region.0.pages=2", "per_region.0.resident=1", "per_region.1.start=0x600000",
        "per_region.1.end=0x601000", "per_region.1.resident=1", "per_region.2.start=0x602000",
        "per_region.2.prot=rw-", "per_region.2.resident=1", "per_region.3.start=0x603000",
        "per_region.3.end=0x604000", "per_region.3.resident=0", "per_region.3.pss=0.0"}},
  };
  for (const QuotedFigures& q : quoted) {
    const std::vector<std::string> commands = shell_commands(q.doc);
    std::string cmd = q.command;
    EXPECT_NE(std::find(commands.begin(), commands.end(), cmd), commands.end())
        << q.doc << " no longer shows: " << cmd;
    if (cmd.find("--format json") == std::string::npos) cmd += " --format json";
    const ToolResult r = run_tool(cmd);
    ASSERT_EQ(r.exit_code, 0) << cmd << "\n" << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    for (const std::string& figure : q.figures) {
      const std::size_t eq = figure.find('=');
      const std::string key = figure.substr(0, eq);
      const std::string want = figure.substr(eq + 1);
      const std::size_t slash = key.find('/');
      if (slash != std::string::npos) {
        bool found = false;
        for (const nlohmann::json& row : j["runs"]) {
          if (row["policy"] == key.substr(0, slash) &&
              row["frames"] == std::stoull(key.substr(slash + 1))) {
            EXPECT_EQ(row["page_faults"].dump(), want) << cmd << ": " << key;
            found = true;
          }
        }
        EXPECT_TRUE(found) << cmd << ": no row " << key;
        continue;
      }
      // A dotted path: object keys, and array indexes for arrays ("per_process.1.pss").
      const nlohmann::json* value = &j;
      for (std::size_t from = 0;;) {
        const std::size_t dot = key.find('.', from);
        const std::string part = key.substr(from, dot - from);
        value = value->is_array() ? &value->at(std::stoul(part)) : &value->at(part);
        if (dot == std::string::npos) break;
        from = dot + 1;
      }
      const std::string got = value->is_string() ? value->get<std::string>() : value->dump();
      EXPECT_EQ(got, want) << cmd << ": " << key;
    }
  }
}

}  // namespace
}  // namespace vmsim::test
