// `vmsim record -o FILE [options] -- CMD ARGS...`
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

namespace vmsim::cli {

class RecordCommand {
 public:
  virtual ~RecordCommand() = default;
  virtual bool parsed() const = 0;
  // Runs the recording; returns the program's exit code (128 + signal if it was killed).
  virtual int run() = 0;
};

std::unique_ptr<RecordCommand> add_record_command(CLI::App& app, std::string command_line);

}  // namespace vmsim::cli
