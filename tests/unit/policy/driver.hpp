// A policy driven through its hooks alone, the way the kernel model calls them, with the pages it
// evicts reported: for scripted tests that check a policy's lists after every reference.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include <gtest/gtest.h>

#include "policy/page/policy.hpp"

namespace vmsim::test {

inline constexpr std::int64_t kHit = -2;
inline constexpr std::int64_t kFree = -1;

// Drives a policy the way the kernel model does (mm/fault.hpp, sim/engine.hpp): frames are
// handed out 0, 1, 2, ... while free; then select_victim[_for], on_unmap, the victim's bits
// cleared, on_map; the referenced bit set by each reference (by the faulting one only if the
// policy says so); on_access after every reference. Page keys are the page numbers.
template <class P>
class Driver {
 public:
  explicit Driver(std::uint32_t frames, typename P::Params params = {})
      : frames_(frames),
        referenced_(frames, 0),
        dirty_(frames, 0),
        keys_(frames, 0),
        policy_(PolicyContext{.frames = frames,
                              .seed = 1,
                              .referenced = referenced_.data(),
                              .dirty = dirty_.data(),
                              .page_key = keys_.data(),
                              .next_use = {}},
                params) {}

  // The evicted page, kFree if a free frame was used, or kHit.
  std::int64_t ref(std::uint64_t page) {
    const auto it = frame_of_.find(page);
    if (it != frame_of_.end()) {
      referenced_[it->second] = 1;
      if constexpr (HasOnAccess<P>) policy_.on_access(it->second, now_);
      ++now_;
      return kHit;
    }
    std::int64_t victim = kFree;
    FrameId f;
    if (!freed_.empty()) {
      f = freed_.back();
      freed_.pop_back();
    } else if (next_free_ < frames_) {
      f = next_free_++;
    } else {
      if constexpr (SelectsVictimFor<P>) {
        f = policy_.select_victim_for(page);
      } else {
        f = policy_.select_victim();
      }
      EXPECT_LT(f, frames_);
      policy_.on_unmap(f);
      victim = static_cast<std::int64_t>(keys_[f]);
      frame_of_.erase(keys_[f]);
      referenced_[f] = 0;
    }
    keys_[f] = page;
    frame_of_[page] = f;
    policy_.on_map(f);
    if constexpr (fault_sets_referenced<P>()) referenced_[f] = 1;
    if constexpr (HasOnAccess<P>) policy_.on_access(f, now_);
    ++now_;
    return victim;
  }

  // The page leaves memory with its process (mm/process.hpp's exit_mmap): discarded, not evicted,
  // and its frame is free for the next fault.
  void free(std::uint64_t page) {
    const FrameId f = frame_of_.at(page);
    discard(policy_, f);
    frame_of_.erase(page);
    referenced_[f] = 0;
    freed_.push_back(f);
  }

  FrameId frame(std::uint64_t page) const { return frame_of_.at(page); }
  P& policy() { return policy_; }

 private:
  std::uint32_t frames_;
  std::vector<std::uint8_t> referenced_;
  std::vector<std::uint8_t> dirty_;
  std::vector<std::uint64_t> keys_;
  P policy_;
  std::unordered_map<std::uint64_t, FrameId> frame_of_;
  FrameId next_free_ = 0;
  std::vector<FrameId> freed_;
  std::uint64_t now_ = 0;
};

}  // namespace vmsim::test
