// The vmsim command line: `vmsim run`, `vmsim compare`, `vmsim --list-policies`.
#pragma once

namespace vmsim::cli {

// Parses the command line and runs it. Returns the process exit code: 0 on success, 2 on any user
// error (bad option, bad input, bad configuration), with the message already printed to stderr.
int run_cli(int argc, char** argv);

}  // namespace vmsim::cli
