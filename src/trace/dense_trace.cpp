#include "trace/dense_trace.hpp"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <span>
#include <type_traits>

#include <sys/mman.h>

#include "core/address_space_ids.hpp"
#include "core/address_spaces.hpp"
#include "core/memory_budget.hpp"
#include "core/next_use.hpp"
#include "core/page_key.hpp"
#include "core/page_objects.hpp"
#include "core/page_span.hpp"
#include "core/regions.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

constexpr std::uint64_t kMaxRefs = ~std::uint32_t{0};
constexpr std::size_t kBatch = 4096;  // records read at a time
// References between the prefetch of a chunk slot and its use: enough to cover a miss to memory,
// few enough that the line is still in L1 when used. (Prefetching all of a batch's slots before
// using any left many loads waiting: a batch touches more lines than L1 holds.)
constexpr std::size_t kSlotsAhead = 128;
constexpr std::size_t kAhead = 16;  // keys between a prefetch of the sparse map and its lookup
constexpr unsigned kPageShift4K = 12;
// The most references reserved up front from a reader's record-count hint (1 GiB of ids). The
// hint comes from the file; a damaged or crafted one must not reserve without bound, and a trace
// longer than this grows the array as usual.
constexpr std::uint64_t kMaxReserve = std::uint64_t{1} << 28;

// Faults in the pages of a growing array ahead of the writes that fill it, a few MiB per system
// call. Each new page of the 40 MB of ids of a 10 M-reference trace otherwise costs a page fault
// of its own, about 2 us each on the machine of docs/performance.md, and in bulk about a third
// less. Uses Linux's MADV_POPULATE_WRITE (5.14); where that is missing or fails, the pages fault
// in as they would have.
class Prefaulter {
 public:
  // The array at `data` is about to have its first `used` bytes written, and will have its first
  // `limit` bytes written in the end, as far as is known: no page past that is faulted in.
  void ahead(const void* data, std::size_t used, std::size_t limit) {
    const auto begin = reinterpret_cast<std::uintptr_t>(data);
    if (begin != begin_) {  // a new array: what it holds was copied in, so is in place
      begin_ = begin;
      done_ = used;
    }
    if (used + kStep / 2 <= done_ || done_ >= limit) return;
    const std::size_t target = std::min(limit, used + kStep);
    populate(begin + done_, begin + target);
    done_ = target;
  }

 private:
  static constexpr std::size_t kStep = std::size_t{4} << 20;
  static constexpr std::uintptr_t kPage = 4096;  // a smaller page than the system's does no harm

  // Whole pages of [from, to) only: the partial ones at the ends are shared with other data, and
  // will fault in when written.
  static void populate(std::uintptr_t from, std::uintptr_t to) {
    from = (from + kPage - 1) & ~(kPage - 1);
    to &= ~(kPage - 1);
    if (to <= from) return;
#ifdef MADV_POPULATE_WRITE
    ::madvise(reinterpret_cast<void*>(from), to - from, MADV_POPULATE_WRITE);
#endif
  }

  std::uintptr_t begin_ = 0;
  std::size_t done_ = 0;
};

