// LRU stack distances in O(log n) per reference (Mattson, Gecsei, Slutz and Traiger 1970, with the
// counting-tree method of Bennett and Kruskal 1975). The stack distance of a reference is the
// position of its page in the LRU stack just before it (1 = the page referenced last), which is one
// more than the number of distinct pages referenced since that page's previous reference. An LRU
// memory of c frames hits exactly the references with distance <= c, for every c at once.
//
// Every page keeps the time of its latest reference, and a bitmap over time positions holds a 1 at
// each such "latest reference" marker; the distance is then 1 + the markers after the page's
// previous time. Counting them is a Fenwick (binary indexed) tree over 64-position words of the
// bitmap plus two popcounts: the tree is 64 times smaller than one over single positions, so for a
// million pages it and the bitmap stay in L2. Time is compacted whenever it runs out of positions:
// live markers are renumbered 0..k-1 in order (their order is all that matters), so the structure
// holds O(distinct pages), not O(references).
//
// Pages freed from memory (their process exited) leave holes, as in LRU with free frames: memory
// of c frames holds the pages in the top c positions, holes counted, so a hole above a page is a
// free frame to every memory that holds the page's position. A reference moves its page to the top;
// the pages above it shift down by one, but only as far as the topmost hole above it, which that
// shift fills, and the page's old position becomes a hole in its turn (memories that held the page
// keep their free frame). A first reference fills the topmost hole, if any. A hole is a marker with
// no page, so distances count it; with no holes everything is as above.
#pragma once

#include <bit>
#include <cstdint>
#include <queue>
#include <vector>

namespace vmsim::mrc {

class LruStackDistance {
 public:
  static constexpr std::uint64_t kCold = 0;  // returned for a page's first reference

  // `expected_pages` sizes the per-page array and the time window (both grow as needed);
  // `min_window` is the smallest time window (tests make it tiny to exercise compaction).
  explicit LruStackDistance(std::uint32_t expected_pages = 0, std::uint32_t min_window = 4096);

  // References `page` and returns its stack distance (>= 1), or kCold on its first reference
  // (or first since remove() or free_page()). For a stack without holes (has_holes() false, as
  // always without free_page); access_with_holes() for one with. Two functions, so that the loop
  // over a trace without exits tests nothing for holes (callgrind: 10 instructions a reference).
  std::uint64_t access(std::uint32_t page) { return access_impl<false>(page); }
  std::uint64_t access_with_holes(std::uint32_t page) { return access_impl<true>(page); }
  bool has_holes() const { return !holes_.empty(); }

  // Starts loading `page`'s state, for a caller that knows what comes next: with a million pages
  // the per-page array is megabytes, and its load is most of the cost of a reference.
  void prefetch(std::uint32_t page) const {
    if (page < last_.size()) __builtin_prefetch(last_.data() + page);
  }

  // Forgets `page` (SHARDS with a fixed sample size drops pages from its sample): it leaves the
  // stack, so the pages below it move up, and its next reference is cold.
  void remove(std::uint32_t page);

  // Frees `page` from memory (its process exited): its position becomes a hole, and its next
  // reference is cold. Nothing moves.
  void free_page(std::uint32_t page) {
    if (page >= last_.size() || last_[page] == kNone) return;
    page_at_[last_[page]] = kHole;
    holes_.push(last_[page]);
    last_[page] = kNone;
  }

  // Positions in the stack: its distinct pages, and its holes.
  std::uint64_t depth() const { return live_; }

  // The page referenced least recently: the bottom of the stack, which must not be empty. A
  // bounded stack (SHARDS's dense sample) evicts it to make room. Amortized O(1): no marker ever
  // appears below the cursor between compactions, so it only moves up.
  std::uint32_t bottom() {
    while (bits_[bottom_word_] == 0) ++bottom_word_;
    return page_at_[std::size_t{bottom_word_} * 64 +
                    static_cast<unsigned>(std::countr_zero(bits_[bottom_word_]))];
  }

