// The catalogue of hostile inputs: each must end with exit code 2 and a message that says what is
// wrong (and where, for files), never a crash, a hang, an allocation the machine cannot hold or a
// silent partial result. Every message here is what a user needs to read, written down by hand.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/tool.hpp"

namespace vmsim::test {
namespace {

using nlohmann::json;

struct HostileCase {
  const char* args;     // run inside the fixture directory
  const char* message;  // a piece of the error message
};

// The files the cases use: a config with an impossible value, a directory, a truncated .vmt trace.
class Fixture {
 public:
  Fixture() {
    dir_.write("zero-frames.toml", "# no memory at all\nframes = 0\n");
    dir_.write("hello.txt", "hello\nworld\n");
    dir_.write("far.trace", "R 0x1000\nW 0x1000000000000\n");
    dir_.write("huge.trace", "R 0x1000\nR 0x1000000000000000\n");  // page 2^48 of 4 KiB pages
    dir_.write("farmap.trace", "1 R 0x1000\n@mmap 1 0xfffffffff0000000 0x1000 rw-\n");
    dir_.write("farprot.trace", "1 R 0x1000\n@mprotect 1 0xfffffffff0000000 0x1000 r--\n");
    dir_.write("noprot.trace", "1 R 0x1000\n@mprotect 1 0x1000 0x1000\n");
    for (const char* name : {"far", "huge", "farmap", "farprot"}) {
      const ToolResult vmt = run_tool(fmt::format("trace convert '{0}.trace' '{0}.vmt'", name), "",
                                      dir_.path().string());
      if (vmt.exit_code != 0) throw std::runtime_error(vmt.err);
    }
    dir_.write("notes.bz2", std::string("BZh91AY&SY\x01\x02\x03", 13));
    dir_.write("blob.bin", std::string("\x00\x01\x02\x03 R 0x10\n", 12));
    std::filesystem::create_directory(dir_.file("adir"));
    const ToolResult gen =
        run_tool("trace gen zipf --pages 2000 --length 600000 -o '" + dir_.file("whole.vmt") + "'");
    if (gen.exit_code != 0) throw std::runtime_error(gen.err);
    // 600,000 records make three blocks; cutting into the second loses its records.
    const std::string whole = Scratch::read(dir_.file("whole.vmt"));
    dir_.write("cut.vmt", whole.substr(0, whole.size() / 2));
  }
  const Scratch& dir() const { return dir_; }
  std::string path() const { return dir_.path().string(); }