// Page key -> dense id while decoding. An address space's pages come in runs (a heap, a stack, a
// mapped file), so ids live in flat chunks of 512 consecutive pages (2 MiB of address space at
// 4 KiB pages): 4 bytes per page of a used chunk instead of a hash slot per page, and a lookup
// that touches one chunk entry and one array word (which can be prefetched). Chunks are found
// through a direct-mapped cache of chunk entries in front of the hash map of all chunks, as a TLB
// sits in front of a page table: consecutive chunks land in consecutive ways, so a dense address
// space of up to `ways` chunks never misses once its chunks are known, and a hit costs one load
// and a compare. (A test of the last chunk used, in front of the map, fails on most references
// of a trace that jumps between chunks, and then the map costs a hash and a probe: with it,
// decoding the 10 M-access zipf trace of docs/performance.md took about 200 ms, with the cache
// about 170.) Chunk slots are kept within 8 per distinct page plus a fixed allowance: a
// page whose chunk does not fit yet goes to a plain hash map, and its chunk gets its array
// (taking its pages along) once it holds 8 such pages and the allowance has grown. So a trace of
// scattered pages costs no more than with a hash map alone, and a dense one far less.
class PageIdTable {
 public:
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};

  // The slot of `key` in its chunk (a stable address; it holds id + 1, 0 for a new page), or
  // nullptr when the page is in the sparse map. `distinct` is the pages seen so far.
  std::uint32_t* chunk_slot(std::uint64_t key, std::size_t distinct) {
    const std::uint64_t chunk_key = key >> kChunkBits;
    const ChunkWay& way = ways_[way_of(chunk_key)];
    if (way.chunk_key != chunk_key) [[unlikely]] {
      return chunk_slot_miss(key, distinct);
    }
    return slot_in(way.ids, key);
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
      std::uint32_t* ids = chunks_[chunk].get();
      for (std::uint64_t page = 0; page < kChunkPages; ++page) {
        const auto it = sparse_.find((chunk_key << kChunkBits) | page);
        if (it == sparse_.end()) continue;
        ids[page] = it->second + 1;
        sparse_.erase(it);
      }
      // The cached entry, if any, still says "sparse".
      ChunkWay& way = ways_[way_of(chunk_key)];
      if (way.chunk_key == chunk_key) way.ids = ids;
    }
    ripe_.erase(ripe_.begin(), ripe_.begin() + static_cast<std::ptrdiff_t>(done));
  }

 private:
  static constexpr unsigned kChunkBits = 9;
  static constexpr std::uint64_t kChunkPages = std::uint64_t{1} << kChunkBits;
  static constexpr std::uint64_t kAllowance = 1 << 16;  // slots, whatever the page count
  static constexpr std::uint32_t kSparse = ~std::uint32_t{0};
  static constexpr std::uint32_t kRipe = 8;  // sparse pages that earn a chunk its array
  // Ways of the chunk cache: from 256 (4 KiB, in L1) up to 64 Ki (1 MiB), at least twice the
  // chunks with arrays, so that a dense address space fits without conflicts.
  static constexpr std::size_t kMinWays = std::size_t{1} << 8;
  static constexpr std::size_t kMaxWays = std::size_t{1} << 16;
  // The page key's asid (bit 48) is bit 39 of a chunk key.
  static constexpr unsigned kChunkAsidShift = kPageKeyAsidShift - kChunkBits;

  struct ChunkRef {
    std::uint32_t chunk = kSparse;   // index into chunks_, or kSparse
    std::uint32_t sparse_pages = 0;  // its pages in the sparse map
  };
  struct ChunkWay {
    std::uint64_t chunk_key = ~std::uint64_t{0};  // above every real key >> 9: empty
    std::uint32_t* ids = nullptr;                 // the chunk's array, nullptr when sparse
  };

  // Low bits of the chunk key, so a run of chunks takes a run of ways; the asid is mixed in so
  // processes with the same layout (every fork child) do not all want the same ways.
  std::size_t way_of(std::uint64_t chunk_key) const {
    return (chunk_key + (chunk_key >> kChunkAsidShift) * 0x9e3779b1U) & (ways_.size() - 1);
  }
  static std::uint32_t* slot_in(std::uint32_t* ids, std::uint64_t key) {
    return ids == nullptr ? nullptr : ids + (key & (kChunkPages - 1));
  }

  // Not cached: finds or adds the chunk in the map (giving a new one its array if the allowance
  // lasts) and caches it.
  std::uint32_t* chunk_slot_miss(std::uint64_t key, std::size_t distinct) {
    const std::uint64_t chunk_key = key >> kChunkBits;
    const auto [it, fresh] = chunk_of_.try_emplace(chunk_key, ChunkRef{});
    if (fresh && fits(distinct)) it->second.chunk = make_chunk();
    ChunkWay& way = ways_[way_of(chunk_key)];
    way.chunk_key = chunk_key;
    way.ids = it->second.chunk == kSparse ? nullptr : chunks_[it->second.chunk].get();
    return slot_in(way.ids, key);
  }

  bool fits(std::size_t distinct) const {
    return (chunks_.size() + 1) * kChunkPages <= 8 * distinct + kAllowance;
  }
  // Also grows the cache with the chunks that have arrays (those in the sparse map gain little
  // from it: their pages are looked up in the sparse map anyway, and a trace of scattered pages
  // would only fill a large cache with misses).
  std::uint32_t make_chunk() {
    chunks_.push_back(std::make_unique<std::uint32_t[]>(kChunkPages));  // zeroed: all new
    if (chunks_.size() * 2 > ways_.size() && ways_.size() < kMaxWays) {
      ways_.assign(ways_.size() * 2, ChunkWay{});  // refilled by the misses that follow
    }
    return static_cast<std::uint32_t>(chunks_.size() - 1);
  }

  absl::flat_hash_map<std::uint64_t, ChunkRef> chunk_of_;  // key >> 9 -> its chunk
  std::vector<std::unique_ptr<std::uint32_t[]>> chunks_;
  std::vector<ChunkWay> ways_ = std::vector<ChunkWay>(kMinWays);
  absl::flat_hash_map<std::uint64_t, std::uint32_t> sparse_;
  std::vector<std::uint64_t> ripe_;  // chunk keys waiting for an array, oldest first
};

