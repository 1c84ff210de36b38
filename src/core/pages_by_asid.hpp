// Page ids grouped by the address space their page keys name (core/page_key.hpp): what ending an
// address space visits, in reference-string mode and in the exact LRU curve, whose pages are the
// ids of a decoded trace. One counting sort over the keys, O(pages + 2^16).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "core/page_key.hpp"

namespace vmsim {

class PagesByAsid {
 public:
  // `keys[id]` is page id's key.
  explicit PagesByAsid(std::span<const std::uint64_t> keys) : start_(kAsids + 1, 0) {
    for (const std::uint64_t key : keys) ++start_[key_asid(key) + 1];
    for (std::size_t a = 1; a < start_.size(); ++a) start_[a] += start_[a - 1];
    ids_.resize(keys.size());
    std::vector<std::uint32_t> next(start_.begin(), start_.end() - 1);
    for (std::uint32_t id = 0; id < keys.size(); ++id) ids_[next[key_asid(keys[id])]++] = id;
  }

  // The ids whose keys carry `asid`, in increasing order.
  std::span<const std::uint32_t> of(Asid asid) const {
    return std::span(ids_).subspan(start_[asid], start_[asid + 1] - start_[asid]);
  }

 private:
  static constexpr std::size_t kAsids = kAsidCount;
  std::vector<std::uint32_t> start_;  // ids of ASID a: ids_[start_[a] .. start_[a + 1])
  std::vector<std::uint32_t> ids_;
};

// Page ids in page-key order: what unmapping a range of one address space's pages visits
// (munmap), in reference-string mode and in the exact LRU curve. O(pages log pages) once.
class PagesByKey {
 public:
  explicit PagesByKey(std::span<const std::uint64_t> keys) : keys_(keys), ids_(keys.size()) {
    for (std::uint32_t id = 0; id < keys.size(); ++id) ids_[id] = id;
    std::sort(ids_.begin(), ids_.end(),
              [&](std::uint32_t a, std::uint32_t b) { return keys_[a] < keys_[b]; });
  }

  // The ids of `asid`'s pages [first, end), in page order.
  std::span<const std::uint32_t> of(Asid asid, std::uint64_t first, std::uint64_t end) const {
    // Before (asid, vpn) in key order: a lower ASID, or the same one and a lower page number.
    const auto before = [&](std::uint64_t vpn) {
      return [&, vpn](std::uint32_t id) {
        const PageKey key = keys_[id];
        return key_asid(key) < asid || (key_asid(key) == asid && key_vpn(key) < vpn);
      };
    };
    const auto from = std::partition_point(ids_.begin(), ids_.end(), before(first));
    const auto to = std::partition_point(from, ids_.end(), before(end));
    return {from, to};
  }

 private:
  std::span<const std::uint64_t> keys_;
  std::vector<std::uint32_t> ids_;
};

}  // namespace vmsim
