// Golden runs: the recorded example programs at several memory sizes, checked against deliberately
// naive reference models written here (lists and linear scans, no TLB, no page tables) that share
// no code with the simulator beyond the trace reader.
#include <gtest/gtest.h>

#include <algorithm>
#include <list>
#include <map>
#include <unordered_map>
#include <vector>

#include "support/refs.hpp"
#include "vmsim/trace.hpp"

namespace vmsim::test {
namespace {

struct PageRef {
  std::uint64_t page;
  bool write;
};

// Every page each access touches, in order, as the simulator defines it (docs/trace-format.md).
std::vector<PageRef> page_refs_of(const std::string& path) {
  TraceSpec spec;
  spec.path = std::string(VMSIM_SOURCE_DIR) + "/" + path;
  auto reader = open_trace(spec);
  std::vector<PageRef> out;
  std::vector<Access> batch(1000);
  while (const std::size_t n = reader->read(batch)) {
    for (std::size_t i = 0; i < n; ++i) {
      const Access& a = batch[i];
      for (std::uint64_t p = a.addr / 4096; p <= (a.addr + a.size - 1) / 4096; ++p) {
        out.push_back({p, a.op == Op::Write});
      }
    }
  }
  return out;
}

struct Expected {
  std::uint64_t faults = 0;
  std::uint64_t dirty_evictions = 0;
};

// FIFO or LRU with a std::list: front = next victim.
Expected list_model(const std::vector<PageRef>& refs, std::size_t frames, bool lru) {
  std::list<std::uint64_t> order;
  std::unordered_map<std::uint64_t, std::list<std::uint64_t>::iterator> where;
  std::unordered_map<std::uint64_t, bool> dirty;
  Expected e;
  for (const PageRef& r : refs) {
    auto it = where.find(r.page);
    if (it == where.end()) {
      ++e.faults;
      if (order.size() == frames) {
        const std::uint64_t victim = order.front();
        order.pop_front();
        where.erase(victim);
        if (dirty[victim]) ++e.dirty_evictions;
        // Without the swap cache a page read back from swap counts as dirty again, so a page that
        // was ever written stays "dirty" for eviction purposes from then on.
      }
      order.push_back(r.page);
      where[r.page] = std::prev(order.end());
    } else if (lru) {
      order.splice(order.end(), order, it->second);
    }
    if (r.write) dirty[r.page] = true;
  }
  return e;
}

// OPT by brute force: the next use of every reference from a backward pass with std::map, and a
// linear scan of the resident pages at each eviction.
std::uint64_t opt_faults(const std::vector<PageRef>& refs, std::size_t frames) {
  std::vector<std::uint64_t> next(refs.size());
  std::map<std::uint64_t, std::uint64_t> seen;
  for (std::size_t i = refs.size(); i-- > 0;) {
    auto it = seen.find(refs[i].page);
    next[i] = it == seen.end() ? ~std::uint64_t{0} : it->second;
    seen[refs[i].page] = i;
  }
  std::map<std::uint64_t, std::uint64_t> resident;  // page -> its next use
  std::uint64_t faults = 0;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    if (!resident.count(refs[i].page)) {
      ++faults;
      if (resident.size() == frames) {
        auto victim =
            std::max_element(resident.begin(), resident.end(),
                             [](const auto& a, const auto& b) { return a.second < b.second; });
        resident.erase(victim);
      }
    }
    resident[refs[i].page] = next[i];
  }
  return faults;
}

class RecordedTrace : public ::testing::TestWithParam<const char*> {};

TEST_P(RecordedTrace, MatchesReferenceModelsAtSeveralSizes) {
  const std::string path = GetParam();
  const std::vector<PageRef> refs = page_refs_of(path);
  ASSERT_GT(refs.size(), 10000U);
  for (std::size_t frames : {4, 8, 16, 32}) {
    TraceSpec spec;
    spec.path = std::string(VMSIM_SOURCE_DIR) + "/" + path;
    for (const bool lru : {false, true}) {
      SimConfig c = config_for(lru ? "lru" : "fifo", frames);
      c.record_faults = false;
      const Results r = simulate(c, spec);
      const Expected e = list_model(refs, frames, lru);
      EXPECT_EQ(r.counters.page_refs, refs.size());
      EXPECT_EQ(r.counters.page_faults, e.faults) << c.policy << " " << frames;
      EXPECT_EQ(r.counters.dirty_writebacks, e.dirty_evictions) << c.policy << " " << frames;
    }
    SimConfig c = config_for("opt", frames);
    c.record_faults = false;
    EXPECT_EQ(simulate(c, spec).counters.page_faults, opt_faults(refs, frames)) << "opt " << frames;
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, RecordedTrace,
                         ::testing::Values("examples/traces/matmul-naive.lackey.zst",
                                           "examples/traces/listwalk.lackey.zst"));

}  // namespace
}  // namespace vmsim::test