// One batch's page references between finding their slots and numbering them: the key, where
// its id lives (nullptr: the sparse map) and kWriteBit for a store. Plain arrays that only grow,
// written through pointers so the hot loop has no capacity checks: a batch of n records needs n
// entries unless some access spans several pages, and only that case checks for room.
class BatchRefs {
 public:
  explicit BatchRefs(std::size_t capacity) { grow(capacity); }
  std::size_t capacity() const { return keys_.size(); }
  void grow(std::size_t capacity) {
    keys_.resize(capacity);
    slots_.resize(capacity);
    writes_.resize(capacity);
  }
  std::uint64_t* keys() { return keys_.data(); }
  std::uint32_t** slots() { return slots_.data(); }
  std::uint32_t* writes() { return writes_.data(); }

 private:
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t*> slots_;
  std::vector<std::uint32_t> writes_;
};

// What decoding counts and records besides the references themselves.
struct Tally {
  explicit Tally(unsigned shift) : spaces(shift), page_shift(shift) {}

  TraceCounts counts;  // all but accesses and fetches, which come of the record count at the end
  std::uint64_t processes = 0;
  // The pid of the access before, and its address space. kNoPid after an event, and after each
  // access of a process that declared regions, whose every access is checked (add_general).
  std::uint32_t last_pid = kNoPid;
  Asid last_asid = 0;
  // What the fast loop may take without a check (page_keys): pages [window_first, window_first +
  // window_pages) for the ops whose bits are set in window_ops (bit op: Read 0, Write 1, Fetch 2,
  // the bits of the region's protection). Everything for a process without regions; the region
  // of its last access for one with them, so a run of accesses within one region stays in the
  // fast loop, as a TLB hit needs no region check in the full model.
  std::uint64_t window_first = 0;
  std::uint64_t window_pages = ~std::uint64_t{0};
  std::uint32_t window_ops = kAllOps;
  // Some process declared regions; and the batch being read runs the loop that keeps the window
  // (set from any_regions at each batch: the loop without it costs 9 fewer instructions a record,
  // and a trace without regions never needs it).
  bool any_regions = false;
  bool windowed = false;
  std::vector<bool> pid_seen = std::vector<bool>(kAsidCount);
  // Per ASID: the address space may have pages (it had an access, or a fork copied one that
  // did). Unmapping in one that has none records no change.
  std::vector<bool> has_pages = std::vector<bool>(kAsidCount);
  AddressSpaces spaces;
  unsigned page_shift;
  std::vector<DenseTrace::SpaceChange>* changes = nullptr;
  std::uint64_t refs_before_batch = 0;     // page references decoded before this batch
  std::uint64_t records_before_batch = 0;  // and records read
  std::size_t batch_records = 0;
  std::uint64_t protection_fault_count = 0;
  std::vector<ProtectionFault>* protection_faults = nullptr;
  std::optional<DenseTrace::Stop>* first_fault = nullptr;
  bool unmaps = false;
  std::vector<std::uint64_t> protection_faults_by_pid;  // grown to the largest pid with one

