// Which page each reference reaches, worked out from the trace alone. A page (an object here) is
// what a frame or a swap slot of the full model holds: after `@fork P C` the child's page and the
// parent's are one page until either side writes it (copy-on-write), when the writer gets a page
// of its own; a page nobody has written yet is not shared at all (its content, zeroes or the
// backing store, can be made again, so the child makes its own at its first touch). None of this
// depends on the memory size, so a pass over the trace can name the page behind every reference,
// as OPT's next-use pass does (trace/next_use.cpp): the full model's frames hold exactly these
// pages (mm/process.hpp's copy_mm shares what this shares, mm/fault.hpp's do_wp_page copies
// where this gives a new page).
//
// Pages are numbered densely from 0 in order of appearance, so per-page state can be a vector.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "core/address_space_ids.hpp"
#include "core/page_key.hpp"

namespace vmsim {

class PageObjects {
 public:
  using Object = std::uint64_t;

  // The page a reference to `key` reaches (a write to a shared page reaches the writer's new
  // copy), numbered from 0.
  Object reference(PageKey key, bool write) {
    auto [it, inserted] = object_of_.try_emplace(key, sharers_.size());
    if (inserted) {
      keys_of(key_asid(key)).push_back(key);
      return make_object(write);
    }
    Object object = it->second;
    if (write) {
      if (sharers_[object] > 1) [[unlikely]] {
        --sharers_[object];
        object = make_object(true);
        it->second = object;
      } else {
        written_[object] = true;
      }
    }
    return object;
  }

  // The child's new address space shares every written page of the parent's; returns how many.
  std::uint64_t fork(Asid parent, Asid child) {
    std::uint64_t shared = 0;
    std::vector<PageKey>& child_keys = keys_of(child);
    for (const PageKey key : keys_of(parent)) {
      const auto it = object_of_.find(key);
      if (it == object_of_.end()) continue;  // unmapped since (see unmap)
      const Object object = it->second;
      if (!written_[object]) continue;
      const PageKey copy = make_page_key(child, key_vpn(key));
      // A key listed twice (unmapped, then touched again) is copied once.
      if (!object_of_.try_emplace(copy, object).second) continue;
      ++sharers_[object];
      child_keys.push_back(copy);
      ++shared;
    }
    return shared;
  }

  // Pages [first, end) leave the address space (munmap): each has one sharer fewer, and a later
  // reference to the same page number reaches a new page. Their keys stay listed for the address
  // space (fork and exit skip keys that reach nothing), so this costs the smaller of the range
  // and the address space's keys.
  void unmap(Asid asid, std::uint64_t first, std::uint64_t end) {
    const auto drop = [&](PageKey key) {
      const auto it = object_of_.find(key);
      if (it == object_of_.end()) return;
      --sharers_[it->second];
      object_of_.erase(it);
    };
    std::vector<PageKey>& keys = keys_of(asid);
    end = std::min(end, std::uint64_t{1} << kPageKeyAsidShift);
    if (end - first <= keys.size()) {
      for (std::uint64_t vpn = first; vpn < end; ++vpn) drop(make_page_key(asid, vpn));
    } else {
      for (const PageKey key : keys) {
        if (key_vpn(key) >= first && key_vpn(key) < end) drop(key);
      }
    }
  }

  // The address space ends: its pages have one sharer fewer.
  void exit(Asid asid) {
    std::vector<PageKey>& keys = keys_of(asid);
    for (const PageKey key : keys) {
      const auto it = object_of_.find(key);
      if (it == object_of_.end()) continue;  // unmapped before, or listed twice
      --sharers_[it->second];
      object_of_.erase(it);
    }
    std::vector<PageKey>().swap(keys);
  }

  // Pages numbered so far.
  std::uint64_t objects() const { return sharers_.size(); }

 private:
  // A new page with one sharer, numbered next.
  Object make_object(bool written) {
    sharers_.push_back(1);
    written_.push_back(written);
    return sharers_.size() - 1;
  }

  std::vector<PageKey>& keys_of(Asid asid) {
    if (asid >= keys_of_.size()) keys_of_.resize(std::size_t{asid} + 1);
    return keys_of_[asid];
  }

  absl::flat_hash_map<PageKey, Object> object_of_;  // every live page key -> its page
  std::vector<std::uint32_t> sharers_;              // per page: the page keys that reach it
  std::vector<bool> written_;                       // per page: written since it was made
  std::vector<std::vector<PageKey>> keys_of_;       // per ASID: its page keys with a page
};

}  // namespace vmsim
