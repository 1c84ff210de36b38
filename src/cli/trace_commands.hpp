// `vmsim trace info | convert | slice | gen`: looking at, converting, cutting and making traces.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

namespace vmsim::cli {

class TraceCommands {
 public:
  virtual ~TraceCommands() = default;
  virtual bool parsed() const = 0;
  // Runs the parsed subcommand; throws vmsim::Error on user errors.
  virtual int run() = 0;
};

// Adds the `trace` command and its subcommands to `app`; the result must outlive parsing.
// `command_line` is recorded in the headers of the traces it writes.
std::unique_ptr<TraceCommands> add_trace_commands(CLI::App& app, std::string command_line);

}  // namespace vmsim::cli
