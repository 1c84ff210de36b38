// A process's page table: the functional store of PTEs plus the model of its shape (how many memory
// references a walk makes, how many page-table pages exist).
//
// Radix tables are modelled with one node per table page, allocated when first needed. A linear
// table is modelled as one flat array covering the whole virtual address space (which is what makes
// it expensive: all of it counts as allocated). Both are stored as a tree of pieces of at most 4096
// entries, allocated as they are touched, so a 48-bit linear table or a 24-bit radix level costs
// memory only for what the trace uses.
//
// Every table page has a physical page number (mm/table_frames.hpp), so a walk can name the
// address of each entry it reads (walk_steps). Leaf pieces are allocated one by one and never
// move, so a reference to a PTE stays valid for the life of the table, whatever else is populated.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "mm/pte.hpp"
#include "mm/table_frames.hpp"
#include "vmsim/config.hpp"

namespace vmsim {

struct PageTableShape {
  PageTableKind kind = PageTableKind::Radix;
  std::vector<std::uint32_t> level_bits;  // modelled levels, root first (one entry for linear)
  std::uint32_t vpn_bits = 36;
  std::uint64_t page_size = 4096;
  std::uint32_t pte_bytes = 8;

  static PageTableShape from_config(const SimConfig& config);
  // Table pages one node of `bits` index bits occupies.
  std::uint64_t pages_per_node(std::uint32_t bits) const;
};

// One entry a walk reads, in the modelled shape: its level (0 is the root), the table page and the
// entry's index in its node, and its physical address. `present` tells whether the walk goes on
// (an interior entry that points to a table, or a leaf that maps a page); `next` is then the
// physical page it points to: the next table's first page, or the page's frame.
struct WalkStep {
  std::uint32_t level = 0;
  std::uint64_t table_pfn = 0;
  std::uint64_t index = 0;
  std::uint64_t entry_address = 0;
  bool present = false;
  std::uint64_t next = 0;
};

class PageTable {
 public:
  // The root's pages are taken from `frames` at once: the page-table base register points at it.
  PageTable(const PageTableShape& shape, TableFrames& frames);

  // The walk the hardware makes for vpn: how many memory references it takes (stopping at the first
  // non-present entry of a radix table) and the leaf PTE, or nullptr when the page has none yet.
  // Throws vmsim::Error when vpn lies outside the virtual address space.
  struct Walk {
    Pte* pte;
    std::uint32_t memory_refs;
  };
  Walk walk(std::uint64_t vpn);

  // The leaf PTE for vpn, allocating table pages on the way (the kernel does this while handling a
  // fault).
  Pte& populate(std::uint64_t vpn);

  // The PTE of a page known to have one (reverse-map lookups during reclaim).
  Pte& existing(std::uint64_t vpn);

  std::uint64_t table_pages() const { return table_pages_; }

  // The physical page of the root table (what CR3, or satp, holds).
  std::uint64_t root_pfn() const { return node_pfn_[0][0]; }

  // The walk of vpn step by step: visit(const WalkStep&) for every entry the hardware reads, in
  // order. Returns the number of steps, which is walk(vpn).memory_refs.
  template <class Visit>
  std::uint32_t walk_steps(std::uint64_t vpn, Visit&& visit) const;

  // Gives every table page back to the TableFrames (exit_mmap frees the page tables this way).
  // The table holds nothing afterwards and must not be used again.
  void release();

  // Calls visit(vpn, pte) for every entry that maps a page or holds a swap entry, in page order.
  template <class Visit>
  void for_each_entry(Visit&& visit) {
    for_each_entry_in(0, ~std::uint64_t{0}, visit);
  }
  // The same for the entries of pages [first, end) only; tables outside the range are skipped.
  template <class Visit>
  void for_each_entry_in(std::uint64_t first, std::uint64_t end, Visit&& visit) {
    if (first < end) visit_node(0, 0, 0, first, end, visit);
  }

 private:
  static constexpr std::uint32_t kNoNode = 0;  // node 0 of every level is the root or unused

  void check_range(std::uint64_t vpn) const;

