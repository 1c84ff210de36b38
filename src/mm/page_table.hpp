// A process's page table: the functional store of PTEs plus the model of its shape (how many memory
// references a walk makes, how many page-table pages exist).
//
// Radix tables are modelled with one node per table page, allocated when first needed. A linear
// table is modelled as one flat array covering the whole virtual address space (which is what makes
// it expensive: all of it counts as allocated). Both are stored as a tree of pieces of at most 4096
// entries, allocated as they are touched, so a 48-bit linear table or a 24-bit radix level costs
// memory only for what the trace uses.
#pragma once

#include <cstdint>
#include <vector>

#include "mm/pte.hpp"
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

class PageTable {
 public:
  explicit PageTable(const PageTableShape& shape);

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

  // Calls visit(vpn, pte) for every entry that maps a page or holds a swap entry, in page order.
  template <class Visit>
  void for_each_entry(Visit&& visit) {
    visit_node(0, 0, 0, visit);
  }

 private:
  static constexpr std::uint32_t kNoNode = 0;  // node 0 of every level is the root or unused

  void check_range(std::uint64_t vpn) const;

  template <class Visit>
  void visit_node(std::size_t level, std::uint32_t node, std::uint64_t prefix, Visit& visit) {
    const std::uint32_t bits = storage_bits_[level];
    const std::size_t base = std::size_t{node} << bits;
    if (level + 1 == storage_bits_.size()) {
      for (std::uint32_t i = 0; i < (std::uint32_t{1} << bits); ++i) {
        Pte& pte = leaves_[base + i];
        if (pte.present() || pte.payload != 0) visit((prefix << bits) | i, pte);
      }
      return;
    }
    for (std::uint32_t i = 0; i < (std::uint32_t{1} << bits); ++i) {
      const std::uint32_t child = interior_[level][base + i];
      if (child != kNoNode) visit_node(level + 1, child - 1, (prefix << bits) | i, visit);
    }
  }
  std::uint32_t index_at(std::uint64_t vpn, std::size_t level) const;

  PageTableShape shape_;
  std::vector<std::uint32_t> storage_bits_;  // how the store splits vpn, root first
  std::vector<std::uint32_t> level_of_;      // per storage level: the modelled level it is part of
  std::vector<bool> starts_level_;           // per storage level: the first part of its level
  std::vector<std::uint32_t> shift_;         // vpn shift per storage level
  // interior_[l] holds the child-node numbers of every node at storage level l, 2^bits per node.
  std::vector<std::vector<std::uint32_t>> interior_;
  std::vector<std::uint32_t> nodes_;  // nodes allocated per storage level
  std::vector<Pte> leaves_;           // 2^bits PTEs per leaf node
  std::uint64_t table_pages_ = 0;
};

}  // namespace vmsim
