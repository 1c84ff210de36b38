// Physical frame numbers: what policies manage, page-table entries point to and the TLB caches.
#pragma once

#include <cstdint>

namespace vmsim {

using FrameId = std::uint32_t;

// A PTE's or TLB entry's "no frame": the page is not resident.
inline constexpr FrameId kNoFrame = ~FrameId{0};

}  // namespace vmsim
