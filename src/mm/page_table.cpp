#include "mm/page_table.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/units.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

// The widest storage level: 4096 entries, so the store's own index stays small even for a 48-bit
// linear table, and a wide radix level allocates its entries piece by piece.
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

PageTable::PageTable(const PageTableShape& shape, TableFrames& frames)
    : shape_(shape), frames_(&frames) {
  // Each modelled level is stored as one or more storage levels of at most kMaxStorageBits, so a
  // node of any width costs memory only for the parts of it in use: a 24-bit radix level or a
  // linear table over a 48-bit space is a tree of 4096-entry pieces here, while the walk and the
  // table-page count still follow the modelled shape.
  for (std::size_t level = 0; level < shape_.level_bits.size(); ++level) {
    const std::uint32_t bits = shape_.level_bits[level];
    const std::uint32_t parts =
        std::max<std::uint32_t>(1, (bits + kMaxStorageBits - 1) / kMaxStorageBits);
    const std::vector<std::uint32_t> split = split_bits(bits, parts);
    for (std::uint32_t part = 0; part < parts; ++part) {
      storage_bits_.push_back(split[part]);
      level_of_.push_back(static_cast<std::uint32_t>(level));
      starts_level_.push_back(part == 0);
    }
  }
  const std::size_t levels = storage_bits_.size();
  shift_.resize(levels);
  std::uint32_t shift = 0;
  for (std::size_t l = levels; l-- > 0;) {
    shift_[l] = shift;
    shift += storage_bits_[l];
  }
  level_shift_.resize(shape_.level_bits.size());
  shift = 0;
  for (std::size_t m = shape_.level_bits.size(); m-- > 0;) {
    level_shift_[m] = shift;
    shift += shape_.level_bits[m];
  }
  interior_.resize(levels - 1);
  nodes_.assign(levels, 0);
  node_pfn_.resize(levels);
  // The root always exists: the page-table base register points at it. A linear table is all root:
  // the whole flat array counts as allocated from the start.
  allocate_node(0);
}

std::uint32_t PageTable::allocate_node(std::size_t l) {
  const std::uint32_t node = nodes_[l]++;
  const std::size_t width = std::size_t{1} << storage_bits_[l];
  if (l + 1 == storage_bits_.size()) {
    leaves_.push_back(std::make_unique<Pte[]>(width));
  } else {
    interior_[l].resize(interior_[l].size() + width, kNoNode);
  }
  // The kernel allocates a whole table page (or node) when the first entry under it is needed;
  // the pieces of a wide node after its first lie inside its pages and cost nothing more.
  if (starts_level_[l]) {
    const std::uint64_t pages = shape_.pages_per_node(shape_.level_bits[level_of_[l]]);
    node_pfn_[l].push_back(frames_->allocate(pages));
    table_pages_ += pages;
  }
  return node;
}

void PageTable::release() {
  for (std::size_t l = 0; l < node_pfn_.size(); ++l) {
    if (!starts_level_[l]) continue;
    const std::uint64_t pages = shape_.pages_per_node(shape_.level_bits[level_of_[l]]);
    for (const std::uint64_t pfn : node_pfn_[l]) frames_->free(pfn, pages);
    node_pfn_[l].clear();
  }
  table_pages_ = 0;
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
  std::uint32_t node = 0;
  for (std::size_t l = 0; l < leaf_level; ++l) {
    const std::uint32_t child =
        interior_[l][(std::size_t{node} << storage_bits_[l]) + index_at(vpn, l)];
    if (child == kNoNode) {
      // A missing node that begins a modelled level: the walk read the entries above it and
      // found this one not present. A missing piece inside a modelled node: the walk read that
      // node's entry too (it exists, the entry is just empty).
      const std::uint32_t missing = level_of_[l + 1];
      return {nullptr, starts_level_[l + 1] ? missing : missing + 1};
    }
    node = child - 1;
  }
  Pte* pte = &leaves_[node][index_at(vpn, leaf_level)];
  return {pte, static_cast<std::uint32_t>(shape_.level_bits.size())};
}

Pte& PageTable::populate(std::uint64_t vpn) {
  check_range(vpn);
  const std::size_t leaf_level = storage_bits_.size() - 1;
  std::uint32_t node = 0;
  for (std::size_t l = 0; l < leaf_level; ++l) {
    const std::size_t slot = (std::size_t{node} << storage_bits_[l]) + index_at(vpn, l);
    if (interior_[l][slot] == kNoNode) interior_[l][slot] = allocate_node(l + 1) + 1;
    node = interior_[l][slot] - 1;
  }
  return leaves_[node][index_at(vpn, leaf_level)];
}

Pte& PageTable::existing(std::uint64_t vpn) {
  Pte* pte = walk(vpn).pte;
  if (pte == nullptr) throw std::logic_error("reverse map names a page with no page-table entry");
  return *pte;
}

}  // namespace vmsim