  static constexpr std::uint32_t kNoPid = ~std::uint32_t{0};  // above every pid
  static constexpr std::uint32_t kAllOps = 0b111;             // reads, writes and fetches

  // The address space of an access by `pid`, the `m`-th reference of the batch.
  void note_pid(std::uint16_t pid, std::size_t m) {
    last_pid = pid;
    if (!pid_seen[pid]) {
      pid_seen[pid] = true;
      ++processes;
    }
    bool created = false;
    last_asid = spaces.ids().for_access(pid, created);
    has_pages[last_asid] = true;
    if (created) {
      changes->push_back({refs_before_batch + m, last_asid, pid, DenseTrace::Change::Begin});
    }
  }

  // What the events do, recorded as changes (core/address_spaces.hpp: SpaceEventHandler).
  struct Changes {
    Tally& tally;
    std::uint64_t at;
    std::uint16_t pid;
    void push(const DenseTrace::SpaceChange& change) { tally.changes->push_back(change); }
    void end(Asid asid) {
      push({at, asid, tally.spaces.ids().pid_of(asid), DenseTrace::Change::End});
      tally.has_pages[asid] = false;
    }
    void begin(Asid asid, std::uint16_t owner) {
      push({at, asid, owner, DenseTrace::Change::Begin});
      tally.has_pages[asid] = false;
    }
    void fork(Asid parent, Asid child) {
      push({at, child, pid, DenseTrace::Change::Fork, parent});
      tally.has_pages[child] = tally.has_pages[parent];
    }
    void unmapped(Asid asid, std::uint64_t first, std::uint64_t end) {
      if (!tally.has_pages[asid]) return;
      push({at, asid, tally.spaces.ids().pid_of(asid), DenseTrace::Change::Unmap, 0, first, end});
      tally.unmaps = true;
    }
    // Reference-string mode caches no translations: a new protection matters only to the
    // checks this decoding makes.
    void reprotected(Asid, std::uint64_t, std::uint64_t) {}
  };

  // An event before the `m`-th reference of the batch.
  void note_event(const Access& event, std::size_t m) {
    ++counts.events;
    counts.forks += event.op == Op::Fork;
    counts.exits += event.op == Op::Exit;
    counts.execs += event.op == Op::Exec;
    any_regions = any_regions || is_region_event(event.op);
    Changes handler{*this, refs_before_batch + m, event.pid};
    spaces.apply(event, handler);
    last_pid = kNoPid;  // the next access looks its address space up again
  }

  // A page reference of `a` (the `m`-th of the batch; `still_to_come` records follow `a` in it)
  // that its regions do not allow: counted and listed, and the first kept as where a run that
  // stops at it ends.
  [[gnu::cold, gnu::noinline]] void protection_fault(const Access& a, std::uint64_t vpn,
                                                     const std::optional<Vma>& region,
                                                     std::size_t m, std::size_t still_to_come) {
    ++protection_fault_count;
    if (a.pid >= protection_faults_by_pid.size()) protection_faults_by_pid.resize(a.pid + 1U);
    ++protection_faults_by_pid[a.pid];
    const std::uint64_t at = refs_before_batch + m;
    if (protection_faults->size() < kProtectionFaultsListed) {
      protection_faults->push_back(
          describe_protection_fault(at, a, vpn << page_shift, region, page_shift));
    }
    if (*first_fault) return;
    DenseTrace::Stop stop;
    stop.at = at;
    stop.changes = changes->size();
    stop.counts = counts;
    stop.counts.accesses = records_before_batch + (batch_records - still_to_come) - counts.events;
    stop.counts.fetches = stop.counts.accesses - counts.reads - counts.writes;
    stop.processes = processes;
    stop.regions = spaces.live_regions();
    *first_fault = std::move(stop);
  }
};