 private:
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};
  static constexpr std::uint32_t kHole = ~std::uint32_t{0};  // page_at_ of a hole

  template <bool kHoles>
  std::uint64_t access_impl(std::uint32_t page) {
    if (now_ == window_) compact();
    if (page >= last_.size()) last_.resize(std::size_t{page} + 1 + last_.size() / 2, kNone);
    const std::uint32_t t = now_++;
    if ((t >> 6) != frontier_) flush_word(frontier_);
    const std::uint32_t prev = last_[page];
    std::uint64_t distance = kCold;
    if (prev != kNone) {
      distance = live_ - markers_through(prev) + 1;
      if (!kHoles || holes_.empty() || holes_.top() < prev) {
        clear_marker(prev);
      } else {
        fill_hole();  // the topmost hole, above the page: the page's old position becomes one
        page_at_[prev] = kHole;
        holes_.push(prev);
      }
    } else if (!kHoles || holes_.empty()) {
      ++live_;
    } else {
      fill_hole();
    }
    bits_[t >> 6] |= std::uint64_t{1} << (t & 63);
    page_at_[t] = page;
    last_[page] = t;
    return distance;
  }

  // The topmost hole (the latest time among them) is filled by the shift above it: its marker
  // goes, and the reference's new marker takes its place in the count (live_ stays).
  void fill_hole() {
    clear_marker(holes_.top());
    holes_.pop();
  }

  // Markers at time positions <= t (t < now_).
  std::uint64_t markers_through(std::uint32_t t) const {
    const std::uint32_t w = t >> 6;
    const unsigned b = t & 63;
    const std::uint64_t upto = b == 63 ? ~std::uint64_t{0} : (std::uint64_t{2} << b) - 1;
    std::uint64_t sum = static_cast<std::uint64_t>(std::popcount(bits_[w] & upto));
    // Words before the frontier word are in the tree; sums of words [0, w).
    for (std::uint32_t i = w; i > 0; i &= i - 1) sum += tree_[i];
    return sum;
  }

  void clear_marker(std::uint32_t t) {
    const std::uint32_t w = t >> 6;
    bits_[w] &= ~(std::uint64_t{1} << (t & 63));
    if (w < frontier_) add_to_word(w, ~std::uint32_t{0});
  }

  // Fenwick update of word w's count (1-based tree index w + 1).
  // Unsigned wrap-around makes adding ~0 a decrement.
  void add_to_word(std::uint32_t w, std::uint32_t delta) {
    const std::size_t n = tree_.size();
    for (std::size_t i = std::size_t{w} + 1; i < n; i += i & (~i + 1)) tree_[i] += delta;
  }

  // The word being filled is kept out of the tree (no query needs it there: markers after it do
  // not exist yet) and enters it whole once time moves past it, so a reference costs one tree
  // update instead of two.
  void flush_word(std::uint32_t w) {
    add_to_word(w, static_cast<std::uint32_t>(std::popcount(bits_[w])));
    frontier_ = w + 1;
  }

  void compact();
  void resize_window(std::uint32_t window);

  std::vector<std::uint32_t> last_;           // per page: time of its latest reference, or kNone
  std::vector<std::uint32_t> page_at_;        // per time position: the page referenced then
  std::vector<std::uint64_t> bits_;           // per time position: 1 while it is its page's latest
  std::vector<std::uint32_t> tree_;           // Fenwick tree over the words before frontier_
  std::uint32_t window_ = 0;                  // time positions available (a multiple of 64)
  std::uint32_t now_ = 0;                     // next time position
  std::uint32_t frontier_ = 0;                // first word not in the tree
  std::uint64_t live_ = 0;                    // markers set: distinct pages and holes in the stack
  std::priority_queue<std::uint32_t> holes_;  // time positions of the holes, latest on top
  std::uint32_t bottom_word_ = 0;             // every word below it is empty (see bottom())
  std::uint32_t min_window_;
};

}  // namespace vmsim::mrc
