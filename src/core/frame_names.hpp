// The names of the pages in the frames, as policies read them (PolicyContext::page_key).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace vmsim {

// Per frame, the name of the page occupying it (PolicyContext::page_key), read where the frame
// table keeps it: beside the frame's swap slot and map count, which eviction reads with it (one
// cache line for all three), so names are `stride` bytes apart. A plain array of names (tests,
// replays) converts implicitly.
class FrameNames {
 public:
  FrameNames() = default;
  FrameNames(const std::uint64_t* names)  // implicit: an array of names is what tests pass
      : base_(reinterpret_cast<const unsigned char*>(names)), stride_(sizeof(std::uint64_t)) {}
  FrameNames(const unsigned char* first, std::size_t stride) : base_(first), stride_(stride) {}

  std::uint64_t operator[](std::size_t frame) const {
    std::uint64_t name;
    std::memcpy(&name, base_ + frame * stride_, sizeof name);
    return name;
  }

 private:
  const unsigned char* base_ = nullptr;
  std::size_t stride_ = sizeof(std::uint64_t);
};

}  // namespace vmsim
