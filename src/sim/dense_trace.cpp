#include "sim/dense_trace.hpp"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include "core/page_key.hpp"
#include "policy/page/policy.hpp"
#include "sim/page_refs.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

constexpr std::uint64_t kMaxRefs = ~std::uint32_t{0};
constexpr std::size_t kBatch = 4096;  // records read at a time
constexpr std::size_t kAhead = 16;    // keys between a prefetch and its lookup

}  // namespace

DenseTrace DenseTrace::decode(TraceReader& reader, unsigned page_shift) {
  DenseTrace t;
  absl::flat_hash_map<std::uint64_t, std::uint32_t> ids;
  std::vector<bool> pid_seen(std::size_t{1} << 16);
  // Consecutive references to one page are common in programs' traces (a loop over an array):
  // they skip the hash lookup.
  std::uint64_t last_key = ~std::uint64_t{0};
  std::uint32_t last_id = 0;
  std::vector<Access> batch(kBatch);
  std::vector<std::uint64_t> keys;    // the batch's page references, as keys
  std::vector<std::uint32_t> writes;  // and kWriteBit for a store
  while (const std::size_t n = reader.read(batch)) {
    keys.clear();
    writes.clear();
    for (std::size_t i = 0; i < n; ++i) {
      const Access& a = batch[i];
      if (is_event(a.op)) {
        ++t.events_;
        continue;
      }
      ++t.accesses_;
      t.reads_ += a.op == Op::Read;
      t.writes_ += a.op == Op::Write;
      if (!pid_seen[a.pid]) {
        pid_seen[a.pid] = true;
        ++t.processes_;
      }
      const std::uint32_t write = a.op == Op::Write ? kWriteBit : 0;
      const PageSpan span = page_span(a, page_shift);
      for (std::uint64_t vpn = span.first; vpn <= span.last; ++vpn) {
        if (vpn >> kPageKeyAsidShift != 0) {
          throw Error(fmt::format("address {:#x} has a page number beyond 48 bits", a.addr));
        }
        keys.push_back(make_page_key(a.pid, vpn));
        writes.push_back(write);
      }
    }
    if (keys.size() > kMaxRefs - t.refs_.size()) {
      throw Error("more than 2^32 - 1 page references");
    }
    // A large footprint's table misses the cache on most new pages: prefetching the slots of
    // the key kAhead on overlaps those misses (2-3x faster decoding of a 1 M-page Zipf trace).
    for (std::size_t j = 0; j < keys.size(); ++j) {
      if (j + kAhead < keys.size()) ids.prefetch(keys[j + kAhead]);
      const std::uint64_t key = keys[j];
      if (key != last_key) {
        const auto [it, fresh] = ids.try_emplace(key, static_cast<std::uint32_t>(t.keys_.size()));
        if (fresh) {
          if (t.keys_.size() == kIdMask) throw Error("more than 2^31 - 1 distinct pages");
          t.keys_.push_back(key);
        }
        last_key = key;
        last_id = it->second;
      }
      t.refs_.push_back(last_id | writes[j]);
    }
  }
  return t;
}

DenseTrace DenseTrace::from_pages(const std::vector<std::uint64_t>& pages,
                                  const std::vector<bool>& writes) {
  std::vector<Access> records;
  records.reserve(pages.size());
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const bool write = i < writes.size() && writes[i];
    records.push_back(Access{pages[i] << 12, 1, 0, write ? Op::Write : Op::Read});
  }
  VectorReader reader(std::move(records));
  return decode(reader, 12);
}

std::vector<std::uint64_t> DenseTrace::next_use() const {
  std::vector<std::uint64_t> next(refs_.size());
  std::vector<std::uint64_t> seen(keys_.size(), kNeverUsedAgain);
  for (std::size_t i = refs_.size(); i-- > 0;) {
    const std::uint32_t page = refs_[i] & kIdMask;
    next[i] = seen[page];
    seen[page] = i;
  }
  return next;
}

}  // namespace vmsim
