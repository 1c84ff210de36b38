// The full model's translation: where the page tables of its processes live in physical memory.
#include <gtest/gtest.h>

#include <vector>

#include "mm/page_table.hpp"
#include "mmu/mmu.hpp"

namespace vmsim {
namespace {

std::uint64_t root_of(const FullMmu& mmu, PageKey page) {
  std::uint64_t root = 0;
  bool first = true;
  mmu.walk_steps(page, [&](const WalkStep& s) {
    if (first) root = s.table_pfn;
    first = false;
  });
  return root;
}

TEST(FullMmu, TablePagesLieAboveTheDataFramesAndAreFreedAtExit) {
  SimConfig config;  // x86-64 shape: four levels of 512 entries
  config.frames = 64;
  FullMmu mmu(config);
  // Process 1's root is the first page after the 64 data frames; its first fault populates a
  // PDPT, a PD and a PT (65, 66, 67).
  const Asid a = mmu.asid_of(1);
  const PageKey page = make_page_key(a, 0x400);
  mmu.fault_slot(page);
  EXPECT_EQ(root_of(mmu, page), 64U);
  std::vector<std::uint64_t> tables;
  mmu.walk_steps(page, [&](const WalkStep& s) { tables.push_back(s.table_pfn); });
  EXPECT_EQ(tables, (std::vector<std::uint64_t>{64, 65, 66, 67}));
  EXPECT_EQ(mmu.table_pages_in_use(), 4U);

  // Process 2 takes the next page for its root.
  const Asid b = mmu.asid_of(2);
  EXPECT_EQ(root_of(mmu, make_page_key(b, 0)), 68U);
  EXPECT_EQ(mmu.table_pages_in_use(), 5U);

  // Process 1 ends: its four table pages go back, and the next process reuses the last freed.
  mmu.end_space(
      a, [](PageKey, FrameId) {}, [](std::uint32_t) {});
  EXPECT_EQ(mmu.table_pages_in_use(), 1U);
  const Asid c = mmu.asid_of(3);
  EXPECT_EQ(root_of(mmu, make_page_key(c, 0)), 67U);
  // The run's count of table pages still counts every table ever made: 4 + 1 + 1.
  Counters counters;
  mmu.add_counters(counters);
  EXPECT_EQ(counters.page_table_pages, 6U);
}

}  // namespace
}  // namespace vmsim
