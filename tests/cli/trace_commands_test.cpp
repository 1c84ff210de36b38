// `vmsim trace ...` as users run them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/tool.hpp"

namespace vmsim::test {
namespace {

using nlohmann::json;

json info(const std::string& path) {
  const ToolResult r = run_tool("trace info '" + path + "' --format json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

// Counters of a run, without the fields that name the input.
json counters_of(const std::string& args) {
  const ToolResult r = run_tool("run " + args + " --format json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  // The inputs differ by design: their names, and so what the provenance says of them.
  j.erase("trace");
  j.erase("provenance");
  return j;
}

TEST(TraceGen, SameSeedSameBytesAndTheRequestedLength) {
  // The header records the command line, so run the same command (relative output) in two places.
  Scratch one, two;
  const std::string gen =
      "trace gen zipf --alpha 0.9 --pages 5000 --length 20000 --seed 7 -o a.vmt";
  ASSERT_EQ(run_tool(gen, "", one.path().string()).exit_code, 0);
  ASSERT_EQ(run_tool(gen, "", two.path().string()).exit_code, 0);
  EXPECT_TRUE(Scratch::read(one.file("a.vmt")) == Scratch::read(two.file("a.vmt")));
  ASSERT_EQ(run_tool("trace gen zipf --alpha 0.9 --pages 5000 --length 20000 --seed 8 -o b.vmt", "",
                     one.path().string())
                .exit_code,
            0);
  EXPECT_FALSE(Scratch::read(one.file("a.vmt")) == Scratch::read(one.file("b.vmt")));
  const json j = info(one.file("a.vmt"));
  EXPECT_EQ(j["accesses"], 20000);
  EXPECT_LE(j["distinct_pages"].get<int>(), 5000);
}

TEST(TraceGen, MatmulWritesTheWholeMultiplyAsText) {
  Scratch dir;
  const std::string out = dir.file("mm.trace");
  ASSERT_EQ(run_tool("trace gen matmul --n 8 -o '" + out + "'").exit_code, 0);
  // n^2 inner loops of 2n reads and one write.
  EXPECT_EQ(info(out)["accesses"], 8 * 8 * (2 * 8 + 1));
}

TEST(TraceConvert, LackeyToVmtSimulatesIdentically) {
  Scratch dir;
  const std::string vmt = dir.file("m.vmt");
  const std::string lackey = "examples/traces/matmul-naive.lackey.zst";
  ASSERT_EQ(run_tool("trace convert " + lackey + " '" + vmt + "'").exit_code, 0);
  for (const char* policy : {"lru", "opt"}) {
    const std::string rest = std::string(" --frames 16 --policy ") + policy;
    EXPECT_EQ(counters_of(lackey + rest), counters_of("'" + vmt + "'" + rest)) << policy;
  }
}

TEST(TraceConvert, TextRoundTripsThroughVmt) {
  Scratch dir;
  const std::string vmt = dir.file("s.vmt"), text = dir.file("s.trace");
  const std::string vmt2 = dir.file("s2.vmt"), text2 = dir.file("s2.trace");
  ASSERT_EQ(run_tool("trace convert examples/traces/small.trace '" + vmt + "'").exit_code, 0);
  ASSERT_EQ(run_tool("trace convert '" + vmt + "' '" + text + "'").exit_code, 0);
  ASSERT_EQ(run_tool("trace convert '" + text + "' '" + vmt2 + "'").exit_code, 0);
  ASSERT_EQ(run_tool("trace convert '" + vmt2 + "' '" + text2 + "'").exit_code, 0);
  // Canonical text survives text -> vmt -> text unchanged, and simulates like the original.
  EXPECT_EQ(Scratch::read(text), Scratch::read(text2));
  EXPECT_EQ(counters_of("examples/traces/small.trace --frames 2"),
            counters_of("'" + text + "' --frames 2"));
}

TEST(TraceSlice, FirstSkipWindowAndPid) {
  Scratch dir;
  const std::string lackey = "examples/traces/matmul-naive.lackey.zst";
  const std::string head = dir.file("head.trace");
  ASSERT_EQ(run_tool("trace slice " + lackey + " '" + head + "' --first 1000").exit_code, 0);
  EXPECT_EQ(info(head)["accesses"], 1000);
  const std::string window = dir.file("w.trace");
  ASSERT_EQ(run_tool("trace slice " + lackey + " '" + window + "' --window 500:1500").exit_code, 0);
  EXPECT_EQ(info(window)["accesses"], 1000);
  // The window's first 500 accesses are the head's last 500.
  const std::string tail = dir.file("tail.trace");
  ASSERT_EQ(run_tool("trace slice '" + head + "' '" + tail + "' --skip 500").exit_code, 0);
  const std::string front = dir.file("front.trace");
  ASSERT_EQ(run_tool("trace slice '" + window + "' '" + front + "' --first 500").exit_code, 0);
  EXPECT_EQ(Scratch::read(tail), Scratch::read(front));

  const std::string mix = dir.file("mix.trace"), one = dir.file("one.trace");
  ASSERT_EQ(
      run_tool("trace gen mix --length 4000 --pages 16 --processes 3 -o '" + mix + "'").exit_code,
      0);
  ASSERT_EQ(run_tool("trace slice '" + mix + "' '" + one + "' --pid 3").exit_code, 0);
  const json j = info(one);
  ASSERT_EQ(j["pids"].size(), 1U);
  EXPECT_EQ(j["pids"][0]["pid"], 3);
  EXPECT_EQ(j["events"]["fork"], 1);  // the parent's fork of pid 3
  EXPECT_EQ(j["events"]["exit"], 1);
}

TEST(TraceInfo, CountsTheRecordedExample) {
  const json j = info("examples/traces/small.trace");
  EXPECT_GT(j["accesses"].get<int>(), 0);
  EXPECT_EQ(j["accesses"].get<int>(),
            j["reads"].get<int>() + j["writes"].get<int>() + j["fetches"].get<int>());
}

// The format trace info names is the one the trace was read in, detected from the content.
TEST(TraceInfo, NamesTheDetectedFormat) {
  EXPECT_EQ(info("examples/traces/small.trace")["format"], "text");
  EXPECT_EQ(info("examples/traces/textbook.refs")["format"], "refs");
  EXPECT_EQ(info("examples/traces/listwalk.lackey.zst")["format"], "lackey");
  Scratch dir;
  const std::string csv = dir.file("t.csv"), vmt = dir.file("t.vmt");
  ASSERT_EQ(run_tool("trace convert examples/traces/textbook.refs '" + csv + "'").exit_code, 0);
  ASSERT_EQ(run_tool("trace convert examples/traces/textbook.refs '" + vmt + "'").exit_code, 0);
  EXPECT_EQ(info(csv)["format"], "csv");
  EXPECT_EQ(info(vmt)["format"], "vmt");
}

}  // namespace
}  // namespace vmsim::test
