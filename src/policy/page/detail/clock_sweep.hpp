// The clock hand's sweep over referenced bits, eight frames per step. A hand passing a referenced
// frame gives it a second chance (clears the bit) and stops at the first unreferenced one; on a
// skewed workload most frames are referenced and sweeps run long, so Clock spends its time here.
// Testing eight bytes at once with the classic zero-byte test (Hacker's Delight, 6-1) and clearing
// the passed ones with one store gives the same result as the one-frame-at-a-time loop.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

#include "policy/page/policy.hpp"

namespace vmsim::detail {

// The first frame in [from, end) whose referenced byte is 0, after clearing every byte before it in
// that range; `end` if there is none (then all of [from, end) is clear).
inline FrameId sweep_referenced(std::uint8_t* referenced, FrameId from, FrameId end) {
  constexpr std::uint64_t kOnes = 0x0101'0101'0101'0101;
  constexpr std::uint64_t kHighs = 0x8080'8080'8080'8080;
  FrameId f = from;
  while (end - f >= 8) {
    std::uint64_t word;
    std::memcpy(&word, referenced + f, sizeof word);
    // The lowest flagged byte is exactly the first zero byte; flags above it may be false.
    const std::uint64_t zero_bytes = (word - kOnes) & ~word & kHighs;
    if (zero_bytes != 0) {
      const int first = std::endian::native == std::endian::little
                            ? std::countr_zero(zero_bytes) / 8
                            : std::countl_zero(zero_bytes) / 8;
      std::memset(referenced + f, 0, static_cast<std::size_t>(first));
      return f + static_cast<FrameId>(first);
    }
    std::memset(referenced + f, 0, sizeof word);
    f += 8;
  }
  for (; f < end; ++f) {
    if (referenced[f] == 0) return f;
    referenced[f] = 0;
  }
  return end;
}

}  // namespace vmsim::detail