 private:
  Scratch dir_;
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

const HostileCase kCases[] = {
    // Sizes beyond the machine: refused with the figure before any allocation. ARC at 2^31
    // frames: 32 bytes a frame (frame share, T1 and T2) = 64 GiB, 2^31 + 1 ghost nodes of 21
    // bytes = 42 GiB, their index of 2^32 - 1 slots of 17 bytes = 68 GiB.
    {"run --refs '1 2 3' --frames 2147483648 --policy arc",
     "a run with 2147483648 frames needs about 174 GiB, more than the"},
    {"run --refs '1 2 3' --memory 8TiB --policy arc",
     "a run with 2147483648 frames needs about 174 GiB"},
    // LIRS's non-resident entries (2 per frame) would not fit 32-bit indices.
    {"run --refs '1 2 3' --frames 2147483648 --policy lirs",
     "policy lirs: nonresident=2 with 2147483648 frames asks for 4294967296 entries, more than "
     "2^31"},
    {"run --refs '1 2 3' --frames 2147483649", "frames 2147483649 must be between 1 and 2^31"},
    // Lists near 2^64 and lists too long: no endless loop, no growing memory.
    {"compare --refs '1 2' --policies lru --frames 18446744073709551614-18446744073709551615",
     "frames 18446744073709551614 must be between 1 and 2^31"},
    {"compare --refs '1 2' --policies lru --frames 1-9999999",
     "range '1-9999999' has 9999999 frame counts, more than 10000"},
    {"compare --refs '1 2' --policies lru --frames 3,,4", "--frames: empty item"},
    {"compare --refs '1 2' --policies '' --frames 3", "--policies: empty list"},
    {"compare --refs '1 2' --policies lru,,fifo --frames 3", "--policies: empty name"},
    {"compare --refs '1 2' --policies all --frames 1-1000", "make 22000 runs, more than 10000"},
    // Configuration files: a directory is no file; a bad value says FILE:LINE.
    {"run --refs '1 2' --config adir", "--config adir: is a directory, not a TOML file"},
    {"run --refs '1 2' --config zero-frames.toml",
     "zero-frames.toml:2: frames 0 must be between 1 and 2^31"},
    {"run --refs '1 2' --config zero-frames.toml --frames 4 --tlb-ways 3",
     "--tlb-ways: TLB ways 3 must divide the TLB entries 64"},
    // Outputs are checked before the work.
    {"run --refs '1 2' -o /nonexistent/x.json",
     "cannot write /nonexistent/x.json: directory /nonexistent does not exist"},
    {"run --refs '1 2' -o adir", "cannot write adir: it is a directory"},
    {"compare --refs '1 2' --policies lru --frames 2 -o /nonexistent/x.csv",
     "cannot write /nonexistent/x.csv"},
    {"run --refs '1 2' --fault-log faults.txt", "--fault-log faults.txt: name the file .csv"},
    {"run --refs '1 2' --fault-log /nonexistent/f.csv", "cannot write /nonexistent/f.csv"},
    // Damage under --strict.
    {"run cut.vmt --frames 64 --strict", "(--strict makes damage an error)"},
    {"compare cut.vmt --policies lru --frames 64 --strict", "(--strict makes damage an error)"},
    // Inputs that are no trace say what they look like, and which formats there are.
    {"run hello.txt",
     "hello.txt:1: trace format not recognised: it looks like text in none of the trace formats "
     "(first line 'hello'). vmsim reads text, lackey, refs and csv traces"},
    {"run notes.bz2",
     "notes.bz2:1: trace format not recognised: it looks like bzip2-compressed data"},
    {"run blob.bin", "blob.bin:1: trace format not recognised: it looks like binary data"},
    {"compare hello.txt --policies lru --frames 2", "trace format not recognised"},
    // Addresses outside the simulated address space, at their line.
    {"run far.trace",
     "far.trace:2: 1 bytes at 0x1000000000000 lie outside the 48-bit virtual address space (raise "
     "--va-bits)"},
    {"run far.vmt", "far.vmt: block at offset "},
    {"run far.vmt",
     "record 2: 1 bytes at 0x1000000000000 lie outside the 48-bit virtual address space (raise "
     "--va-bits)"},
    {"run farmap.vmt",
     "record 2: 4096 bytes at 0xfffffffff0000000 lie outside the 48-bit virtual address space"},
    // The same for an @mprotect, which is in a block with protections (kind 3).
    {"run farprot.vmt",
     "record 2: 4096 bytes at 0xfffffffff0000000 lie outside the 48-bit virtual address space"},
    {"run noprot.trace", "noprot.trace:2: missing protection"},
    {"run huge.vmt --model refs",
     "record 2: 1 bytes at 0x1000000000000000 lie outside the 60-bit virtual address space "
     "(reference-string mode numbers pages in 48 bits)"},
    {"mrc huge.trace",
     "huge.trace:2: 1 bytes at 0x1000000000000000 lie outside the 60-bit virtual address space "
     "(miss-ratio curves number pages in 48 bits)"},
    {"mrc huge.vmt --method shards --sample-rate 0.5",
     "record 2: 1 bytes at 0x1000000000000000 lie outside the 60-bit virtual address space "
     "(miss-ratio curves number pages in 48 bits)"},
    {"run --refs '1 68719476736'",
     "--refs:1: page 68719476736 lies outside the 48-bit virtual address space at 4096-byte pages"},
    // Typos get a suggestion.
    {"rn --refs '1 2'", "'rn': did you mean 'run'?"},
    {"run --framez 3 --refs '1 2'", "'--framez': did you mean '--frames'?"},
    {"run --refs '1 2' --preset x86_64", "unknown preset 'x86_64'; did you mean 'x86-64'?"},
};

class Hostile : public ::testing::TestWithParam<HostileCase> {};

TEST_P(Hostile, ExitsTwoWithItsMessage) {
  const HostileCase& c = GetParam();
  const ToolResult r = run_tool(c.args, "", fixture().path());
  EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.err;
  EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << "\nstderr: " << r.err;
  EXPECT_EQ(r.out, "") << c.args;
}

INSTANTIATE_TEST_SUITE_P(Catalogue, Hostile, ::testing::ValuesIn(kCases));

TEST(Damage, RunAndCompareWarnAndReportWhatWasLost) {
  // Without --strict a damaged trace runs on what could be read, says so on stderr, and the
  // report carries the warning and the count of what was lost.
  const ToolResult run = run_tool("run cut.vmt --frames 64 --format json", "", fixture().path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("vmsim: warning: cut.vmt: block at offset"), std::string::npos) << run.err;
  const json j = json::parse(run.out);
  ASSERT_EQ(j["warnings"].size(), 1U);
  EXPECT_EQ(j["trace_damage"]["blocks_skipped"], 1);
  // The first block (2^18 records) survives whole; the second, cut, is lost whole.
  EXPECT_EQ(j["accesses"], 262144);
  EXPECT_EQ(j["trace_damage"]["records_lost"], 262144);
  EXPECT_EQ(j["trace_damage"]["records_lost_unknown"], true);  // and the blocks after it

  const ToolResult compare =
      run_tool("compare cut.vmt --policies lru,fifo --frames 64 --model refs --format json", "",
               fixture().path());
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  EXPECT_NE(compare.err.find("vmsim: warning: cut.vmt"), std::string::npos);
  const json rows = json::parse(compare.out);
  for (const json& row : rows["runs"]) {
    EXPECT_EQ(row["warnings"].size(), 1U);
    EXPECT_EQ(row["accesses"], 262144);
  }

  const ToolResult table = run_tool("run cut.vmt --frames 64", "", fixture().path());
  EXPECT_NE(table.out.find("warning: cut.vmt"), std::string::npos) << table.out;
}

TEST(Commands, TraceAloneListsItsSubcommands) {
  const ToolResult r = run_tool("trace");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* sub : {"info", "convert", "slice", "gen"}) {
    EXPECT_NE(r.out.find(sub), std::string::npos) << sub << " missing from:\n" << r.out;
  }
}

TEST(Inputs, OptReadsAFifoOnceInsteadOfWaitingForASecondPass) {
  // OPT needs the future. A named FIFO (like a pipe, <(...) or /dev/stdin) cannot be opened twice:
  // the second open would wait forever for a writer. It must be read once into memory.
  Scratch dir;
  const std::string fifo = dir.file("refs.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] {
    std::ofstream out(fifo);
    out << "1 2 3 4 1 2 5 1 2 3 4 5\n";
  });
  const ToolResult r =
      run_tool("run '" + fifo + "' --input-format refs --policy opt --frames 3 --format json");
  writer.join();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Belady's string under OPT with three frames: 7 faults (Silberschatz et al., 9.4.3).
  EXPECT_EQ(json::parse(r.out)["page_faults"], 7);
  EXPECT_EQ(json::parse(r.out)["accesses"], 12);
}

TEST(Outputs, ADeviceIsWrittenThroughNotReplaced) {
  Scratch dir;
  // A symbolic link to /dev/null stands for any device: renaming over it would replace it.
  const std::string link = dir.file("null");
  ASSERT_EQ(::symlink("/dev/null", link.c_str()), 0);
  const ToolResult r = run_tool("run --refs '1 2 3' --frames 2 -o '" + link + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  ASSERT_EQ(::lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_EQ(dir.entries(), 1U);  // no temporary file left beside it
}

TEST(Outputs, ASymlinkIsFollowedAndKept) {
  Scratch dir;
  const std::string target = dir.write("report.json", "old");
  const std::string link = dir.file("latest.json");
  ASSERT_EQ(::symlink("report.json", link.c_str()), 0);
  const ToolResult r = run_tool("run --refs '1 2 3' --frames 2 --format json -o '" + link + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  struct stat st {};
  ASSERT_EQ(::lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode)) << "the link must stay a link";
  EXPECT_EQ(json::parse(Scratch::read(target))["page_faults"], 3);
  EXPECT_EQ(dir.entries(), 2U);
}

TEST(FaultLog, CsvAndJsonLinesListEveryFaultWithItsVictim) {
  // 1w 2 3 1 4 5 1 with two frames under FIFO, by hand: 1 and 2 fill memory; 3 evicts 1 (dirty:
  // written back); 1 comes back from swap (major) evicting 2; 4 evicts 3; 5 evicts 1, dirty again
  // since its swap slot was freed when it came back; 1 returns (major) evicting 4.
  const std::string expected =
      "ref_index,pid,page,kind,victim_pid,victim_page,write_back\n"
      "0,0,1,minor,,,0\n"
      "1,0,2,minor,,,0\n"
      "2,0,3,minor,0,1,1\n"
      "3,0,1,major,0,2,0\n"
      "4,0,4,minor,0,3,0\n"
      "5,0,5,minor,0,1,1\n"
      "6,0,1,major,0,4,0\n";
  for (const char* model : {"full", "refs"}) {
    Scratch dir;
    const ToolResult r =
        run_tool(std::string("run --refs '1w 2 3 1 4 5 1' --frames 2 --policy fifo --model ") +
                 model + " --fault-log '" + dir.file("f.csv") + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Scratch::read(dir.file("f.csv")), expected) << model;
  }
  Scratch dir;
  ASSERT_EQ(run_tool("run --refs '1w 2 3' --frames 2 --policy fifo --fault-log '" +
                     dir.file("f.jsonl") + "'")
                .exit_code,
            0);
  std::istringstream lines(Scratch::read(dir.file("f.jsonl")));
  std::vector<json> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(json::parse(line));
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0]["kind"], "minor");
  EXPECT_TRUE(rows[0]["victim_page"].is_null());
  EXPECT_EQ(rows[2]["victim_page"], 1);
  EXPECT_EQ(rows[2]["write_back"], true);
}

}  // namespace
}  // namespace vmsim::test
