// Running the built `vmsim` binary as a user would, capturing exit code, stdout and stderr, inside
// a temporary directory that is removed afterwards.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace vmsim::test {

class Scratch {
 public:
  Scratch() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vmsim-cli-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  std::string file(const std::string& name) const { return (path_ / name).string(); }

  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name), std::ios::binary) << text;
    return file(name);
  }

  static std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

  std::size_t entries() const {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(path_),
                                                  std::filesystem::directory_iterator{}));
  }

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

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
