// DenseTrace::decode numbers pages in order of first reference whatever way it stores the key ->
// id map: chunk arrays for dense runs, a hash map for scattered pages, and chunks that move from
// the one to the other part-way through a trace.
#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/rng.hpp"
#include "trace/dense_trace.hpp"
#include "vmsim/error.hpp"

namespace vmsim::test {
namespace {

// Address spaces as docs/trace-format.md defines them, the plain way: numbered 0, 1, 2, ... as
// they are created, by a process's first access when it has none, or by a fork (the child's, and
// the parent's if it has none; a fork to a pid that has one ends that first); an exit ends one.
// A fork's child then has a copy of each page the parent has: one it referenced or was given by
// a fork before. Every change is recorded as the decoding must record it, and each fork's
// copies as (parent key, child key) pairs.
struct NaiveSpaces {
  std::map<std::uint16_t, std::uint16_t> live;  // pid -> ASID
  std::uint16_t next = 0;
  std::vector<DenseTrace::SpaceChange> changes;
  std::map<std::uint16_t, std::set<std::uint64_t>> pages;  // ASID -> page numbers it has
  std::vector<std::set<std::pair<std::uint64_t, std::uint64_t>>> copies;  // per fork

  std::uint16_t create(std::uint16_t pid, std::uint64_t at) {
    live[pid] = next;
    pages[next].clear();
    changes.push_back({at, next, pid, DenseTrace::Change::Begin});
    return next++;
  }
  void end(std::uint16_t pid, std::uint64_t at) {
    const auto it = live.find(pid);
    if (it == live.end()) return;
    changes.push_back({at, it->second, pid, DenseTrace::Change::End});
    pages[it->second].clear();
    live.erase(it);
  }
  std::uint16_t of(std::uint16_t pid, std::uint64_t at) {
    const auto it = live.find(pid);
    return it != live.end() ? it->second : create(pid, at);
  }
  void event(const Access& a, std::uint64_t at) {
    if (a.op == Op::Fork) {
      if (live.count(a.pid) == 0) create(a.pid, at);
      const auto child_pid = static_cast<std::uint16_t>(a.addr);
      end(child_pid, at);
      const std::uint16_t child = create(child_pid, at);
      if (child_pid != a.pid) {
        const std::uint16_t parent = live[a.pid];
        changes.push_back({at, child, a.pid, DenseTrace::Change::Fork, parent});
        copies.emplace_back();
        for (const std::uint64_t page : pages[parent]) {
          copies.back().emplace((std::uint64_t{parent} << 48) | page,
                                (std::uint64_t{child} << 48) | page);
        }
        pages[child] = pages[parent];
      }
    } else if (a.op == Op::Exit) {
      end(a.pid, at);
    }
  }
};

// Ids as a plain map gives them: the order of first reference per (address space, page), for
// records without events that each touch one page.
std::vector<std::uint32_t> naive_ids(const std::vector<Access>& records) {
  NaiveSpaces spaces;
  std::map<std::pair<std::uint16_t, std::uint64_t>, std::uint32_t> ids;
  std::vector<std::uint32_t> out;
  for (const Access& a : records) {
    const auto [it, fresh] = ids.try_emplace({spaces.of(a.pid, out.size()), a.addr >> 12},
                                             static_cast<std::uint32_t>(ids.size()));
    out.push_back(it->second);
  }
  return out;
}

TEST(DenseDecode, FirstReferenceOrderAcrossChunkArraysAndTheSparseMap) {
  Rng rng(9);
  std::vector<Access> records;
  const auto touch = [&](std::uint16_t pid, std::uint64_t page) {
    records.push_back(Access{page << 12, 1, pid, rng.below(4) == 0 ? Op::Write : Op::Read});
  };
  // 400 pages 2 MiB apart: more chunks than the starting allowance, so most go to the sparse map.
  for (std::uint64_t c = 0; c < 400; ++c) touch(1, c << 9);
  // Then up to 20 more pages in each of those chunks, interleaved, which makes them ripe, and a
  // dense run of 200,000 pages in another pid, which grows the allowance so they get arrays.
  for (int round = 0; round < 20; ++round) {
    for (std::uint64_t c = 0; c < 400; ++c) touch(1, (c << 9) | (1 + rng.below(511)));
    for (std::uint64_t p = 0; p < 10'000; ++p) touch(2, 0x40000 + round * 10'000 + p);
  }
  // Revisit everything in a random order.
  for (int i = 0; i < 100'000; ++i) records.push_back(records[rng.below(records.size())]);

  VectorReader reader(records);
  const DenseTrace trace = DenseTrace::decode(reader, 12);
  const std::vector<std::uint32_t> expected = naive_ids(records);
  ASSERT_EQ(trace.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(trace.id(i), expected[i]) << "reference " << i;
    ASSERT_EQ(trace.is_write(i), records[i].op == Op::Write) << "reference " << i;
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    // pid 1 accesses first: ASID 0; pid 2 then has ASID 1.
    const std::uint64_t key = trace.key(trace.id(i));
    ASSERT_EQ(key, (std::uint64_t{records[i].pid - 1U} << 48) | (records[i].addr >> 12));
  }
  EXPECT_EQ(trace.processes(), 2U);
  EXPECT_EQ(trace.reads() + trace.writes() + trace.fetches(), trace.accesses());
}

// The whole decoding done the plain way, as the simulator's definition says: every page from an
// access's first byte to its last (a size of 0 is one byte, and the last byte stops at 2^64 - 1),
// ids per (address space, page) in order of first reference, events skipped but for the address
// spaces they begin and end.
struct Naive {
  std::vector<std::uint32_t> ids;
  std::vector<bool> writes;
  std::vector<std::uint64_t> keys;
  std::uint64_t accesses = 0, reads = 0, write_accesses = 0, events = 0, processes = 0;
  std::uint64_t forks = 0, exits = 0;
  NaiveSpaces spaces;
};

Naive naive_decode(const std::vector<Access>& records, unsigned page_shift) {
  Naive n;
  std::map<std::pair<std::uint16_t, std::uint64_t>, std::uint32_t> ids;
  std::map<std::uint16_t, bool> pids;
  for (const Access& a : records) {
    if (a.op == Op::Fork || a.op == Op::Exit || a.op == Op::Mmap || a.op == Op::Munmap) {
      ++n.events;
      n.forks += a.op == Op::Fork;
      n.exits += a.op == Op::Exit;
      n.spaces.event(a, n.ids.size());
      continue;
    }
    const std::uint16_t asid = n.spaces.of(a.pid, n.ids.size());
    ++n.accesses;
    n.reads += a.op == Op::Read;
    n.write_accesses += a.op == Op::Write;
    if (pids.emplace(a.pid, true).second) ++n.processes;
    const std::uint64_t bytes = a.size == 0 ? 1 : a.size;
    const std::uint64_t room = std::numeric_limits<std::uint64_t>::max() - a.addr;
    const std::uint64_t last =
        bytes - 1 > room ? std::numeric_limits<std::uint64_t>::max() : a.addr + (bytes - 1);
    for (std::uint64_t page = a.addr >> page_shift; page <= last >> page_shift; ++page) {
      const auto [it, fresh] =
          ids.try_emplace({asid, page}, static_cast<std::uint32_t>(n.keys.size()));
      if (fresh) n.keys.push_back((std::uint64_t{asid} << 48) | page);
      n.spaces.pages[asid].insert(page);
      n.ids.push_back(it->second);
      n.writes.push_back(a.op == Op::Write);
    }
  }
  return n;
}

void expect_as_naive(const std::vector<Access>& records, unsigned page_shift,
                     const DenseTrace& trace) {
  const Naive n = naive_decode(records, page_shift);
  ASSERT_EQ(trace.size(), n.ids.size());
  for (std::size_t i = 0; i < n.ids.size(); ++i) {
    ASSERT_EQ(trace.id(i), n.ids[i]) << "reference " << i;
    ASSERT_EQ(trace.is_write(i), n.writes[i]) << "reference " << i;
  }
  // The referenced pages first, then the copies forks made that are never referenced.
  ASSERT_GE(trace.keys().size(), n.keys.size());
  EXPECT_EQ(
      std::vector<std::uint64_t>(trace.keys().begin(),
                                 trace.keys().begin() + static_cast<std::ptrdiff_t>(n.keys.size())),
      n.keys);
  std::set<std::uint64_t> copied;
  for (std::size_t k = 0; k < n.spaces.copies.size(); ++k) {
    std::set<std::pair<std::uint64_t, std::uint64_t>> got;
    for (const ForkPair pair : trace.fork_pairs().of(k)) {
      got.emplace(trace.key(pair.parent), trace.key(pair.child));
      copied.insert(trace.key(pair.child));
    }
    EXPECT_EQ(got, n.spaces.copies[k]) << "fork " << k;
  }
  for (std::size_t id = n.keys.size(); id < trace.keys().size(); ++id) {
    EXPECT_EQ(copied.count(trace.keys()[id]), 1U) << "page id " << id;
  }
  EXPECT_EQ(trace.accesses(), n.accesses);
  EXPECT_EQ(trace.reads(), n.reads);
  EXPECT_EQ(trace.writes(), n.write_accesses);
  EXPECT_EQ(trace.events(), n.events);
  EXPECT_EQ(trace.forks(), n.forks);
  EXPECT_EQ(trace.exits(), n.exits);
  EXPECT_EQ(trace.processes(), n.processes);
  const std::vector<DenseTrace::SpaceChange>& changes = trace.space_changes();
  ASSERT_EQ(changes.size(), n.spaces.changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const DenseTrace::SpaceChange& want = n.spaces.changes[i];
    EXPECT_EQ(changes[i].at, want.at) << "change " << i;
    EXPECT_EQ(changes[i].asid, want.asid) << "change " << i;
    EXPECT_EQ(changes[i].pid, want.pid) << "change " << i;
    EXPECT_EQ(changes[i].kind, want.kind) << "change " << i;
    EXPECT_EQ(changes[i].parent, want.parent) << "change " << i;
  }
}

DenseTrace decode(const std::vector<Access>& records, unsigned page_shift = 12) {
  VectorReader reader(records);
  return DenseTrace::decode(reader, page_shift);
}

TEST(DenseDecode, PageCrossingsSizesAndEventsByHand) {
  const std::vector<Access> records{
      {0x1ffe, 4, 0, Op::Read},        // pages 1 and 2
      {0x3000, 0x2001, 0, Op::Write},  // 0x3000..0x5000: pages 3, 4, 5
      {0x2000, 0, 0, Op::Read},        // size 0 at a page start: one byte, page 2
      {0x5fff, 1, 0, Op::Fetch},       // page 5
      {5, 1, 0, Op::Fork},             // an event: no reference
      {0x1fff, 2, 3, Op::Read},        // pid 3, pages 1 and 2: its own ids
  };
  const DenseTrace t = decode(records);
  ASSERT_EQ(t.size(), 9U);
  std::vector<std::uint32_t> ids;
  std::vector<bool> writes;
  for (std::size_t i = 0; i < t.size(); ++i) {
    ids.push_back(t.id(i));
    writes.push_back(t.is_write(i));
  }
  EXPECT_EQ(ids, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 1, 4, 5, 6}));
  EXPECT_EQ(writes,
            (std::vector<bool>{false, false, true, true, true, false, false, false, false}));
  // pid 0 has ASID 0; its fork gives pid 5 ASID 1, so pid 3's first access gives it ASID 2.
  // After the referenced pages come the fork's copies of pid 0's pages 1-5 for pid 5, which
  // never references them.
  constexpr std::uint64_t kAsid1 = std::uint64_t{1} << 48;
  constexpr std::uint64_t kAsid2 = std::uint64_t{2} << 48;
  EXPECT_EQ(t.keys(), (std::vector<std::uint64_t>{1, 2, 3, 4, 5, kAsid2 | 1, kAsid2 | 2, kAsid1 | 1,
                                                  kAsid1 | 2, kAsid1 | 3, kAsid1 | 4, kAsid1 | 5}));
  EXPECT_EQ(t.referenced_pages(), 7U);
  EXPECT_EQ(t.accesses(), 5U);
  EXPECT_EQ(t.reads(), 3U);
  EXPECT_EQ(t.writes(), 1U);
  EXPECT_EQ(t.fetches(), 1U);
  EXPECT_EQ(t.events(), 1U);
  EXPECT_EQ(t.processes(), 2U);
  expect_as_naive(records, 12, t);
}

TEST(DenseDecode, WideAccessesAnywhereInABatch) {
  // Batches are 4096 records: wide accesses at the end of one, the start of the next and in the
  // middle, the widest spanning 3,000 pages, more references than a batch has records.
  std::vector<Access> records;
  for (std::uint64_t i = 0; i < 10'000; ++i) {
    records.push_back(Access{0x10000000 + (i % 700) * 4096 + i % 13, 8, 0, Op::Read});
  }
  records[4095] = Access{0x20000000, 3000 * 4096, 0, Op::Write};
  records[4096] = Access{0x20000ffc, 8, 0, Op::Read};  // pages 0x20000 and 0x20001
  records[6000] = Access{0x1fffff00, 1 << 20, 0, Op::Fetch};
  records[9999] = Access{0x20000000, 3000 * 4096, 0, Op::Write};
  expect_as_naive(records, 12, decode(records));
}

TEST(DenseDecode, RangesAtTheTopOfTheAddressSpace) {
  const std::uint64_t top = std::numeric_limits<std::uint64_t>::max();
  // 4 KiB pages: page numbers past 48 bits cannot be keyed.
  for (const Access& a :
       {Access{top - 1, 4, 0, Op::Read}, Access{std::uint64_t{1} << 60, 1, 0, Op::Read},
        Access{(std::uint64_t{1} << 60) - 1, 2, 0, Op::Read}}) {
    try {
      decode({Access{0x1000, 1, 0, Op::Read}, a});
      ADD_FAILURE() << "no error for " << a.addr;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()),
                fmt::format("address {:#x} has a page number beyond 48 bits", a.addr));
    }
  }
  // 64 KiB pages: every page number fits, and a range running past 2^64 stops at its last byte.
  const std::vector<Access> records{
      {top - 1, 4, 0, Op::Read}, {top - 0x10000, 0x10000, 0, Op::Write}, {top, 0, 0, Op::Read}};
  const DenseTrace t = decode(records, 16);
  EXPECT_EQ(t.size(), 4U);
  EXPECT_EQ(t.keys(), (std::vector<std::uint64_t>{0xffffffffffff, 0xfffffffffffe}));
  expect_as_naive(records, 16, t);
}

