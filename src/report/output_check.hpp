// Checking where an output will go before any work is done, so that a mistyped -o or --plot
// fails at once instead of after a long run.
#pragma once

#include <string>

namespace vmsim {

// Throws vmsim::Error naming `path` when the file could not be written there: its directory does
// not exist, is not a directory or is not writable, or `path` is itself a directory. "-" (standard
// output) and "" (no output) always pass.
void check_output_path(const std::string& path);

}  // namespace vmsim
