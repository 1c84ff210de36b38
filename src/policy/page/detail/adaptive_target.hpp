// The one parameter ARC and CAR share: where their adaptive target p for T1 starts.
#pragma once

#include <algorithm>
#include <tuple>

#include "policy/page/policy.hpp"

namespace vmsim::detail {

struct AdaptiveTargetParams {
  double p = 0.0;  // initial target size of T1, as a fraction of the frames (the papers: 0)
  static constexpr std::tuple fields{ParamField<AdaptiveTargetParams, double>{
      "p", &AdaptiveTargetParams::p,
      "initial target size of T1 as a fraction of frames (default 0, as in the paper)"}};

  // The target in frames, with p clamped to [0, 1].
  double initial_target(std::uint32_t frames) const { return std::clamp(p, 0.0, 1.0) * frames; }
};

}  // namespace vmsim::detail
