// The one parameter ARC and CAR share: where their adaptive target p for T1 starts.
#pragma once

#include <cstdint>
#include <tuple>

#include "policy/page/policy.hpp"

namespace vmsim::detail {

struct AdaptiveTargetParams {
  double p = 0.0;  // initial target size of T1, as a fraction of the frames (the papers: 0)
  static constexpr std::tuple fields{ParamField<AdaptiveTargetParams, double>{
      "p", &AdaptiveTargetParams::p,
      "initial target size of T1 as a fraction of frames: a number from 0 to 1 (default 0, as in "
      "the paper)",
      0.0, 1.0}};

  // The target in frames (p is within [0, 1]: detail/param_check.hpp).
  double initial_target(std::uint32_t frames) const { return p * frames; }
};

}  // namespace vmsim::detail