TEST(DenseDecode, ManyProcessesInterleaved) {
  // Every record another pid, all with the same layout (as forked children have), so the same
  // page numbers repeat in every process.
  Rng rng(3);
  std::vector<Access> records;
  for (int i = 0; i < 50'000; ++i) {
    const auto pid = static_cast<std::uint16_t>(rng.below(300));
    records.push_back(Access{0x400000 + rng.below(2000) * 4096, 4, pid, Op::Read});
    if (i % 1000 == 0) records.push_back(Access{pid, 1, pid, Op::Exit});
  }
  expect_as_naive(records, 12, decode(records));
}

TEST(DenseDecode, ChunksThatCompeteForTheirCacheWays) {
  // Dense runs in chunks 2^16 and 2^17 chunks apart (a multiple of every cache size), visited in
  // turn and at random, in two processes: the cached chunk changes at almost every reference.
  Rng rng(5);
  std::vector<Access> records;
  const std::uint64_t stride = std::uint64_t{1} << (16 + 9 + 12);  // 2^16 chunks of 2 MiB
  for (int i = 0; i < 200'000; ++i) {
    const std::uint64_t chunk = rng.below(6);
    const std::uint64_t page = rng.below(512);
    const auto pid = static_cast<std::uint16_t>(rng.below(2));
    records.push_back(
        Access{chunk * stride + page * 4096, 8, pid, rng.below(3) == 0 ? Op::Write : Op::Read});
  }
  // And 3,000 chunks of one page each, then of many: the cache grows, and chunks first kept in
  // the sparse map get their arrays.
  for (std::uint64_t c = 0; c < 3000; ++c)
    records.push_back(Access{(c << 21) + 0x10000000000, 1, 0, Op::Read});
  for (int i = 0; i < 200'000; ++i) {
    records.push_back(
        Access{(rng.below(3000) << 21) + rng.below(512) * 4096 + 0x10000000000, 1, 0, Op::Read});
  }
  expect_as_naive(records, 12, decode(records));
}

// A reader whose record-count hint is wrong: decoding must not depend on it.
class HintedReader final : public TraceReader {
 public:
  HintedReader(std::vector<Access> records, std::uint64_t hint)
      : inner_(std::move(records)), hint_(hint) {}
  std::size_t read(std::span<Access> out) override { return inner_.read(out); }
  std::uint64_t records_hint() const override { return hint_; }

 private:
  VectorReader inner_;
  std::uint64_t hint_;
};

TEST(DenseDecode, RecordCountHintOnlySizesBuffers) {
  Rng rng(11);
  std::vector<Access> records;
  for (int i = 0; i < 300'000; ++i) {
    records.push_back(Access{rng.below(std::uint64_t{1} << 32), 16, 0, Op::Read});
    if (i % 5000 == 0) records.push_back(Access{1, 1, 2, Op::Fork});  // a parent with no pages
  }
  for (const std::uint64_t hint : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{299'999},
                                   records.size(), std::uint64_t{10'000'000}}) {
    SCOPED_TRACE(hint);
    HintedReader reader(records, hint);
    expect_as_naive(records, 12, DenseTrace::decode(reader, 12));
  }
}

}  // namespace
}  // namespace vmsim::test
