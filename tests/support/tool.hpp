// Running the built `vmsim` binary as a user would, capturing exit code, stdout and stderr, inside
// a temporary directory that is removed afterwards.
#pragma once

#include <sys/wait.h>

#include "support/scratch.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace vmsim::test {

struct ToolResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `vmsim ARGS` through the shell (ARGS is shell text, quote as on a command line) from `cwd`
// (default: the repository root, so example paths resolve as in the README). `input` becomes
// standard input.
inline ToolResult run_tool(const std::string& args, const std::string& input = "",
                           const std::string& cwd = VMSIM_SOURCE_DIR) {
  Scratch capture;
  const std::string out = capture.file("out");
  const std::string err = capture.file("err");
  const std::string in = capture.write("in", input);
  const std::string command = "cd '" + cwd + "' && '" + VMSIM_TOOL_PATH + "' " + args + " >'" +
                              out + "' 2>'" + err + "' <'" + in + "'";
  const int status = std::system(command.c_str());
  ToolResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = Scratch::read(out);
  r.err = Scratch::read(err);
  return r;
}

}  // namespace vmsim::test
