#include "mm/page_table.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/units.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

// The widest storage level of a linear table's sparse store: 4096 entries, so the store's own index
// stays small even for a 48-bit address space.
constexpr std::uint32_t kMaxStorageBits = 12;

// Splits `total` bits into `levels` nearly equal parts; the root (first) takes the remainder.
std::vector<std::uint32_t> split_bits(std::uint32_t total, std::uint32_t levels) {
  std::vector<std::uint32_t> bits(levels, total / levels);
  bits.front() += total % levels;
  return bits;
}

}  // namespace

PageTableShape PageTableShape::from_config(const SimConfig& config) {
  PageTableShape shape;
  shape.kind = config.page_table;
  shape.page_size = config.page_size;
  shape.pte_bytes = config.pte_bytes;
  shape.vpn_bits = config.va_bits - config.page_shift();
  shape.level_bits = config.page_table == PageTableKind::Radix
                         ? config.radix_level_bits()
                         : std::vector<std::uint32_t>{shape.vpn_bits};
  return shape;
}

std::uint64_t PageTableShape::pages_per_node(std::uint32_t bits) const {
  const std::uint64_t bytes = (std::uint64_t{1} << bits) * pte_bytes;
  return std::max<std::uint64_t>(1, (bytes + page_size - 1) / page_size);
}

PageTable::PageTable(const PageTableShape& shape) : shape_(shape) {
  if (shape_.kind == PageTableKind::Radix) {
    storage_bits_ = shape_.level_bits;
  } else {
    const std::uint32_t levels =
        std::max<std::uint32_t>(1, (shape_.vpn_bits + kMaxStorageBits - 1) / kMaxStorageBits);
    storage_bits_ = split_bits(shape_.vpn_bits, levels);
    // The whole linear table exists from the start, as one contiguous array the MMU indexes.
    table_pages_ = shape_.pages_per_node(shape_.vpn_bits);
  }
  const std::size_t levels = storage_bits_.size();
  shift_.resize(levels);
  std::uint32_t shift = 0;
  for (std::size_t l = levels; l-- > 0;) {
    shift_[l] = shift;
    shift += storage_bits_[l];
  }
  interior_.resize(levels - 1);
  nodes_.assign(levels, 0);
  // The root always exists: the page-table base register points at it.
  if (levels == 1) {
    leaves_.resize(std::size_t{1} << storage_bits_[0]);
  } else {
    interior_[0].assign(std::size_t{1} << storage_bits_[0], kNoNode);
  }
  nodes_[0] = 1;
  if (shape_.kind == PageTableKind::Radix) table_pages_ = shape_.pages_per_node(storage_bits_[0]);
}

void PageTable::check_range(std::uint64_t vpn) const {
  if (shape_.vpn_bits < 64 && (vpn >> shape_.vpn_bits) != 0) {
    throw Error(
        fmt::format("address {:#x} lies outside the {}-bit virtual address space (raise --va-bits)",
                    vpn * shape_.page_size, shape_.vpn_bits + log2_exact(shape_.page_size)));
  }
}

std::uint32_t PageTable::index_at(std::uint64_t vpn, std::size_t level) const {
  const std::uint64_t mask = (std::uint64_t{1} << storage_bits_[level]) - 1;
  return static_cast<std::uint32_t>((vpn >> shift_[level]) & mask);
}

PageTable::Walk PageTable::walk(std::uint64_t vpn) {
  check_range(vpn);
  const std::size_t leaf_level = storage_bits_.size() - 1;
  const bool radix = shape_.kind == PageTableKind::Radix;
  std::uint32_t node = 0;
  for (std::size_t l = 0; l < leaf_level; ++l) {
    const std::uint32_t child =
        interior_[l][(std::size_t{node} << storage_bits_[l]) + index_at(vpn, l)];
    if (child == kNoNode) {
      return {nullptr, radix ? static_cast<std::uint32_t>(l + 1) : 1U};
    }
    node = child - 1;
  }
  Pte* pte = &leaves_[(std::size_t{node} << storage_bits_[leaf_level]) + index_at(vpn, leaf_level)];
  return {pte, radix ? static_cast<std::uint32_t>(storage_bits_.size()) : 1U};
}

Pte& PageTable::populate(std::uint64_t vpn) {
  check_range(vpn);
  const std::size_t leaf_level = storage_bits_.size() - 1;
  const bool radix = shape_.kind == PageTableKind::Radix;
  std::uint32_t node = 0;
  for (std::size_t l = 0; l < leaf_level; ++l) {
    const std::size_t slot = (std::size_t{node} << storage_bits_[l]) + index_at(vpn, l);
    if (interior_[l][slot] == kNoNode) {
      const std::uint32_t fresh = nodes_[l + 1]++;
      const std::size_t width = std::size_t{1} << storage_bits_[l + 1];
      if (l + 1 == leaf_level) {
        leaves_.resize(leaves_.size() + width);
      } else {
        interior_[l + 1].resize(interior_[l + 1].size() + width, kNoNode);
      }
      if (radix) table_pages_ += shape_.pages_per_node(storage_bits_[l + 1]);
      interior_[l][slot] = fresh + 1;
    }
    node = interior_[l][slot] - 1;
  }
  return leaves_[(std::size_t{node} << storage_bits_[leaf_level]) + index_at(vpn, leaf_level)];
}

Pte& PageTable::existing(std::uint64_t vpn) {
  Pte* pte = walk(vpn).pte;
  if (pte == nullptr) throw std::logic_error("reverse map names a page with no page-table entry");
  return *pte;
}

}  // namespace vmsim
