// The value a next-use table (OPT's future knowledge) holds for a reference whose page is never
// referenced again.
#pragma once

#include <cstdint>

namespace vmsim {

inline constexpr std::uint64_t kNeverUsedAgain = ~std::uint64_t{0};

}  // namespace vmsim
