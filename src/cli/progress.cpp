#include "cli/progress.hpp"

#include <cstdio>

#include <unistd.h>

#include <fmt/format.h>

namespace vmsim::cli {

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

ProgressFn ProgressLine::callback(std::string label, Unit unit) {
  if (!enabled_) return {};
  return [this, label = std::move(label), unit](std::uint64_t consumed, std::uint64_t total) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    shown_ = true;
    if (unit == Unit::Records) {
      if (total > 0) {
        fmt::print(stderr, "\r\x1b[Kvmsim: {}: {:5.1f}% of {} records", label,
                   100.0 * static_cast<double>(consumed) / static_cast<double>(total), total);
      } else {
        fmt::print(stderr, "\r\x1b[Kvmsim: {}: {} records", label, consumed);
      }
    } else if (total > 0) {
      fmt::print(stderr, "\r\x1b[Kvmsim: {}: {:5.1f}% of {:.1f} MiB", label,
                 100.0 * static_cast<double>(consumed) / static_cast<double>(total),
                 static_cast<double>(total) / (1 << 20));
    } else {
      fmt::print(stderr, "\r\x1b[Kvmsim: {}: {:.1f} MiB read", label,
                 static_cast<double>(consumed) / (1 << 20));
    }
    std::fflush(stderr);
  };
}

void ProgressLine::finish() {
  if (shown_) {
    fmt::print(stderr, "\r\x1b[K");
    std::fflush(stderr);
    shown_ = false;
  }
}

}  // namespace vmsim::cli