// Every record but a reference within one page by the pid of the record before: an event, a new
// pid, a page-crossing access, an address beyond 48 bits of pages. Appends its references at
// `m` (`still_to_come` records of the batch follow it, one reference each at least) and returns
// the new count. Kept out of line so the loop over ordinary records keeps its few values in
// registers.
[[gnu::noinline]] std::size_t add_general(const Access& a, unsigned page_shift, BatchRefs& refs,
                                          std::size_t m, std::size_t still_to_come, Tally& tally) {
  if (is_event(a.op)) {
    tally.note_event(a, m);
    return m;
  }
  if (a.pid != tally.last_pid) tally.note_pid(a.pid, m);
  tally.counts.reads += a.op == Op::Read;
  tally.counts.writes += a.op == Op::Write;
  const PageSpan span = page_span(a, page_shift);
  if (span.last >> kPageKeyAsidShift != 0) {
    throw Error(fmt::format("address {:#x} has a page number beyond 48 bits", a.addr));
  }
  const std::size_t room = m + (span.last - span.first + 1) + still_to_come;
  if (room > refs.capacity()) refs.grow(std::max(2 * refs.capacity(), room));
  const std::uint32_t write = a.op == Op::Write ? DenseTrace::kWriteBit : 0;
  const Regions& regions = tally.spaces.regions();
  const bool checked = regions.declared(tally.last_asid);
  bool allowed = true;
  for (std::uint64_t vpn = span.first; vpn <= span.last; ++vpn) {
    if (checked) {
      std::optional<Vma> region;
      if (!regions.allows(tally.last_asid, vpn, a.op, region)) {
        // The rest of the access is dropped too, as the CPU stops at the first page it may not
        // touch (the full model does the same: sim/engine.hpp).
        tally.protection_fault(a, vpn, region, m, still_to_come);
        allowed = false;
        break;
      }
    }
    refs.keys()[m] = make_page_key(tally.last_asid, vpn);
    refs.writes()[m] = write;
    ++m;
  }
  if (!checked) {
    tally.window_first = 0;
    tally.window_pages = ~std::uint64_t{0};
    tally.window_ops = Tally::kAllOps;
  } else if (allowed && tally.windowed) {
    // The next accesses within the region of this one's last page need no check.
    const Vma& vma = *regions.of(tally.last_asid).find(span.last);
    tally.window_first = vma.start;
    tally.window_pages = vma.end - vma.start;
    tally.window_ops = prot_bits(vma.prot);
  } else {
    tally.last_pid = Tally::kNoPid;  // its next access is checked again
  }
  return m;
}

