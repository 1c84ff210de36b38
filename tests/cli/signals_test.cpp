// A signal in the middle of writing an output leaves nothing behind: neither the output nor its
// hidden temporary file. The test waits for the temporary file to exist (so the signal surely
// arrives mid-write) rather than for any amount of time, and the workload is far too long to end
// first, so it does not depend on the machine's speed or load.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/scratch.hpp"

#include <cstdlib>

extern char** environ;

namespace vmsim::test {
namespace {

bool has_temp_file(const Scratch& dir) {
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.path().filename().string().find(".tmp-") != std::string::npos) return true;
  }
  return false;
}

// Starts `vmsim ARGS...` in `dir`, waits until its temporary output exists, sends `sig` and returns
// the wait status.
int interrupt_while_writing(const Scratch& dir, std::vector<std::string> args, int sig) {
  std::vector<char*> argv;
  std::string tool = VMSIM_TOOL_PATH;
  argv.push_back(tool.data());
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::filesystem::path here = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, tool.c_str(), nullptr, nullptr, argv.data(), environ);
  std::filesystem::current_path(here);
  if (spawned != 0) return -1;
  // Generous: the temporary file is created before the first record is generated.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (!has_temp_file(dir) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, sig);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

TEST(Signals, TraceGenLeavesNoTemporaryFile) {
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
    Scratch dir;
    const int status = interrupt_while_writing(
        dir, {"trace", "gen", "zipf", "--length", "10000000000", "-o", "out.vmt"}, sig);
    ASSERT_TRUE(WIFSIGNALED(status)) << "signal " << sig << ", status " << status;
    EXPECT_EQ(WTERMSIG(status), sig);  // the signal's own status, as without vmsim's cleanup
    EXPECT_EQ(dir.entries(), 0U) << "signal " << sig;
  }
}

TEST(Signals, CompressedTextOutputLeavesNoTemporaryFile) {
  Scratch dir;
  // The text writers (what convert and slice use for text targets) behind a zstd compressor.
  const int status = interrupt_while_writing(
      dir, {"trace", "gen", "loop", "--length", "10000000000", "-o", "out.trace.zst"}, SIGTERM);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(dir.entries(), 0U);
}

// Progress appears only on a terminal: `script` gives the command one, and the line must show; with
// --no-progress, or without a terminal (every other test), it must not.
TEST(Progress, TraceCommandsShowItOnATerminalOnly) {
  if (std::system("command -v script >/dev/null 2>&1") != 0) GTEST_SKIP() << "no script(1)";
  Scratch dir;
  const auto on_terminal = [&](const std::string& args) {
    const std::string out = dir.file("typescript");
    const std::string command = "cd '" + dir.path().string() + "' && script -qec \"'" +
                                std::string(VMSIM_TOOL_PATH) + "' " + args + "\" '" + out +
                                "' >/dev/null 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return Scratch::read(out);
  };
  EXPECT_NE(on_terminal("trace gen loop --length 100000 -o a.vmt").find("vmsim: generating:"),
            std::string::npos);
  EXPECT_NE(on_terminal("trace convert a.vmt b.trace").find("vmsim: reading:"), std::string::npos);
  EXPECT_EQ(on_terminal("trace convert a.vmt c.trace --no-progress").find("vmsim:"),
            std::string::npos);
  EXPECT_NE(on_terminal("trace info a.vmt").find("vmsim: reading:"), std::string::npos);
  EXPECT_EQ(on_terminal("trace info a.vmt --no-progress").find("vmsim:"), std::string::npos);
}

}  // namespace
}  // namespace vmsim::test
