// One memory reference (or trace event) as every reader produces it and the simulator consumes it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vmsim {

// What a trace record does. Read/Write/Fetch are memory references; the rest are operating-system
// events (`@fork`, `@exit`, `@mmap`, `@munmap`, `@mprotect`, `@brk`, `@exec` in text traces)
// carried in the same stream so ordering is exact.
enum class Op : std::uint8_t {
  Read,      // data load
  Write,     // data store
  Fetch,     // instruction fetch
  Fork,      // pid forks; `addr` holds the child pid
  Exit,      // pid exits
  Mmap,      // pid maps [addr, addr + size) with protection `prot`
  Munmap,    // pid unmaps [addr, addr + size)
  Mprotect,  // pid sets the protection of [addr, addr + size) to `prot`
  Brk,       // pid moves its program break (the end of its heap) to `addr`
  Exec,      // pid runs a new program: its address space is replaced by an empty one
};

// How many operations there are (Op values are 0 .. kOpCount - 1).
inline constexpr std::uint8_t kOpCount = 10;

constexpr bool is_event(Op op) {
  return op >= Op::Fork;
}

// Whether the record carries a protection.
constexpr bool has_prot(Op op) {
  return op == Op::Mmap || op == Op::Mprotect;
}

// The operation's name: `read`, `write`, `fetch`, or the event's (`fork` ... `exec`, written
// `@fork` ... in text traces).
constexpr std::string_view op_name(Op op) {
  constexpr std::string_view kNames[kOpCount] = {"read", "write",  "fetch",    "fork", "exit",
                                                 "mmap", "munmap", "mprotect", "brk",  "exec"};
  const auto i = static_cast<std::uint8_t>(op);
  return i < kOpCount ? kNames[i] : std::string_view("unknown");
}

// Protection bits of Mmap and Mprotect records, with the values of Linux's PROT_READ (1),
// PROT_WRITE (2) and PROT_EXEC (4). A byte that is not a character type: a store through an
// unsigned char may alias any object, so a reader's loop that stores Access records would reload
// its state after every one (measured: the .vmt decoder 7% slower).
enum class Prot : std::uint8_t {};
inline constexpr Prot kProtNone{0};
inline constexpr Prot kProtRead{1};
inline constexpr Prot kProtWrite{2};
inline constexpr Prot kProtExec{4};
inline constexpr Prot kProtAll{7};
// What an `@mmap` line without a protection maps: read-write, as anonymous memory is.
inline constexpr Prot kProtDefault{3};

constexpr std::uint8_t prot_bits(Prot p) {
  return static_cast<std::uint8_t>(p);
}
constexpr Prot operator|(Prot a, Prot b) {
  return Prot{static_cast<std::uint8_t>(prot_bits(a) | prot_bits(b))};
}
// Whether `p` grants every permission in `wanted`.
constexpr bool allows(Prot p, Prot wanted) {
  return (prot_bits(p) & prot_bits(wanted)) == prot_bits(wanted);
}

// The protection as /proc/PID/maps writes it: "rw-", "r-x", "---".
inline std::string prot_name(Prot p) {
  return {allows(p, kProtRead) ? 'r' : '-', allows(p, kProtWrite) ? 'w' : '-',
          allows(p, kProtExec) ? 'x' : '-'};
}

// 16 bytes so a batch of a few thousand stays in L1/L2 while the simulator walks it.
struct Access {
  std::uint64_t addr = 0;  // virtual byte address (child pid for Op::Fork, new break for Op::Brk)
  std::uint32_t size = 1;  // bytes touched, at least 1 (length for Mmap/Munmap/Mprotect)
  std::uint16_t pid = 0;   // process id as written in the trace (0 when the trace has none)
  Op op = Op::Read;
  Prot prot = kProtNone;  // Mmap, Mprotect: the protection; kProtNone for every other record

  friend bool operator==(const Access&, const Access&) = default;
};
static_assert(sizeof(Access) == 16);

}  // namespace vmsim
