// `vmsim mrc TRACE`: the miss-ratio curve of LRU (exact, or SHARDS-sampled) and OPT over every
// memory size in one pass (src/mrc/).
#pragma once

#include <memory>

#include <CLI/CLI.hpp>

namespace vmsim::cli {

class MrcCommand {
 public:
  virtual ~MrcCommand() = default;
  virtual bool parsed() const = 0;
  // Runs the parsed command; throws vmsim::Error on user errors.
  virtual int run() = 0;
};

// Adds the `mrc` subcommand to `app`; the result must outlive parsing.
std::unique_ptr<MrcCommand> add_mrc_command(CLI::App& app);

}  // namespace vmsim::cli