// The page references of a batch of records, as keys and write bits in `refs`; returns how
// many. Almost every record is one reference within one page by the same pid as the record
// before, and the loop does nothing else for it. A function of its own, so that its loop keeps
// its values in registers. `PageShift` is unsigned, or a constant for 4 KiB pages, by far the
// most common size: a shift by a count in a register is three micro-ops on Intel cores.
// `Windowed`: the loop also takes accesses of processes with regions that fall in the window
// (Tally::window_first); without it, every access of such a process goes to add_general().
template <bool Windowed, class PageShift>
[[gnu::noinline]] std::size_t page_keys(std::span<const Access> batch, PageShift page_shift,
                                        BatchRefs& refs, Tally& tally) {
  // Address bits that put a page number beyond 48 bits (none when pages are 64 KiB or larger).
  const std::uint64_t beyond_48_bits = page_shift + kPageKeyAsidShift >= 64
                                           ? 0
                                           : ~std::uint64_t{0} << (page_shift + kPageKeyAsidShift);
  // Counted in locals, which stay in registers; the tally is in memory.
  std::uint64_t reads = 0;
  std::uint64_t writes = 0;
  std::uint32_t last_pid = tally.last_pid;
  Asid last_asid = tally.last_asid;
  std::uint64_t window_first = tally.window_first;
  std::uint64_t window_pages = tally.window_pages;
  std::uint32_t window_ops = tally.window_ops;
  std::uint64_t* keys = refs.keys();
  std::uint32_t* write_bits = refs.writes();
  std::size_t m = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Access& a = batch[i];
    // The last byte, or something on another page when the size is 0 (read as 1) at a page
    // start or the range wraps past 2^64: add_general() sorts those out.
    const std::uint64_t last_byte = a.addr + a.size - 1;
    bool allowed;
    if constexpr (Windowed) {
      // The op's bit in the window's ops: an event's (3 and up) is never set, so this is also
      // the test that the record is a reference.
      allowed = ((window_ops >> static_cast<unsigned>(a.op)) & 1U) != 0 &&
                (a.addr >> page_shift) - window_first < window_pages;
    } else {
      allowed = !is_event(a.op);
    }
    const bool ordinary = allowed && a.pid == last_pid &&
                          ((a.addr ^ last_byte) >> page_shift) == 0 &&
                          (a.addr & beyond_48_bits) == 0;
    if (!ordinary) [[unlikely]] {
      // The tally is up to date before it: a protection fault takes a snapshot of it.
      tally.counts.reads += reads;
      tally.counts.writes += writes;
      reads = 0;
      writes = 0;
      m = add_general(a, page_shift, refs, m, batch.size() - i - 1, tally);
      last_pid = tally.last_pid;
      last_asid = tally.last_asid;
      window_first = tally.window_first;
      window_pages = tally.window_pages;
      window_ops = tally.window_ops;
      keys = refs.keys();
      write_bits = refs.writes();
      continue;
    }
    keys[m] = make_page_key(last_asid, a.addr >> page_shift);
    write_bits[m] = a.op == Op::Write ? DenseTrace::kWriteBit : 0;
    reads += a.op == Op::Read;
    writes += a.op == Op::Write;
    ++m;
  }
  tally.counts.reads += reads;
  tally.counts.writes += writes;
  return m;
}

}  // namespace

