// `vmsim record` as users run it: real programs under valgrind, and how a recording ends.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/tool.hpp"

namespace vmsim::test {
namespace {

using nlohmann::json;

constexpr auto npos = std::string::npos;

json info(const std::string& path) {
  const ToolResult r = run_tool("trace info '" + path + "' --format json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

// Runs a shell script (the text of a file, so no quoting is nested) and returns its exit status.
int run_script(const Scratch& dir, const std::string& text) {
  const std::string script = dir.write("script.sh", text);
  const int status = std::system(("sh '" + script + "'").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const std::string kTool = std::string("'") + VMSIM_TOOL_PATH + "'";

TEST(Record, ProgramThatFailsStillYieldsAValidTrace) {
  Scratch dir;
  const std::string out = dir.file("sh.vmt");
  const ToolResult r = run_tool("record --no-progress -o '" + out + "' -- sh -c 'exit 3'");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("exited with status 3"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("warning"), npos) << r.err;  // nothing went unrecorded
  const json j = info(out);
  EXPECT_GT(j["accesses"].get<int>(), 10000);  // the dynamic loader alone makes many references
  EXPECT_EQ(j["pids"].size(), 1U);
  EXPECT_NE(j["recorded_command"].get<std::string>().find("record"), std::string::npos);
  EXPECT_GT(j["duration_ns"].get<double>(), 0);
}

TEST(Record, ChildrenBecomePidsWithForkEvents) {
  Scratch dir;
  const std::string out = dir.file("kids.vmt");
  const ToolResult r = run_tool("record --no-progress --trace-children --no-ifetch -o '" + out +
                                "' -- sh -c '/bin/true; exit 0'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const json j = info(out);
  EXPECT_EQ(j["pids"].size(), 2U);
  EXPECT_EQ(j["events"]["fork"], 1);
  EXPECT_EQ(j["events"]["exit"], 2);
  EXPECT_EQ(j["fetches"], 0);
}

// Without --trace-children a program that execs another hands it to valgrind untraced: vmsim says
// so, and for a script (whose interpreter alone is traced) says so before it runs.
TEST(Record, ScriptThatExecsIsWarnedAbout) {
  Scratch dir;
  const std::string prog = dir.write("prog", "#!/bin/sh\nexec /bin/true\n");
  std::filesystem::permissions(prog, std::filesystem::perms::owner_all);
  const ToolResult r =
      run_tool("record --no-progress -o out.vmt -- ./prog", "", dir.path().string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: ./prog is a script for /bin/sh: only /bin/sh is recorded"), npos)
      << r.err;
  EXPECT_NE(r.err.find("warning: ./prog exec'd another program, which was not recorded"), npos)
      << r.err;
  EXPECT_NE(r.err.find("record with --trace-children to follow it"), npos) << r.err;
  EXPECT_EQ(info(dir.file("out.vmt"))["pids"].size(), 1U);  // the shell only

  // Followed, both programs are recorded and nothing is said.
  const ToolResult followed = run_tool("record --no-progress --trace-children -o out.vmt -- ./prog",
                                       "", dir.path().string());
  EXPECT_EQ(followed.exit_code, 0) << followed.err;
  EXPECT_EQ(followed.err.find("warning"), npos) << followed.err;
  EXPECT_EQ(info(dir.file("out.vmt"))["pids"].size(), 2U);
}

TEST(Record, ExecOfABinaryIsWarnedAbout) {
  Scratch dir;
  const ToolResult r = run_tool("record --no-progress -o out.vmt -- sh -c 'exec /bin/true'", "",
                                dir.path().string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: sh exec'd another program, which was not recorded"), npos)
      << r.err;
  EXPECT_EQ(r.err.find("is a script"), npos) << r.err;  // /bin/sh is not one
}

// A shell that runs six children and then execs a seventh program: 1 + 6 + 1 traced programs,
// each its own trace pid; the six forks are @fork events, the exec'd program (same real pid, a new
// address space) is not; all eight end with @exit, and the summary counts eight.
TEST(Record, ChildrenAndExecsAreCountedOnePidEach) {
  Scratch dir;
  const std::string out = dir.file("kids.vmt");
  const ToolResult r = run_tool("record --no-progress --trace-children --no-ifetch -o '" + out +
                                "' -- sh -c 'i=0; while [ $i -lt 6 ]; do /bin/true; i=$((i+1)); "
                                "done; exec /bin/true'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("from 8 processes"), npos) << r.err;
  const json j = info(out);
  EXPECT_EQ(j["pids"].size(), 8U);
  EXPECT_EQ(j["events"]["fork"], 6);
  EXPECT_EQ(j["events"]["exit"], 8);
}

struct Interrupted {
  int status = -1;  // vmsim's exit status
  std::string err;
};

// Records `program` (shell text run by sh -c, inside single quotes) and interrupts vmsim as Ctrl-C
// would, but only once the program has started under valgrind: `program` first creates the file
// "$MARKER". Polling for it assumes nothing about the machine's speed.
Interrupted interrupt_recording(const Scratch& dir, const std::string& out,
                                const std::string& program) {
  const std::string marker = dir.file("marker");
  const int status =
      run_script(dir, "MARKER='" + marker + "' " + kTool + " record --no-progress -o '" + out +
                          "' -- sh -c '" + program + "' 2>'" + dir.file("err") + "' &\n" +
                          "pid=$!\n"
                          "while [ ! -e '" +
                          marker +
                          "' ] && kill -0 $pid 2>/dev/null; do sleep 0.1; done\n"
                          "kill -INT $pid\n"
                          "wait $pid\n");
  return {status, Scratch::read(dir.file("err"))};
}

TEST(Record, InterruptFinishesTheTrace) {
  Scratch dir;
  const std::string out = dir.file("loop.vmt");
  const Interrupted r = interrupt_recording(dir, out, ": >\"$MARKER\"; while :; do :; done");
  EXPECT_NE(r.err.find("killed by signal 2 (Interrupt) after an interrupt"), npos) << r.err;
  EXPECT_EQ(r.status, 130) << r.err;  // the loop died of SIGINT: 128 + 2
  // The dynamic loader and the shell's start alone make tens of thousands of references.
  EXPECT_GT(info(out)["accesses"].get<int>(), 10000);
}

// A program that ignores SIGINT gets SIGTERM once it has had its chance to act on SIGINT.
TEST(Record, IgnoredInterruptIsFollowedBySigterm) {
  Scratch dir;
  const std::string out = dir.file("loop.vmt");
  const Interrupted r =
      interrupt_recording(dir, out, "trap \"\" INT; : >\"$MARKER\"; while :; do :; done");
  EXPECT_NE(r.err.find("killed by signal 15 (Terminated) after an interrupt"), npos) << r.err;
  EXPECT_EQ(r.status, 143) << r.err;
  EXPECT_GT(info(out)["accesses"].get<int>(), 10000);
}

TEST(Record, MissingCommandIsAnError) {
  const ToolResult r = run_tool("record -o x.vmt");
  EXPECT_EQ(r.exit_code, 2);
}

// A program that cannot be started: the shell's status (127 not found, 126 not executable), a
// message naming it, and no trace or temporary file.
TEST(Record, ProgramNotFoundLeavesNoTrace) {
  Scratch dir;
  const ToolResult r = run_tool("record --no-progress -o out.vmt -- vmsim-test-no-such-program", "",
                                dir.path().string());
  EXPECT_EQ(r.exit_code, 127) << r.err;
  EXPECT_NE(r.err.find("vmsim-test-no-such-program: command not found"), npos) << r.err;
  EXPECT_EQ(dir.entries(), 0U);
  const ToolResult path =
      run_tool("record --no-progress -o out.vmt -- ./missing", "", dir.path().string());
  EXPECT_EQ(path.exit_code, 127) << path.err;
  EXPECT_NE(path.err.find("./missing: No such file or directory"), npos) << path.err;
  EXPECT_EQ(dir.entries(), 0U);
}

TEST(Record, ProgramNotExecutableLeavesNoTrace) {
  Scratch dir;
  dir.write("prog", "#!/bin/sh\nexit 0\n");  // no execute permission
  const ToolResult r =
      run_tool("record --no-progress -o out.vmt -- ./prog", "", dir.path().string());
  EXPECT_EQ(r.exit_code, 126) << r.err;
  EXPECT_NE(r.err.find("./prog: Permission denied"), npos) << r.err;
  std::filesystem::create_directory(dir.file("sub"));
  const ToolResult d =
      run_tool("record --no-progress -o out.vmt -- ./sub", "", dir.path().string());
  EXPECT_EQ(d.exit_code, 126) << d.err;
  EXPECT_NE(d.err.find("./sub: is a directory"), npos) << d.err;
  EXPECT_EQ(dir.entries(), 2U);  // prog and sub only
}

// valgrind itself refuses to run it (here: a script whose interpreter does not exist): vmsim
// exits with valgrind's status, as running valgrind directly shows it, and leaves no trace.
TEST(Record, ProgramValgrindCannotStartLeavesNoTrace) {
  Scratch dir;
  const std::string prog = dir.write("prog", "#!/nonexistent/interpreter\n");
  std::filesystem::permissions(prog, std::filesystem::perms::owner_all);
  const int direct = run_script(
      dir, "cd '" + dir.path().string() + "' && valgrind --tool=none -q ./prog 2>/dev/null\n");
  std::filesystem::remove(dir.file("script.sh"));
  ASSERT_NE(direct, 0);
  const ToolResult r =
      run_tool("record --no-progress -o out.vmt -- ./prog", "", dir.path().string());
  EXPECT_EQ(r.exit_code, direct) << r.err;
  EXPECT_NE(r.err.find("./prog did not start: valgrind exited with status"), npos) << r.err;
  EXPECT_NE(r.err.find("no trace was written"), npos) << r.err;
  EXPECT_EQ(dir.entries(), 1U);  // prog only
}

// Formats that cannot carry pids and @exit/@fork events are refused before the program runs: no
// program, no file, no temporary file.
TEST(Record, FormatsWithoutEventsAreRefusedBeforeTheProgramRuns) {
  for (const char* format : {"csv", "lackey", "refs"}) {
    Scratch dir;
    const ToolResult r = run_tool(
        std::string("record --no-progress --to ") + format + " -o out -- sh -c 'touch ran'", "",
        dir.path().string());
    EXPECT_EQ(r.exit_code, 2) << format;
    EXPECT_NE(r.err.find(std::string("which ") + format + " cannot carry"), npos) << r.err;
    EXPECT_NE(r.err.find("record to vmt"), npos) << r.err;
    EXPECT_EQ(dir.entries(), 0U) << format;
  }
}

// A write error while the program runs (the file-size limit here, with SIGXFSZ ignored so that
// exceeding it is an error, EFBIG, as a full disk's ENOSPC is): the program is stopped, the message
// says which file and why, and nothing is left behind. `timeout` only turns a hang into a failure.
TEST(Record, WriteErrorStopsTheProgramAndLeavesNoFile) {
  Scratch dir, capture;
  const std::string out = dir.file("loop.trace");
  const int status =
      run_script(capture, "trap '' XFSZ; ulimit -f 16; exec timeout -s KILL 600 " + kTool +
                              " record --no-progress --to text -o '" + out +
                              "' -- sh -c 'while :; do :; done' 2>'" + capture.file("err") + "'\n");
  const std::string err = Scratch::read(capture.file("err"));
  EXPECT_EQ(status, 2) << err;
  EXPECT_NE(err.find("cannot write " + out + ": File too large"), npos) << err;
  EXPECT_NE(err.find("the program was stopped; no trace was written"), npos) << err;
  EXPECT_EQ(dir.entries(), 0U);
}

// The same when the last bytes cannot be written, after the program has ended.
TEST(Record, WriteErrorAtTheEndLeavesNoFile) {
  Scratch dir, capture;
  const std::string out = dir.file("sh.vmt");
  const int status = run_script(
      capture, "trap '' XFSZ; ulimit -f 16; exec " + kTool + " record --no-progress -o '" + out +
                   "' -- sh -c 'exit 0' 2>'" + capture.file("err") + "'\n");
  const std::string err = Scratch::read(capture.file("err"));
  EXPECT_EQ(status, 2) << err;
  EXPECT_NE(err.find("cannot write " + out + ": File too large; no trace was written"), npos)
      << err;
  EXPECT_EQ(dir.entries(), 0U);
}

// A real full disk: a 64 KiB tmpfs in a private mount namespace (so nothing stays mounted), which
// needs root; skipped where mounting is not permitted.
TEST(Record, FullDiskStopsTheProgramAndLeavesNoFile) {
  Scratch dir, capture;
  const std::string small = dir.file("small");
  std::filesystem::create_directory(small);
  const std::string mount = "mount -t tmpfs -o size=64k none '" + small + "'";
  if (run_script(capture, "exec unshare -m sh -c \"" + mount + "\" 2>/dev/null\n") != 0) {
    GTEST_SKIP() << "mounting a small tmpfs needs root (CAP_SYS_ADMIN) and unshare(1)";
  }
  const std::string out = small + "/loop.trace";
  const std::string inner = capture.write(
      "inner.sh",
      mount + " || exit 99\ntimeout -s KILL 600 " + kTool + " record --no-progress --to text -o '" +
          out + "' -- sh -c 'while :; do :; done' 2>'" + capture.file("err") +
          "'\nstatus=$?\nls -A '" + small + "' >'" + capture.file("left") + "'\nexit $status\n");
  const int status = run_script(capture, "exec unshare -m sh '" + inner + "'\n");
  const std::string err = Scratch::read(capture.file("err"));
  EXPECT_EQ(status, 2) << err;
  EXPECT_NE(err.find("cannot write " + out + ": No space left on device"), npos) << err;
  EXPECT_NE(err.find("the program was stopped; no trace was written"), npos) << err;
  EXPECT_EQ(Scratch::read(capture.file("left")), "");  // neither the trace nor a temporary file
}

// docs/cli.md's record section documents every option `vmsim record --help` lists.
TEST(Record, EveryOptionIsDocumented) {
  const std::string cli = Scratch::read(std::string(VMSIM_SOURCE_DIR) + "/docs/cli.md");
  const std::size_t begin = cli.find("## Recording a program: `vmsim record`");
  ASSERT_NE(begin, npos);
  const std::string section = cli.substr(begin, cli.find("\n## ", begin + 1) - begin);
  const ToolResult help = run_tool("record --help");
  ASSERT_EQ(help.exit_code, 0);
  std::istringstream lines(help.out);
  std::size_t options = 0;
  for (std::string line; std::getline(lines, line);) {
    // Option lines read "  -o,--output TEXT ..." or "  --to FMT ...".
    const std::size_t dash = line.find_first_not_of(' ');
    if (dash == npos || dash == 0 || line[dash] != '-') continue;
    const std::string names = line.substr(dash, line.find(' ', dash) - dash);
    const std::size_t long_name = names.find("--");
    const std::string name = names.substr(long_name, names.find(',', long_name) - long_name);
    if (name == "--help") continue;
    ++options;
    EXPECT_NE(section.find("`" + name), npos) << name;
  }
  EXPECT_GE(options, 7U);  // -o, --to, --no-ifetch, --sample, --trace-children, --valgrind ...
}

}  // namespace
}  // namespace vmsim::test
