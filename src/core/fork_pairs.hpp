// What each fork of a decoded trace copies (trace/dense_trace.hpp): for the k-th fork, each page
// id the parent had, with the child's id for the same page number. Reference-string mode's
// translation (mm/direct_map.hpp) maps the child's ids from these.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace vmsim {

struct ForkPair {
  std::uint32_t parent;
  std::uint32_t child;
};

class ForkPairs {
 public:
  // The pairs of the next fork; call once per fork, in trace order.
  void begin_fork() { begin_.push_back(static_cast<std::uint32_t>(pairs_.size())); }
  void add(ForkPair pair) { pairs_.push_back(pair); }
  // After the last fork.
  void finish() { begin_.push_back(static_cast<std::uint32_t>(pairs_.size())); }

  std::size_t size() const { return pairs_.size(); }
  bool empty() const { return pairs_.empty(); }
  // The k-th fork's pairs.
  std::span<const ForkPair> of(std::size_t k) const {
    return std::span(pairs_).subspan(begin_[k], begin_[k + 1] - begin_[k]);
  }

 private:
  std::vector<ForkPair> pairs_;
  std::vector<std::uint32_t> begin_;  // per fork, where its pairs begin; one more at the end
};

}  // namespace vmsim
