// The value a next-use table (OPT's future knowledge) holds for a reference whose page is never
// referenced again.
#pragma once

#include <cstdint>
#include <vector>

namespace vmsim {

inline constexpr std::uint64_t kNeverUsedAgain = ~std::uint64_t{0};

// Builds a next-use table forwards: see(i, page) for each reference i in order, its page
// numbered densely from 0 in order of first reference, makes the page's previous reference point
// at i. Entries not pointed at keep what they hold (kNeverUsedAgain, when the table starts so).
class NextUseLinks {
 public:
  explicit NextUseLinks(std::vector<std::uint64_t>& next) : next_(&next) {}

  void see(std::uint64_t i, std::uint64_t page) {
    if (page == last_.size()) {
      last_.push_back(i);
    } else {
      (*next_)[last_[page]] = i;
      last_[page] = i;
    }
  }

 private:
  std::vector<std::uint64_t>* next_;
  std::vector<std::uint64_t> last_;  // per page: its latest reference so far
};

}  // namespace vmsim