DenseTrace DenseTrace::decode(TraceReader& reader, unsigned page_shift) {
  DenseTrace t;
  PageIdTable ids;
  Tally tally(page_shift);
  std::vector<Access> batch(kBatch);
  BatchRefs refs(kBatch);
  // Reserved once from the record count when the reader knows it (events aside, each record is a
  // reference or, if it crosses a page boundary, a few): growing a 40 MB array by doubling costs
  // more in copies and page faults than the rest of the decoding of its last half.
  const std::uint64_t hint = std::min(reader.records_hint(), kMaxReserve);
  require_memory(saturating_mul(hint, sizeof(std::uint32_t)),
                 fmt::format("decoding the trace's {} records in memory", hint));
  t.refs_.reserve(hint);
  Prefaulter prefault;
  tally.changes = &t.space_changes_;
  tally.protection_faults = &t.protection_faults_;
  tally.first_fault = &t.first_fault_;
  std::uint64_t records = 0;
  while (const std::size_t n = reader.read(batch)) {
    tally.refs_before_batch = t.refs_.size();
    tally.records_before_batch = records;
    tally.batch_records = n;
    // Three passes over the batch, each a short loop: records to page keys; keys to slots; then
    // ids, in order, prefetching the slot kSlotsAhead references on, so the misses of a large
    // footprint overlap instead of following one another.
    const std::span<const Access> read = std::span(batch).first(n);
    tally.windowed = tally.any_regions;
    const auto four_k = std::integral_constant<unsigned, kPageShift4K>{};
    const bool is_4k = page_shift == kPageShift4K;
    const std::size_t m = tally.windowed
                              ? (is_4k ? page_keys<true>(read, four_k, refs, tally)
                                       : page_keys<true>(read, page_shift, refs, tally))
                              : (is_4k ? page_keys<false>(read, four_k, refs, tally)
                                       : page_keys<false>(read, page_shift, refs, tally));
    const std::uint64_t* keys = refs.keys();
    const std::uint32_t* write_bits = refs.writes();
    records += n;
    if (m > kMaxRefs - t.refs_.size()) {
      throw Error("more than 2^32 - 1 page references");
    }

    const std::size_t distinct = t.keys_.size();
    std::uint32_t** slots = refs.slots();
    for (std::size_t j = 0; j < m; ++j) slots[j] = ids.chunk_slot(keys[j], distinct);
    for (std::size_t j = 0; j < std::min(m, kSlotsAhead); ++j) {
      if (slots[j] != nullptr) __builtin_prefetch(slots[j]);
    }

    // Written through a pointer, not appended one at a time: push_back's store of the new end
    // is what the next one loads, a dependency through memory on every reference. Grown by
    // doubling the capacity as push_back does: resize()'s own growth (to twice the size) made
    // 40% more page faults decoding a lackey trace over and over.
    const std::size_t done = t.refs_.size();
    if (done + m > t.refs_.capacity()) {
      const std::size_t grown = std::max(2 * t.refs_.capacity(), done + m);
      require_memory(
          saturating_mul(grown, sizeof(std::uint32_t)),
          fmt::format("decoding the trace in memory (over {} page references so far)", done));
      t.refs_.reserve(grown);
    }
    t.refs_.resize(done + m);
    std::uint32_t* out = t.refs_.data() + done;
    // Within what the hint reserved only: capacity from growing may never be used.
    prefault.ahead(t.refs_.data(), (done + m) * sizeof(std::uint32_t),
                   std::min<std::size_t>(t.refs_.capacity(), hint) * sizeof(std::uint32_t));
    for (std::size_t j = 0; j < m; ++j) {
      if (j + kSlotsAhead < m && slots[j + kSlotsAhead] != nullptr) {
        __builtin_prefetch(slots[j + kSlotsAhead]);
      }
      std::uint32_t id;
      if (std::uint32_t* slot = slots[j]; slot != nullptr) {
        if (*slot == 0) {
          if (t.keys_.size() == kIdMask) throw Error("more than 2^31 - 1 distinct pages");
          *slot = static_cast<std::uint32_t>(t.keys_.size()) + 1;
          t.keys_.push_back(keys[j]);
        }
        id = *slot - 1;
      } else {
        if (j + kAhead < m && slots[j + kAhead] == nullptr) {
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
      out[j] = id | write_bits[j];
    }
    ids.promote(t.keys_.size());
  }
  t.counts_ = tally.counts;
  t.counts_.accesses = records - tally.counts.events;
  t.counts_.fetches = t.counts_.accesses - t.counts_.reads - t.counts_.writes;
  t.processes_ = tally.processes;
  t.protection_fault_count_ = tally.protection_fault_count;
  for (std::size_t pid = 0; pid < tally.protection_faults_by_pid.size(); ++pid) {
    if (const std::uint64_t n = tally.protection_faults_by_pid[pid]; n != 0) {
      t.protection_faults_by_pid_.emplace_back(static_cast<std::uint16_t>(pid), n);
    }
  }
  t.unmaps_pages_ = tally.unmaps;
  t.live_regions_ = tally.spaces.live_regions();
  t.referenced_ = static_cast<std::uint32_t>(t.keys_.size());
  if (t.counts_.forks != 0) t.link_forks();
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
  require_memory(saturating_mul(refs_.size() + keys_.size(), sizeof(std::uint64_t)),
                 fmt::format("the next-use table of {} page references (for OPT)", refs_.size()));
  std::vector<std::uint64_t> next(refs_.size(), kNeverUsedAgain);
  if (forks_share_pages() || unmaps_pages_) {
    // Pages shared after a fork: the next use is the next reference to the same page, whichever
    // process makes it (core/page_objects.hpp), found forwards as trace/next_use.cpp finds it.
    NextUseLinks links(next);
    replay_pages([&](std::size_t i, PageObjects::Object page) { links.see(i, page); });
    return next;
  }
  std::vector<std::uint64_t> seen(keys_.size(), kNeverUsedAgain);
  for (std::size_t i = refs_.size(); i-- > 0;) {
    const std::uint32_t page = refs_[i] & kIdMask;
    next[i] = seen[page];
    seen[page] = i;
  }
  return next;
}

void DenseTrace::link_forks() {
  const std::size_t decoded = keys_.size();
  // Ids are given in order of first reference, so each first appears right after the one before.
  std::vector<std::uint64_t> first(decoded);
  std::uint32_t seen = 0;
  for (std::size_t i = 0; i < refs_.size() && seen < decoded; ++i) {
    if ((refs_[i] & kIdMask) == seen) first[seen++] = i;
  }
  absl::flat_hash_map<std::uint64_t, std::uint32_t> id_of;
  id_of.reserve(decoded);
  for (std::uint32_t id = 0; id < decoded; ++id) id_of.emplace(keys_[id], id);

  // Replays the changes in order, with each address space's pages as of the change: the ids
  // first referenced before it, and the copies forks gave it. A child's id that the decoding
  // made for a later reference joins the child at the fork, not at that reference.
  std::vector<std::vector<std::uint32_t>> pages_of(AddressSpaceIds::kAsids);
  std::vector<bool> joined(decoded);
  std::uint32_t next = 0;  // decoded ids below this have joined their address space
  for (const SpaceChange& c : space_changes_) {
    for (; next < decoded && first[next] < c.at; ++next) {
      if (!joined[next]) pages_of[key_asid(keys_[next])].push_back(next);
    }
    // An unmapped page keeps its id: the child of a later fork gets one for it too, which copies
    // nothing, as the parent's page is gone (mm/direct_map.hpp copies only what is there).
    if (c.kind == Change::Unmap) continue;
    if (c.kind != Change::Fork) {
      std::vector<std::uint32_t>().swap(pages_of[c.asid]);  // begins empty, or ends
      continue;
    }
    fork_pairs_.begin_fork();
    const std::vector<std::uint32_t>& parent = pages_of[c.parent];
    require_memory(
        saturating_mul(fork_pairs_.size() + parent.size(), sizeof(ForkPair)),
        fmt::format("the pages the trace's forks copy (over {} so far)", fork_pairs_.size()));
    std::vector<std::uint32_t>& child = pages_of[c.asid];
    for (const std::uint32_t page : parent) {
      const PageKey key = make_page_key(c.asid, key_vpn(keys_[page]));
      auto [it, inserted] = id_of.try_emplace(key, static_cast<std::uint32_t>(keys_.size()));
      if (inserted) {
        if (keys_.size() == kIdMask) throw Error("more than 2^31 - 1 distinct pages");
        keys_.push_back(key);
      } else if (it->second < decoded) {
        joined[it->second] = true;
      }
      child.push_back(it->second);
      fork_pairs_.add({page, it->second});
    }
  }
  fork_pairs_.finish();
  if (!fork_pairs_.empty()) {
    shares_pages_ = replay_pages([](std::size_t, PageObjects::Object) {}) != 0;
  }
}

template <class Visit>
std::uint64_t DenseTrace::replay_pages(Visit&& visit) const {
  PageObjects pages;
  std::uint64_t shared = 0;
  std::size_t c = 0;
  const auto changes_at = [&](std::size_t i) {
    for (; c < space_changes_.size() && space_changes_[c].at == i; ++c) {
      const SpaceChange& change = space_changes_[c];
      if (change.kind == Change::End) pages.exit(change.asid);
      if (change.kind == Change::Unmap) pages.unmap(change.asid, change.first, change.end);
      if (change.kind == Change::Fork) shared += pages.fork(change.parent, change.asid);
    }
  };
  for (std::size_t i = 0; i < refs_.size(); ++i) {
    changes_at(i);
    visit(i, pages.reference(keys_[refs_[i] & kIdMask], (refs_[i] & kWriteBit) != 0));
  }
  changes_at(refs_.size());
  return shared;
}

}  // namespace vmsim
