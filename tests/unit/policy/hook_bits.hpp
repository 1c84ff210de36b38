// The per-frame state the access path would own, for driving a policy through its hooks alone.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "policy/page/policy.hpp"

namespace vmsim::test {

struct HookBits {
  explicit HookBits(std::uint32_t frames)
      : referenced(frames, 0), dirty(frames, 0), page_key(frames, 0) {}
  std::vector<std::uint8_t> referenced;
  std::vector<std::uint8_t> dirty;
  std::vector<std::uint64_t> page_key;
  PolicyContext context(std::span<const std::uint64_t> next_use = {}) {
    return {.frames = static_cast<std::uint32_t>(referenced.size()),
            .seed = 7,
            .referenced = referenced.data(),
            .dirty = dirty.data(),
            .page_key = page_key.data(),
            .next_use = next_use};
  }
};

// What the fault path does for a page that faults at reference `now`: on_map, then the faulting
// reference itself (on_access, for policies that take it).
template <class P>
void load(P& policy, FrameId f, std::uint64_t now) {
  policy.on_map(f);
  if constexpr (HasOnAccess<P>) policy.on_access(f, now);
}

}  // namespace vmsim::test
