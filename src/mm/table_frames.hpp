// The physical pages page tables occupy. Every table page has a physical page number, so a walk
// can name the address of each entry it reads (the page-walk caches and nested walks of the MMU
// key on them, and explanations print them). Table pages are numbered in a range of their own
// above the frames that hold data, like memory the kernel keeps for itself: they never compete
// with the pages the replacement policy manages, so every fault count is what it was before table
// pages had addresses.
//
// A node wider than a page (a wide radix level, or a linear table) takes a run of contiguous
// pages, as the kernel's allocation of such a table would. Freed runs are reused last-freed-first
// among runs of the same length, so the numbering is deterministic.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace vmsim {

class TableFrames {
 public:
  // Table pages are numbered from first_pfn up (the model puts them just above the data frames).
  explicit TableFrames(std::uint64_t first_pfn) : next_(first_pfn) {}

  // The first page of a run of `pages` contiguous table pages.
  std::uint64_t allocate(std::uint64_t pages) {
    in_use_ += pages;
    std::vector<std::uint64_t>& runs = free_runs(pages);
    if (!runs.empty()) {
      const std::uint64_t base = runs.back();
      runs.pop_back();
      return base;
    }
    const std::uint64_t base = next_;
    next_ += pages;
    return base;
  }

  // Gives back a run that allocate(pages) returned.
  void free(std::uint64_t base, std::uint64_t pages) {
    in_use_ -= pages;
    free_runs(pages).push_back(base);
  }

  // Table pages allocated and not freed, over every page table.
  std::uint64_t in_use() const { return in_use_; }

 private:
  // Runs come in as many lengths as a table has levels, so a short list is the whole index.
  std::vector<std::uint64_t>& free_runs(std::uint64_t pages) {
    for (auto& [length, runs] : free_) {
      if (length == pages) return runs;
    }
    return free_.emplace_back(pages, std::vector<std::uint64_t>{}).second;
  }

  std::uint64_t next_;
  std::uint64_t in_use_ = 0;
  std::vector<std::pair<std::uint64_t, std::vector<std::uint64_t>>> free_;  // by run length
};

}  // namespace vmsim
