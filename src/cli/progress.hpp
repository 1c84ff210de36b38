// Progress on stderr for long runs, only when stderr is a terminal (never in pipes, logs or tests).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "vmsim/simulator.hpp"

namespace vmsim::cli {

class ProgressLine {
 public:
  // What the callback's two numbers count: input bytes (shown in MiB) or records.
  enum class Unit { Bytes, Records };

  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  ~ProgressLine() { finish(); }

  // `label` prefixes the line, e.g. "lru 64 frames".
  ProgressFn callback(std::string label, Unit unit = Unit::Bytes);
  void finish();

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

bool stderr_is_terminal();

}  // namespace vmsim::cli
