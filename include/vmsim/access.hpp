// One memory reference (or trace event) as every reader produces it and the simulator consumes it.
#pragma once

#include <cstdint>

namespace vmsim {

// What a trace record does. Read/Write/Fetch are memory references; the rest are operating-system
// events
// (`@fork`, `@exit`, `@mmap`, `@munmap` in text traces) carried in the same stream so ordering is
// exact.
enum class Op : std::uint8_t {
  Read,    // data load
  Write,   // data store
  Fetch,   // instruction fetch
  Fork,    // pid forks; `addr` holds the child pid
  Exit,    // pid exits
  Mmap,    // pid maps [addr, addr + size)
  Munmap,  // pid unmaps [addr, addr + size)
};

constexpr bool is_event(Op op) {
  return op >= Op::Fork;
}

// 16 bytes so a batch of a few thousand stays in L1/L2 while the simulator walks it.
struct Access {
  std::uint64_t addr = 0;  // virtual byte address (child pid for Op::Fork)
  std::uint32_t size = 1;  // bytes touched, at least 1 (length for Mmap/Munmap)
  std::uint16_t pid = 0;   // process id as written in the trace (0 when the trace has none)
  Op op = Op::Read;

  friend bool operator==(const Access&, const Access&) = default;
};

}  // namespace vmsim
