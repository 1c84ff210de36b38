#include "sim/dense_trace.hpp"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <memory>

#include "core/page_key.hpp"
#include "policy/page/policy.hpp"
#include "sim/page_refs.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

constexpr std::uint64_t kMaxRefs = ~std::uint32_t{0};
constexpr std::size_t kBatch = 4096;  // records read at a time
constexpr std::size_t kAhead = 16;    // keys between a prefetch and its lookup

// Page key -> dense id while decoding. An address space's pages come in runs (a heap, a stack, a
// mapped file), so ids live in flat chunks of 512 consecutive pages (2 MiB of address space at
// 4 KiB pages), found through a small hash map of chunks: 4 bytes per page of a used chunk
// instead of a hash slot per page, and a lookup that touches one small, hot map and one array
// word (which can be prefetched). Chunk slots are kept within 8 per distinct page plus a fixed
// allowance: a page whose chunk does not fit yet goes to a plain hash map, and its chunk gets
// its array (taking its pages along) once it holds 8 such pages and the allowance has grown. So a
// trace of scattered pages costs no more than with a hash map alone, and a dense one far less.
class PageIdTable {
 public:
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};

  // The slot of `key` in its chunk (a stable address; it holds id + 1, 0 for a new page), or
  // nullptr when the page is in the sparse map. `distinct` is the pages seen so far.
  std::uint32_t* chunk_slot(std::uint64_t key, std::size_t distinct) {
    const std::uint64_t chunk_key = key >> kChunkBits;
    if (chunk_key != last_chunk_key_) {
      const auto [it, fresh] = chunk_of_.try_emplace(chunk_key, ChunkRef{});
      if (fresh && fits(distinct)) it->second.chunk = make_chunk();
      last_chunk_key_ = chunk_key;
      last_chunk_ = it->second.chunk == kSparse ? nullptr : chunks_[it->second.chunk].get();
    }
    return last_chunk_ == nullptr ? nullptr : last_chunk_ + (key & (kChunkPages - 1));
  }

  // The id of a page whose chunk has no array (kNone for a new one: then set it).
  std::uint32_t& sparse_slot(std::uint64_t key) {
    const auto [it, fresh] = sparse_.try_emplace(key, kNone);
    if (fresh) {
      ChunkRef& ref = chunk_of_[key >> kChunkBits];
      if (++ref.sparse_pages == kRipe) ripe_.push_back(key >> kChunkBits);
    }
    return it->second;
  }
  void prefetch_sparse(std::uint64_t key) const { sparse_.prefetch(key); }

  // Between batches (never while slots are held): gives ripe chunks their arrays while the
  // allowance lasts, moving their pages out of the sparse map.
  void promote(std::size_t distinct) {
    std::size_t done = 0;
    for (; done < ripe_.size() && fits(distinct); ++done) {
      const std::uint64_t chunk_key = ripe_[done];
      const std::uint32_t chunk = make_chunk();
      chunk_of_[chunk_key].chunk = chunk;
      for (std::uint64_t page = 0; page < kChunkPages; ++page) {
        const auto it = sparse_.find((chunk_key << kChunkBits) | page);
        if (it == sparse_.end()) continue;
        chunks_[chunk][page] = it->second + 1;
        sparse_.erase(it);
      }
    }
    if (done == 0) return;
    ripe_.erase(ripe_.begin(), ripe_.begin() + static_cast<std::ptrdiff_t>(done));
    last_chunk_key_ = ~std::uint64_t{0};  // the cached chunk may have just got its array
    last_chunk_ = nullptr;
  }

 private:
  static constexpr unsigned kChunkBits = 9;
  static constexpr std::uint64_t kChunkPages = std::uint64_t{1} << kChunkBits;
  static constexpr std::uint64_t kAllowance = 1 << 16;  // slots, whatever the page count
  static constexpr std::uint32_t kSparse = ~std::uint32_t{0};
  static constexpr std::uint32_t kRipe = 8;  // sparse pages that earn a chunk its array

  struct ChunkRef {
    std::uint32_t chunk = kSparse;   // index into chunks_, or kSparse
    std::uint32_t sparse_pages = 0;  // its pages in the sparse map
  };

  bool fits(std::size_t distinct) const {
    return (chunks_.size() + 1) * kChunkPages <= 8 * distinct + kAllowance;
  }
  std::uint32_t make_chunk() {
    chunks_.push_back(std::make_unique<std::uint32_t[]>(kChunkPages));  // zeroed: all new
    return static_cast<std::uint32_t>(chunks_.size() - 1);
  }

  absl::flat_hash_map<std::uint64_t, ChunkRef> chunk_of_;  // key >> 9 -> its chunk
  std::vector<std::unique_ptr<std::uint32_t[]>> chunks_;
  absl::flat_hash_map<std::uint64_t, std::uint32_t> sparse_;
  std::vector<std::uint64_t> ripe_;  // chunk keys waiting for an array, oldest first
  std::uint64_t last_chunk_key_ = ~std::uint64_t{0};  // above every real key >> 9
  std::uint32_t* last_chunk_ = nullptr;
};

}  // namespace

DenseTrace DenseTrace::decode(TraceReader& reader, unsigned page_shift) {
  DenseTrace t;
  PageIdTable ids;
  std::vector<bool> pid_seen(std::size_t{1} << 16);
  std::vector<Access> batch(kBatch);
  std::vector<std::uint64_t> keys;    // the batch's page references, as keys
  std::vector<std::uint32_t> writes;  // and kWriteBit for a store
  std::vector<std::uint32_t*> slots;  // and where their ids live (nullptr: the sparse map)
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
    // Find every reference's slot first and prefetch it, then read them in order: the misses of
    // a large footprint overlap instead of following one another.
    slots.resize(keys.size());
    for (std::size_t j = 0; j < keys.size(); ++j) {
      slots[j] = ids.chunk_slot(keys[j], t.keys_.size());
      if (slots[j] != nullptr) __builtin_prefetch(slots[j]);
    }
    for (std::size_t j = 0; j < keys.size(); ++j) {
      std::uint32_t id;
      if (std::uint32_t* slot = slots[j]; slot != nullptr) {
        if (*slot == 0) {
          if (t.keys_.size() == kIdMask) throw Error("more than 2^31 - 1 distinct pages");
          *slot = static_cast<std::uint32_t>(t.keys_.size()) + 1;
          t.keys_.push_back(keys[j]);
        }
        id = *slot - 1;
      } else {
        if (j + kAhead < keys.size() && slots[j + kAhead] == nullptr) {
          ids.prefetch_sparse(keys[j + kAhead]);
        }
        std::uint32_t& entry = ids.sparse_slot(keys[j]);
        if (entry == PageIdTable::kNone) {
          if (t.keys_.size() == kIdMask) throw Error("more than 2^31 - 1 distinct pages");
          entry = static_cast<std::uint32_t>(t.keys_.size());
          t.keys_.push_back(keys[j]);
        }
        id = entry;
      }
      t.refs_.push_back(id | writes[j]);
    }
    ids.promote(t.keys_.size());
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
