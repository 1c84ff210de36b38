// A process's regions (Linux's VMAs): ranges of pages with a protection, as `@mmap`, `@munmap`
// and `@mprotect` declare them. Regions are kept in pages of the run's page size: an event's
// byte range is widened to whole pages (its first page to the page of its last byte), as Linux
// rounds a length up to pages, so what a page may do never depends on where in it an access
// falls. A mapping over pages that are mapped already replaces them (as MAP_FIXED does), and
// munmap or mprotect of a range that is partly mapped acts on the part that is. Neighbouring
// regions with the same protection are not merged: a region is what one event made of it, which
// is what a protection fault reports.
#pragma once

#include <cstdint>
#include <iterator>

#include <absl/container/btree_map.h>

#include "vmsim/access.hpp"

namespace vmsim {

struct Vma {
  std::uint64_t start = 0;  // first page
  std::uint64_t end = 0;    // one past the last page
  Prot prot = kProtNone;
};

// What an access of kind `op` needs of its region: read, write or exec permission.
constexpr Prot required_prot(Op op) {
  return op == Op::Write ? kProtWrite : op == Op::Fetch ? kProtExec : kProtRead;
}

class VmaSet {
 public:
  // The region holding page `vpn`, or nullptr. The pointer is valid until the set changes.
  const Vma* find(std::uint64_t vpn) const {
    auto it = by_start_.upper_bound(vpn);
    if (it == by_start_.begin()) return nullptr;
    --it;
    return vpn < it->second.end ? &it->second : nullptr;
  }

  // Pages [start, end) become one region with `prot`, replacing whatever was mapped there.
  void map(std::uint64_t start, std::uint64_t end, Prot prot) {
    unmap(start, end);
    by_start_.emplace(start, Vma{start, end, prot});
  }

  // Pages [start, end) are no longer mapped; regions that reach across either end are split.
  void unmap(std::uint64_t start, std::uint64_t end) {
    split_at(start);
    split_at(end);
    by_start_.erase(by_start_.lower_bound(start), by_start_.lower_bound(end));
  }

  // The mapped pages of [start, end) get `prot`.
  void protect(std::uint64_t start, std::uint64_t end, Prot prot) {
    split_at(start);
    split_at(end);
    for (auto it = by_start_.lower_bound(start); it != by_start_.end() && it->first < end; ++it) {
      it->second.prot = prot;
    }
  }

  // The region that ends at page `end` (one past its last page) reaches to `new_end` instead,
  // over pages [end, new_end) that no region holds (brk growing the heap). Returns false, and
  // changes nothing, when no region ends at `end` with protection `prot`.
  bool extend(std::uint64_t end, std::uint64_t new_end, Prot prot) {
    if (end == 0) return false;
    auto it = by_start_.upper_bound(end - 1);
    if (it == by_start_.begin()) return false;
    --it;
    if (it->second.end != end || it->second.prot != prot) return false;
    it->second.end = new_end;
    return true;
  }

  // Whether any page of [start, end) is mapped.
  bool overlaps(std::uint64_t start, std::uint64_t end) const {
    auto it = by_start_.upper_bound(start);
    if (it != by_start_.begin() && std::prev(it)->second.end > start) return true;
    return it != by_start_.end() && it->first < end;
  }

  bool empty() const { return by_start_.empty(); }
  std::size_t size() const { return by_start_.size(); }

  // visit(const Vma&) for every region, in address order.
  template <class Visit>
  void for_each(Visit&& visit) const {
    for (const auto& entry : by_start_) visit(entry.second);
  }

 private:
  // A region that holds both page-1 and page becomes two, split between them.
  void split_at(std::uint64_t page) {
    auto it = by_start_.upper_bound(page);
    if (it == by_start_.begin()) return;
    --it;
    Vma& vma = it->second;
    if (vma.start == page || page >= vma.end) return;
    const Vma upper{page, vma.end, vma.prot};
    vma.end = page;
    by_start_.emplace_hint(std::next(it), page, upper);
  }

  absl::btree_map<std::uint64_t, Vma> by_start_;
};

}  // namespace vmsim
