// Belady's anomaly through the library API: FIFO faults more with 4 frames than with 3.
// Prints "frames=3 faults=9" and "frames=4 faults=10".
#include <cstdio>
#include <vector>

#include <vmsim/simulator.hpp>

int main() {
  const std::vector<std::uint64_t> pages = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};
  std::vector<vmsim::Access> trace;
  for (std::uint64_t p : pages)
    trace.push_back({.addr = p * 4096, .size = 1, .pid = 0, .op = vmsim::Op::Read});
  for (std::uint64_t frames : {3, 4}) {
    vmsim::SimConfig config;
    config.policy = "fifo";
    config.frames = frames;
    const vmsim::Results r = vmsim::simulate(config, trace);
    std::printf("frames=%llu faults=%llu\n", static_cast<unsigned long long>(frames),
                static_cast<unsigned long long>(r.counters.page_faults));
  }
  return 0;
}
