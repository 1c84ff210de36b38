// Page-fault frequency (Chu, Opderbeck, "The page fault frequency replacement algorithm", AFIPS
// FJCC 1972): the resident set grows while faults come often and shrinks when they come rarely. At
// every fault, if more than `threshold` references have passed since the previous fault, every page
// not referenced since that fault is released; then the referenced bits of all resident pages are
// cleared, so the next fault again sees "referenced since the last fault". If memory is full
// anyway, a second-chance clock over the frames picks the victim.
#pragma once

#include <cstdint>
#include <vector>

#include "policy/page/policy.hpp"
#include "vmsim/error.hpp"

namespace vmsim {

class PageFaultFrequency {
 public:
  static constexpr PolicyInfo info{"pff",
                                   "page-fault frequency: after a long fault-free interval release "
                                   "pages unused since the last fault",
                                   "Chu, Opderbeck, \"The page fault frequency replacement "
                                   "algorithm\", AFIPS Fall Joint Computer "
                                   "Conference, 1972"};
  struct Params {
    std::uint64_t threshold = 1000;
    static constexpr std::tuple fields{ParamField<Params, std::uint64_t>{
        "threshold", &Params::threshold,
        "inter-fault interval in references above which the resident set shrinks (default 1000)"}};
  };
  static constexpr bool issues_requests = true;

  PageFaultFrequency(const PolicyContext& ctx, Params params)
      : threshold_(params.threshold),
        frames_(ctx.frames),
        referenced_(ctx.referenced),
        resident_(ctx.frames, 0),
        requests_(ctx.requests) {
    if (threshold_ == 0) throw Error("policy pff: threshold must be at least 1");
  }

  void on_map(FrameId f) { resident_[f] = 1; }
  void on_unmap(FrameId f) { resident_[f] = 0; }

  void on_fault(std::uint64_t now) {
    const bool shrink = faulted_before_ && now - last_fault_ > threshold_;
    for (FrameId f = 0; f < frames_; ++f) {
      if (resident_[f] == 0) continue;
      if (shrink && referenced_[f] == 0) requests_->release.push_back(f);
      referenced_[f] = 0;
    }
    last_fault_ = now;
    faulted_before_ = true;
  }

  // Memory full: second chance over the frames (bits were cleared at the last fault, so this finds
  // a page unused since then if there is one).
  FrameId select_victim() {
    for (;;) {
      const FrameId f = hand_;
      hand_ = hand_ + 1 == frames_ ? 0 : hand_ + 1;
      if (resident_[f] == 0) continue;
      if (referenced_[f] == 0) return f;
      referenced_[f] = 0;
    }
  }

 private:
  std::uint64_t threshold_;
  std::uint32_t frames_;
  std::uint8_t* referenced_;
  std::vector<std::uint8_t> resident_;
  PolicyRequests* requests_;
  std::uint64_t last_fault_ = 0;
  bool faulted_before_ = false;
  FrameId hand_ = 0;
};

}  // namespace vmsim
