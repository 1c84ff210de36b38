// Progress on stderr for long runs, only when stderr is a terminal (never in pipes, logs or tests).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "vmsim/simulator.hpp"

namespace vmsim::cli {

class ProgressLine {
 public:
  // `label` prefixes the line, e.g. "lru 64 frames".
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  ~ProgressLine() { finish(); }

  ProgressFn callback(std::string label);
  void finish();

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

bool stderr_is_terminal();

}  // namespace vmsim::cli
