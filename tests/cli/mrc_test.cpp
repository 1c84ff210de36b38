// `vmsim mrc` as users run it: the three formats, size lists, SHARDS, plots and the errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "support/tool.hpp"

namespace vmsim::test {
namespace {

using nlohmann::json;

const std::string kSilberschatzRefs = "--refs \"7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1\"";

json mrc_json(const std::string& args) {
  const ToolResult r = run_tool("mrc " + args + " --format json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

TEST(MrcCommand, TextbookFiguresInEveryFormat) {
  const json j = mrc_json(kSilberschatzRefs + " --policy lru,opt");
  ASSERT_EQ(j["curves"].size(), 2U);
  EXPECT_EQ(j["page_refs"], 20);
  const json& lru = j["curves"][0];
  const json& opt = j["curves"][1];
  EXPECT_EQ(lru["policy"], "lru");
  EXPECT_EQ(lru["distinct_pages"], 6);
  // Every size from 1 to the 6 distinct pages by default on a small trace.
  ASSERT_EQ(lru["points"].size(), 6U);
  EXPECT_EQ(lru["points"][2]["frames"], 3);
  EXPECT_EQ(lru["points"][2]["memory_bytes"], 3 * 4096);
  EXPECT_EQ(lru["points"][2]["faults"], 12);
  EXPECT_DOUBLE_EQ(lru["points"][2]["miss_ratio"].get<double>(), 0.6);
  EXPECT_EQ(opt["points"][2]["faults"], 9);

  const ToolResult csv = run_tool("mrc " + kSilberschatzRefs + " --format csv --frames 3,4");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out,
            "policy,method,frames,memory_bytes,faults,miss_ratio,undersampled\n"
            "lru,exact,3,12288,12,0.600000,false\n"
            "lru,exact,4,16384,8,0.400000,false\n");

  const ToolResult table = run_tool("mrc " + kSilberschatzRefs + " --policy opt --frames 3");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("opt faults"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("12KiB"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("0.450000"), std::string::npos) << table.out;
}

TEST(MrcCommand, TheLruCurveFreesExitedPagesAsRunDoes) {
  // LRU, 2 frames: 2:c 1:a fault; @exit 1 frees a's frame, so 2:d faults into it and 2:c hits:
  // `run` counts 3 faults. The curve's stack turns a into a hole at the exit, and 2:d's first
  // reference fills it instead of pushing c down, so the last 2:c is at distance 2, a hit: 3
  // faults, as run (with a kept in the stack it would be at distance 3, a miss). OPT faults the
  // same with and without the free (the dead a is what it evicts for d): 3 as well.
  Scratch dir;
  const std::string trace =
      dir.write("exit.trace", "2 R 0x3000\n1 R 0x1000\n@exit 1\n2 R 0x4000\n2 R 0x3000\n");
  const ToolResult run = run_tool("run '" + trace + "' --policy lru --frames 2 --format json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(json::parse(run.out)["page_faults"], 3);
  const ToolResult mrc = run_tool("mrc '" + trace + "' --frames 2 --format json");
  ASSERT_EQ(mrc.exit_code, 0) << mrc.err;
  EXPECT_EQ(json::parse(mrc.out)["curves"][0]["points"][0]["faults"], 3);
  EXPECT_EQ(mrc.err, "");
  const ToolResult opt = run_tool("mrc '" + trace + "' --frames 2 --policy opt --format json");
  ASSERT_EQ(opt.exit_code, 0) << opt.err;
  EXPECT_EQ(json::parse(opt.out)["curves"][0]["points"][0]["faults"], 3);
  const ToolResult run_opt = run_tool("run '" + trace + "' --policy opt --frames 2 --format json");
  ASSERT_EQ(run_opt.exit_code, 0) << run_opt.err;
  EXPECT_EQ(json::parse(run_opt.out)["page_faults"], 3);
}

TEST(MrcCommand, SizeListsAndPageSize) {
  const json ranged = mrc_json(kSilberschatzRefs + " --frames 2-4,9");
  std::vector<int> frames;
  for (const json& p : ranged["curves"][0]["points"]) frames.push_back(p["frames"]);
  EXPECT_EQ(frames, (std::vector<int>{2, 3, 4, 9}));
  // Beyond the footprint only first references fault.
  EXPECT_EQ(ranged["curves"][0]["points"][3]["faults"], 6);

  const json points = mrc_json("examples/traces/matmul-naive.lackey.zst --points 5");
  const json& pts = points["curves"][0]["points"];
  ASSERT_EQ(pts.size(), 5U);
  EXPECT_EQ(pts[0]["frames"], 1);
  EXPECT_EQ(pts[4]["frames"], points["curves"][0]["distinct_pages"]);

  const json big_pages = mrc_json(kSilberschatzRefs + " --page-size 8KiB --frames 1");
  EXPECT_EQ(big_pages["page_size"], 8192);
  EXPECT_EQ(big_pages["curves"][0]["points"][0]["memory_bytes"], 8192);
}

TEST(MrcCommand, ShardsOnARecordedTrace) {
  const json j =
      mrc_json("examples/traces/matmul-blocked.lackey.zst --sample-rate 0.5 --points 10");
  const json& c = j["curves"][0];
  EXPECT_EQ(c["method"], "shards");
  EXPECT_DOUBLE_EQ(c["sample_rate"].get<double>(), 0.5);
  EXPECT_GT(c["sampled_refs"].get<int>(), 0);
  const json fixed = mrc_json("examples/traces/matmul-blocked.lackey.zst --sample-size 20");
  EXPECT_LE(fixed["curves"][0]["sampled_pages"].get<int>(), 95);
  EXPECT_LT(fixed["curves"][0]["sample_rate"].get<double>(), 1.0);
  EXPECT_FALSE(fixed["curves"][0].contains("dense_rate"));  // fixed-size has none
  // At 5% the dense sample is at 10% (twice, capped at 0.1) to 4,096 / 0.1 frames, and trusted
  // from 100 / 0.1 frames.
  const json dense =
      mrc_json("examples/traces/matmul-blocked.lackey.zst --sample-rate 0.05 --points 10");
  EXPECT_DOUBLE_EQ(dense["curves"][0]["dense_rate"].get<double>(), 0.1);
  EXPECT_EQ(dense["curves"][0]["dense_frames"], 40'960);
  EXPECT_EQ(dense["curves"][0]["trusted_from_frames"], 1'000);
  EXPECT_FALSE(c.contains("dense_rate"));  // none from a rate of 0.1 up
}

// The case: --sample-size 500 on zipf over 20,000 pages keeps 500 pages, and the sizes
// where fewer than 100 sampled pages fit (frames x rate < 100, worked out here from the reported
// rate) are flagged in every format.
TEST(MrcCommand, FixedSizeSampleStaysWithinItsBoundAndFlagsSmallMemories) {
  Scratch dir;
  const std::string trace = dir.file("skewed.vmt");
  ASSERT_EQ(run_tool("trace gen zipf --alpha 0.9 --pages 20000 --length 500000 -o '" + trace + "'")
                .exit_code,
            0);
  const std::string args = "mrc '" + trace + "' --sample-size 500 --frames 100,1000,10000,20000";
  const json j = mrc_json(args.substr(4));
  const json& c = j["curves"][0];
  EXPECT_EQ(c["sampled_pages"], 500);
  EXPECT_EQ(c["sample_size"], 500);
  EXPECT_LE(c["peak_sampled_pages"].get<int>(), 500);
  const double rate = c["sample_rate"].get<double>();
  ASSERT_GT(rate, 0.005);  // about 500 of 20,000 pages
  ASSERT_LT(rate, 0.05);
  std::vector<bool> flags;
  for (const json& point : c["points"]) {
    const double frames = point["frames"].get<double>();
    EXPECT_EQ(point["undersampled"].get<bool>(), frames * rate < 100) << frames;
    flags.push_back(point["undersampled"].get<bool>());
  }
  EXPECT_EQ(flags, (std::vector<bool>{true, true, false, false}));
  EXPECT_EQ(c["trusted_from_frames"].get<double>(), std::ceil(100 / rate));

  const ToolResult csv = run_tool(args + " --format csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_NE(csv.out.find(",100,409600,"), std::string::npos);
  EXPECT_NE(csv.out.find(",true\nlru,shards,1000,"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find(",false\nlru,shards,20000,"), std::string::npos) << csv.out;
  const ToolResult table = run_tool(args);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("500 sampled pages (at most 500;"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("* fewer than 100 sampled pages fit"), std::string::npos) << table.out;
}

TEST(MrcCommand, PlotsPngAndSvg) {
  Scratch dir;
  const ToolResult png =
      run_tool("mrc examples/traces/listwalk.lackey.zst --policy lru,opt --plot '" +
               dir.file("c.png") + "'");
  ASSERT_EQ(png.exit_code, 0) << png.err;
  EXPECT_EQ(Scratch::read(dir.file("c.png")).substr(1, 3), "PNG");
  const ToolResult s = run_tool("mrc " + kSilberschatzRefs + " -o '" + dir.file("t.csv") +
                                "' --format csv --plot '" + dir.file("c.svg") + "'");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_NE(Scratch::read(dir.file("c.svg")).find("<svg"), std::string::npos);
  EXPECT_NE(Scratch::read(dir.file("t.csv")).find("lru,exact,3,"), std::string::npos);
  // Only the two outputs: no temporary files left beside them.
  EXPECT_EQ(dir.entries(), 3U);
}

TEST(MrcCommand, MissingGnuplotIsAClearError) {
  Scratch dir;
  const std::string saved = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
  ::setenv("PATH", dir.path().c_str(), 1);
  const ToolResult r = run_tool("mrc " + kSilberschatzRefs + " --plot '" + dir.file("c.png") + "'");
  // Found missing before any work: the trace would fail while reading.
  const ToolResult early = run_tool("mrc --refs \"1 2 x\" --plot '" + dir.file("c.png") + "'");
  ::setenv("PATH", saved.c_str(), 1);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("gnuplot"), std::string::npos) << r.err;
  EXPECT_EQ(early.exit_code, 2);
  EXPECT_NE(early.err.find("gnuplot"), std::string::npos) << early.err;
  EXPECT_EQ(dir.entries(), 0U);
}

// Outputs are checked before the trace is read: with a trace that would fail while reading, the
// error is about the output, so a long run never ends in "cannot write".
TEST(MrcCommand, OutputPathsAreCheckedBeforeAnyWork) {
  Scratch dir;
  const std::string file = dir.write("plain", "x");
  const std::string bad_refs = "mrc --refs \"1 2 x\"";
  const ToolResult bad = run_tool(bad_refs);
  ASSERT_EQ(bad.exit_code, 2);
  ASSERT_EQ(bad.err.find("cannot write"), std::string::npos) << bad.err;
  const std::pair<std::string, std::string> cases[] = {
      {" -o /nonexistent-vmsim-dir/x.json", "directory /nonexistent-vmsim-dir does not exist"},
      {" -o '" + file + "/x.json'", "is not a directory"},
      {" -o '" + dir.path().string() + "'", "is a directory"},
      {" --plot p.jpg", ".png or .svg"},
      {" --plot /nonexistent-vmsim-dir/p.png", "does not exist"},
  };
  for (const auto& [args, message] : cases) {
    const ToolResult r = run_tool(bad_refs + args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << ": " << r.err;
  }
  EXPECT_EQ(dir.entries(), 1U);
}

// Size lists are capped at a million sizes before anything is expanded, ranges up to 2^64 - 1 end,
// and sizes beyond a 64-bit address space are refused with the memory they would need.
TEST(MrcCommand, SizeListsAreBounded) {
  const std::string three = "--refs \"1 2 3\"";
  const std::pair<std::string, std::string> cases[] = {
      {" --points 1000000000", "--points 1000000000: give 1 to 1000000 sizes"},
      {" --points 0", "give 1 to 1000000"},
      {" --frames 1-9999999", "more than 1000000 sizes"},
      {" --frames 1-18446744073709551615", "more than 1000000 sizes"},
      {" --frames 1-600000,700000-1200000", "more than 1000000 sizes"},
      // 2^64 - 1 frames of 4 KiB: 2^76 bytes = 64 ZiB; at most (2^64 - 1) / 4096 = 2^52 - 1.
      {" --frames 18446744073709551615", "would need 64 ZiB of memory"},
      {" --frames 18446744073709551615", "at most 4503599627370495 frames"},
      {" --frames 18446744073709551614-18446744073709551615", "would need 64 ZiB"},
      {" --frames 4503599627370496", "would need 16 EiB"},
  };
  for (const auto& [args, message] : cases) {
    const ToolResult r = run_tool("mrc " + three + args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << ": " << r.err;
  }
  // With one-byte pages 2^64 - 1 frames fit, and the range to it ends: two rows, cold misses only.
  const json top =
      mrc_json(three + " --page-size 1 --frames 18446744073709551614-18446744073709551615");
  const json& pts = top["curves"][0]["points"];
  ASSERT_EQ(pts.size(), 2U);
  EXPECT_EQ(pts[1]["frames"].get<std::uint64_t>(), ~std::uint64_t{0});
  EXPECT_EQ(pts[1]["memory_bytes"].get<std::uint64_t>(), ~std::uint64_t{0});
  EXPECT_EQ(pts[1]["faults"], 3);
  EXPECT_EQ(mrc_json(three + " --frames 4503599627370495")["curves"][0]["points"][0]["faults"], 3);
  // A million sizes in all is the cap, not beyond it; 3 pages in 1000 log-spaced points are 1-3.
  EXPECT_EQ(mrc_json(three + " --points 1000")["curves"][0]["points"].size(), 3U);
}

// Progress goes to stderr only when it is a terminal, and never with --no-progress. `script` gives
// the command a terminal; the first update of each phase is always drawn (later ones at most five a
// second), so what appears does not depend on timing.
TEST(MrcCommand, ProgressOnlyOnATerminal) {
  const std::string args = "mrc --refs '1 2 3 1 2 4' --policy lru,opt";
  const ToolResult piped = run_tool(args);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.err, "");
  const ToolResult quiet = run_tool(args + " --no-progress");
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.out, piped.out);
  EXPECT_EQ(quiet.err, "");
  if (std::system("command -v script >/dev/null 2>&1") != 0) GTEST_SKIP() << "no script(1)";
  Scratch dir;
  const auto on_terminal = [&](const std::string& extra) {
    const std::string out = dir.file("tty");
    const std::string command = "script -qec \"'" + std::string(VMSIM_TOOL_PATH) + "' " + args +
                                extra + " -o '" + dir.file("r.txt") + "'\" /dev/null >'" + out +
                                "' 2>&1 </dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return Scratch::read(out);
  };
  const std::string shown = on_terminal("");
  EXPECT_NE(shown.find("vmsim: reading:"), std::string::npos) << shown;
  EXPECT_NE(shown.find("vmsim: lru curve:"), std::string::npos) << shown;
  EXPECT_NE(shown.find("vmsim: opt curve:"), std::string::npos) << shown;
  EXPECT_EQ(on_terminal(" --no-progress").find("vmsim:"), std::string::npos);
}

// `run` says --policy and `compare` --policies: mrc takes either, and `all` as compare does.
TEST(MrcCommand, PolicyAndPoliciesAreTheSameOption) {
  const ToolResult policy = run_tool("mrc " + kSilberschatzRefs + " --policy lru,opt");
  ASSERT_EQ(policy.exit_code, 0) << policy.err;
  EXPECT_NE(policy.out.find("opt faults"), std::string::npos);
  for (const std::string spelling : {" --policies lru,opt", " --policies all", " --policy all"}) {
    const ToolResult r = run_tool("mrc " + kSilberschatzRefs + spelling);
    EXPECT_EQ(r.exit_code, 0) << spelling << ": " << r.err;
    EXPECT_EQ(r.out, policy.out) << spelling;
  }
  const ToolResult fifo = run_tool("mrc " + kSilberschatzRefs + " --policies fifo");
  EXPECT_EQ(fifo.exit_code, 2);
  EXPECT_NE(fifo.err.find("'fifo' has no one-pass curve"), std::string::npos) << fifo.err;
}

TEST(MrcCommand, UserErrors) {
  const std::pair<std::string, std::string> cases[] = {
      {"mrc", "no input"},
      {"mrc " + kSilberschatzRefs + " --policy fifo", "fifo"},
      {"mrc " + kSilberschatzRefs + " --policy opt --sample-rate 0.5", "LRU"},
      {"mrc " + kSilberschatzRefs + " --sample-rate 2", "sample rate"},
      {"mrc " + kSilberschatzRefs + " --method exact --sample-rate 0.5", "shards"},
      {"mrc " + kSilberschatzRefs + " --dense-rate 1.5", "--dense-rate 1.5"},
      {"mrc " + kSilberschatzRefs + " --dense-rate nan", "--dense-rate"},
      {"mrc " + kSilberschatzRefs + " --sample-size 5 --dense-rate 0.5", "fixed-rate"},
      {"mrc " + kSilberschatzRefs + " --frames 0", "--frames"},
      {"mrc " + kSilberschatzRefs + " --frames 3 --points 4", "not both"},
      {"mrc " + kSilberschatzRefs + " --plot out.pdf", ".png or .svg"},
      {"mrc " + kSilberschatzRefs + " --policy opt --max-opt-pages 5", "OPT"},
      {"mrc " + kSilberschatzRefs + " --page-size 3000", "power of two"},
  };
  for (const auto& [args, message] : cases) {
    const ToolResult r = run_tool(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << ": " << r.err;
  }
}

}  // namespace
}  // namespace vmsim::test