  // Node `node` of storage level `level` covers the pages from prefix << (its bits + shift).
  template <class Visit>
  void visit_node(std::size_t level, std::uint32_t node, std::uint64_t prefix, std::uint64_t first,
                  std::uint64_t end, Visit& visit) {
    const std::uint32_t bits = storage_bits_[level];
    const std::uint32_t below = shift_[level];  // each entry covers 2^below pages
    const std::uint64_t base = prefix << (bits + below);
    const std::uint64_t entries = std::uint64_t{1} << bits;
    if (end <= base) return;
    const std::uint64_t lo = first > base ? (first - base) >> below : 0;
    if (lo >= entries) return;
    const std::uint64_t hi = std::min(entries, ((end - base - 1) >> below) + 1);
    if (level + 1 == storage_bits_.size()) {
      Pte* leaf = leaves_[node].get();
      for (std::uint64_t i = lo; i < hi; ++i) {
        Pte& pte = leaf[i];
        if (pte.present() || pte.payload != 0) visit((prefix << bits) | i, pte);
      }
      return;
    }
    const std::size_t at = std::size_t{node} << bits;
    for (std::uint64_t i = lo; i < hi; ++i) {
      const std::uint32_t child = interior_[level][at + i];
      if (child != kNoNode)
        visit_node(level + 1, child - 1, (prefix << bits) | i, first, end, visit);
    }
  }
  std::uint32_t index_at(std::uint64_t vpn, std::size_t level) const;
  // A new node at storage level l, with its table pages when it begins a modelled node.
  std::uint32_t allocate_node(std::size_t l);

  PageTableShape shape_;
  TableFrames* frames_;
  std::vector<std::uint32_t> storage_bits_;  // how the store splits vpn, root first
  std::vector<std::uint32_t> level_of_;      // per storage level: the modelled level it is part of
  std::vector<bool> starts_level_;           // per storage level: the first part of its level
  std::vector<std::uint32_t> shift_;         // vpn shift per storage level
  std::vector<std::uint32_t> level_shift_;   // vpn shift per modelled level
  // interior_[l] holds the child-node numbers of every node at storage level l, 2^bits per node.
  std::vector<std::vector<std::uint32_t>> interior_;
  std::vector<std::uint32_t> nodes_;  // nodes allocated per storage level
  // node_pfn_[l][node]: the first table page of a node that begins a modelled node (empty for the
  // storage levels that continue one: their pieces lie inside it).
  std::vector<std::vector<std::uint64_t>> node_pfn_;
  std::vector<std::unique_ptr<Pte[]>> leaves_;  // 2^bits PTEs per leaf node, each its own block
  std::uint64_t table_pages_ = 0;
};

template <class Visit>
std::uint32_t PageTable::walk_steps(std::uint64_t vpn, Visit&& visit) const {
  check_range(vpn);
  const std::size_t leaf_level = storage_bits_.size() - 1;
  std::uint32_t node = 0;
  WalkStep step;
  for (std::size_t l = 0;; ++l) {
    if (starts_level_[l]) {
      // A new modelled node: the entry the hardware reads is found from the vpn's index at this
      // modelled level, whichever storage piece holds it.
      step.level = level_of_[l];
      step.table_pfn = node_pfn_[l][node];
      const std::uint32_t bits = shape_.level_bits[step.level];
      step.index = (vpn >> level_shift_[step.level]) & ((std::uint64_t{1} << bits) - 1);
      step.entry_address = step.table_pfn * shape_.page_size + step.index * shape_.pte_bytes;
    }
    if (l == leaf_level) {
      const Pte& pte = leaves_[node][index_at(vpn, l)];
      step.present = pte.present();
      step.next = step.present ? pte.frame() : 0;
      visit(static_cast<const WalkStep&>(step));
      return step.level + 1;
    }
    const std::uint32_t child =
        interior_[l][(std::size_t{node} << storage_bits_[l]) + index_at(vpn, l)];
    const bool ends_level = starts_level_[l + 1];
    if (child == kNoNode || ends_level) {
      step.present = child != kNoNode;
      step.next = step.present ? node_pfn_[l + 1][child - 1] : 0;
      visit(static_cast<const WalkStep&>(step));
      if (!step.present) return step.level + 1;
    }
    node = child - 1;
  }
}

}  // namespace vmsim
