#include "mrc/stack_distance.hpp"

#include <algorithm>
#include <functional>
#include <utility>

namespace vmsim::mrc {
namespace {

// Positions are 32-bit with ~0 meaning "none"; the largest window is a multiple of 64 below that.
constexpr std::uint64_t kMaxWindow = 0xFFFFFFC0U;

std::uint32_t window_for(std::uint64_t positions) {
  return static_cast<std::uint32_t>(std::min(kMaxWindow, (positions + 63) / 64 * 64));
}

}  // namespace

LruStackDistance::LruStackDistance(std::uint32_t expected_pages, std::uint32_t min_window)
    : last_(expected_pages, kNone), min_window_(std::max<std::uint32_t>(64, min_window)) {
  // Twice the pages: compaction then runs at most once per `pages` references, O(1) amortized.
  resize_window(
      window_for(std::max<std::uint64_t>(min_window_, 2 * std::uint64_t{expected_pages})));
}

void LruStackDistance::resize_window(std::uint32_t window) {
  window_ = window;
  page_at_.resize(window_);
  bits_.resize(window_ / 64);
  tree_.resize(bits_.size() + 1);
}

void LruStackDistance::compact() {
  // Renumber the live markers 0..k-1 keeping their order; page_at_ is rewritten in place, which
  // is safe because a marker never moves to a later position.
  std::uint32_t k = 0;
  if (holes_.empty()) {
    for (std::size_t w = 0; w < bits_.size(); ++w) {
      for (std::uint64_t word = bits_[w]; word != 0; word &= word - 1) {
        const std::uint32_t page = page_at_[w * 64 + std::countr_zero(word)];
        page_at_[k] = page;
        last_[page] = k++;
      }
    }
  } else {
    // Holes are renumbered with the pages, and their queue rebuilt from the new positions.
    std::vector<std::uint32_t> holes;
    for (std::size_t w = 0; w < bits_.size(); ++w) {
      for (std::uint64_t word = bits_[w]; word != 0; word &= word - 1) {
        const std::uint32_t page = page_at_[w * 64 + std::countr_zero(word)];
        page_at_[k] = page;
        if (page == kHole) {
          holes.push_back(k++);
        } else {
          last_[page] = k++;
        }
      }
    }
    holes_ = std::priority_queue<std::uint32_t>(std::less<std::uint32_t>(), std::move(holes));
  }
  // More than half the window live: double it, or compaction would come ever more often.
  if (std::uint64_t{k} * 2 > window_) resize_window(window_for(std::uint64_t{window_} * 2));
  std::fill(bits_.begin(), bits_.end(), 0);
  for (std::uint32_t w = 0; w < k / 64; ++w) bits_[w] = ~std::uint64_t{0};
  if (k % 64 != 0) bits_[k / 64] = (std::uint64_t{1} << (k % 64)) - 1;
  // The full words enter the tree; the partial one is the new frontier. Linear-time Fenwick build.
  frontier_ = k / 64;
  std::fill(tree_.begin(), tree_.end(), 0);
  for (std::uint32_t w = 0; w < frontier_; ++w) tree_[w + 1] = 64;
  for (std::size_t i = 1; i < tree_.size(); ++i) {
    const std::size_t parent = i + (i & (~i + 1));
    if (parent < tree_.size()) tree_[parent] += tree_[i];
  }
  now_ = k;
  bottom_word_ = 0;
}

void LruStackDistance::remove(std::uint32_t page) {
  if (page >= last_.size() || last_[page] == kNone) return;
  clear_marker(last_[page]);
  last_[page] = kNone;
  --live_;
}

}  // namespace vmsim::mrc
