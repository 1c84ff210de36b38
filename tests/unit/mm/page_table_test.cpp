// Page-table shapes: walk lengths and table pages, worked out from the level widths.
#include <gtest/gtest.h>

#include <random>

#include "mm/page_table.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

// Table pages are numbered from here (the model puts them above the data frames).
constexpr std::uint64_t kFirstTablePfn = 1000;

PageTableShape shape_of(PageTableKind kind, std::uint32_t va_bits, std::uint32_t levels,
                        std::uint32_t pte_bytes) {
  SimConfig c;
  c.page_table = kind;
  c.va_bits = va_bits;
  c.pt_levels = levels;
  c.pte_bytes = pte_bytes;
  return PageTableShape::from_config(c);
}

// Two radix levels of 24 bits over 60-bit addresses.
PageTableShape two_wide_levels() {
  SimConfig c;
  c.va_bits = 60;
  c.pt_bits = {24, 24};
  return PageTableShape::from_config(c);
}

TEST(RadixPageTable, X86_64FourLevels) {
  TableFrames frames(kFirstTablePfn);
  PageTable pt(shape_of(PageTableKind::Radix, 48, 4, 8), frames);
  EXPECT_EQ(pt.table_pages(), 1U);  // the root (PML4) exists from the start
  // Empty tree: the walk reads the root entry, finds it absent and stops.
  PageTable::Walk w = pt.walk(0x12345);
  EXPECT_EQ(w.pte, nullptr);
  EXPECT_EQ(w.memory_refs, 1U);

  pt.populate(0x12345);
  EXPECT_EQ(pt.table_pages(), 4U);  // PDPT, PD and PT allocated on the way down
  w = pt.walk(0x12345);
  ASSERT_NE(w.pte, nullptr);
  EXPECT_EQ(w.memory_refs, 4U);
  EXPECT_FALSE(w.pte->present());  // populated, but nothing mapped yet

  pt.populate(0x12345 ^ 1);  // same 512-entry leaf table
  EXPECT_EQ(pt.table_pages(), 4U);
  pt.populate(0x12345 + 512);  // next leaf table, same directory
  EXPECT_EQ(pt.table_pages(), 5U);
  pt.populate(0x12345 + (1ULL << 18));  // next directory: a PD and a PT
  EXPECT_EQ(pt.table_pages(), 7U);
  pt.populate(0x12345 + (1ULL << 27));  // next PDPT entry: PDPT, PD, PT
  EXPECT_EQ(pt.table_pages(), 10U);

  // A walk that reaches an existing PD but a missing PT stops after three references.
  w = pt.walk(0x12345 + 2 * 512);
  EXPECT_EQ(w.pte, nullptr);
  EXPECT_EQ(w.memory_refs, 3U);
}

TEST(RadixPageTable, WideLevelsKeepTheirModelledShape) {
  // Two levels of 24 bits (60-bit addresses, 4 KiB pages): each node is 2^24 PTEs of 8 bytes,
  // 32768 table pages. The store keeps such a node in 4096-entry pieces, but walks and the count
  // of table pages must follow the two-level model.
  TableFrames frames(kFirstTablePfn);
  PageTable pt(two_wide_levels(), frames);
  EXPECT_EQ(pt.table_pages(), 32768U);    // the root node, whole
  EXPECT_EQ(pt.walk(5).memory_refs, 1U);  // root entry absent

  pt.populate(5);
  EXPECT_EQ(pt.table_pages(), 2U * 32768);  // one leaf node, whole
  const PageTable::Walk hit = pt.walk(5);
  ASSERT_NE(hit.pte, nullptr);
  EXPECT_EQ(hit.memory_refs, 2U);
  // Same leaf node, another 4096-entry piece of it: the walk reads the root and the leaf entry
  // (the node exists; its entry is empty), and populating it allocates no table page.
  const std::uint64_t far = 5 + (1ULL << 20);
  const PageTable::Walk empty = pt.walk(far);
  EXPECT_EQ(empty.pte, nullptr);
  EXPECT_EQ(empty.memory_refs, 2U);
  pt.populate(far);
  EXPECT_EQ(pt.table_pages(), 2U * 32768);
  // Another root entry: a second leaf node.
  pt.populate(5 + (1ULL << 24));
  EXPECT_EQ(pt.table_pages(), 3U * 32768);
  EXPECT_EQ(pt.walk(5 + (2ULL << 24)).memory_refs, 1U);
}

TEST(RadixPageTable, EntriesAreDistinctAndStable) {
  TableFrames frames(kFirstTablePfn);
  PageTable pt(shape_of(PageTableKind::Radix, 48, 4, 8), frames);
  pt.populate(5).set_present(11, false);
  pt.populate(5 + (1ULL << 30)).set_present(22, false);  // differs only in the root index
  EXPECT_EQ(pt.walk(5).pte->frame(), 11U);
  EXPECT_EQ(pt.walk(5 + (1ULL << 30)).pte->frame(), 22U);
  EXPECT_EQ(pt.existing(5).frame(), 11U);
}

TEST(RadixPageTable, TwoLevel32BitWith4ByteEntries) {
  // 20 page-number bits split 10 + 10; 1024 entries x 4 bytes = one 4 KiB page per table.
  TableFrames frames(kFirstTablePfn);
  PageTable pt(shape_of(PageTableKind::Radix, 32, 2, 4), frames);
  pt.populate(0xABCDE);
  EXPECT_EQ(pt.table_pages(), 2U);
  EXPECT_EQ(pt.walk(0xABCDE).memory_refs, 2U);
  pt.populate(0xABCDE ^ (1U << 10));  // other directory entry
  EXPECT_EQ(pt.table_pages(), 3U);
}

TEST(RadixPageTable, UnevenSplitGivesTheRootTheRemainder) {
  SimConfig c;
  c.va_bits = 32;  // 20 bits over 3 levels: 8, 6, 6
  c.pt_levels = 3;
  EXPECT_EQ(c.radix_level_bits(), (std::vector<std::uint32_t>{8, 6, 6}));
  c.pt_bits = {4, 16};
  EXPECT_EQ(c.radix_level_bits(), (std::vector<std::uint32_t>{4, 16}));
}

TEST(RadixPageTable, WideNodesSpanSeveralPages) {
  SimConfig c;
  c.va_bits = 48;
  c.pt_bits = {18, 18};  // 2^18 entries x 8 bytes = 512 pages per node
  TableFrames frames(kFirstTablePfn);
  PageTable pt(PageTableShape::from_config(c), frames);
  EXPECT_EQ(pt.table_pages(), 512U);
  pt.populate(1);
  EXPECT_EQ(pt.table_pages(), 1024U);
}

TEST(LinearPageTable, WholeTableCountsAndOneReferencePerWalk) {
  // 2^20 entries x 4 bytes = 4 MiB = 1024 pages, all allocated up front.
  TableFrames frames(kFirstTablePfn);
  PageTable pt(shape_of(PageTableKind::Linear, 32, 1, 4), frames);
  EXPECT_EQ(pt.table_pages(), 1024U);
  EXPECT_EQ(pt.walk(77).memory_refs, 1U);
  pt.populate(77).set_present(3, false);
  pt.populate(0xFFFFF).set_present(4, false);
  EXPECT_EQ(pt.table_pages(), 1024U);
  EXPECT_EQ(pt.walk(77).pte->frame(), 3U);
  EXPECT_EQ(pt.walk(0xFFFFF).pte->frame(), 4U);
  EXPECT_EQ(pt.walk(0xFFFFF).memory_refs, 1U);
}

TEST(LinearPageTable, FortyEightBitSpaceIsHugeButStoredSparsely) {
  TableFrames frames(kFirstTablePfn);
  PageTable pt(shape_of(PageTableKind::Linear, 48, 1, 8), frames);
  EXPECT_EQ(pt.table_pages(), 1ULL << 27);  // 2^36 entries x 8 bytes / 4 KiB
  pt.populate((1ULL << 36) - 1).set_present(9, false);
  EXPECT_EQ(pt.walk((1ULL << 36) - 1).pte->frame(), 9U);
}

std::vector<WalkStep> steps_of(const PageTable& pt, std::uint64_t vpn) {
  std::vector<WalkStep> steps;
  const std::uint32_t count = pt.walk_steps(vpn, [&](const WalkStep& s) { steps.push_back(s); });
  EXPECT_EQ(count, steps.size());
  return steps;
}

TEST(RadixPageTable, WalkNamesTheAddressOfEveryEntry) {
  // x86-64: indices 3, 5, 7, 9 at PML4, PDPT, PD, PT. The root is the first table page (1000);
  // populating allocates the PDPT, PD and PT in that order: 1001, 1002, 1003. Entry addresses are
  // table page x 4096 + index x 8.
  TableFrames frames(kFirstTablePfn);
  PageTable pt(shape_of(PageTableKind::Radix, 48, 4, 8), frames);
  EXPECT_EQ(pt.root_pfn(), 1000U);
  const std::uint64_t vpn = (3ULL << 27) | (5ULL << 18) | (7ULL << 9) | 9;
  pt.populate(vpn);
  std::vector<WalkStep> s = steps_of(pt, vpn);
  ASSERT_EQ(s.size(), 4U);
  const std::uint64_t tables[] = {1000, 1001, 1002, 1003};
  const std::uint64_t index[] = {3, 5, 7, 9};
  const std::uint64_t address[] = {4096024, 4100136, 4104248, 4108360};
  for (std::uint32_t l = 0; l < 4; ++l) {
    EXPECT_EQ(s[l].level, l);
    EXPECT_EQ(s[l].table_pfn, tables[l]);
    EXPECT_EQ(s[l].index, index[l]);
    EXPECT_EQ(s[l].entry_address, address[l]);
  }
  for (std::uint32_t l = 0; l < 3; ++l) {
    EXPECT_TRUE(s[l].present);
    EXPECT_EQ(s[l].next, tables[l + 1]);  // an interior entry points to the next table page
  }
  EXPECT_FALSE(s[3].present);  // populated, nothing mapped
  pt.existing(vpn).set_present(42, false);
  s = steps_of(pt, vpn);
  EXPECT_TRUE(s[3].present);
  EXPECT_EQ(s[3].next, 42U);  // the leaf points to the page's frame

  // PDPT index 6 instead of 5: the root entry is read, then an empty PDPT entry, and the walk
  // stops there.
  const std::uint64_t other = (3ULL << 27) | (6ULL << 18);
  s = steps_of(pt, other);
  ASSERT_EQ(s.size(), 2U);
  EXPECT_EQ(pt.walk(other).memory_refs, 2U);
  EXPECT_EQ(s[1].table_pfn, 1001U);
  EXPECT_EQ(s[1].entry_address, 1001U * 4096 + 6 * 8);
  EXPECT_FALSE(s[1].present);
}

TEST(RadixPageTable, EntriesOfWideNodesLieInsideTheirRunOfPages) {
  // Two levels of 24 bits: every node is 32768 contiguous pages. The root takes 1000..33767, the
  // first leaf node 33768..66535. vpn 5 + 2^20 has root index 0 and leaf index 1048581, so its PTE
  // sits at 33768 x 4096 + 1048581 x 8 = 138313728 + 8388648.
  TableFrames frames(kFirstTablePfn);
  PageTable pt(two_wide_levels(), frames);
  const std::uint64_t vpn = 5 + (1ULL << 20);
  pt.populate(vpn);
  const std::vector<WalkStep> s = steps_of(pt, vpn);
  ASSERT_EQ(s.size(), 2U);
  EXPECT_EQ(s[0].entry_address, 1000U * 4096);
  EXPECT_EQ(s[0].next, 33768U);
  EXPECT_EQ(s[1].table_pfn, 33768U);
  EXPECT_EQ(s[1].index, 1048581U);
  EXPECT_EQ(s[1].entry_address, 146702376U);
  EXPECT_EQ(frames.in_use(), 2U * 32768);
  // Another piece of the same leaf node, never populated: its entry is read and found empty.
  const std::vector<WalkStep> empty = steps_of(pt, 5 + (1ULL << 21));
  ASSERT_EQ(empty.size(), 2U);
  EXPECT_FALSE(empty[1].present);
  EXPECT_EQ(empty[1].entry_address, 33768ULL * 4096 + (5 + (1ULL << 21)) * 8);
}

TEST(LinearPageTable, TheOneEntryReadIsAtTheIndexTimesTheEntrySize) {
  // 2^20 entries x 4 bytes from page 1000: the last entry is at 4096000 + 0xFFFFF x 4.
  TableFrames frames(kFirstTablePfn);
  PageTable pt(shape_of(PageTableKind::Linear, 32, 1, 4), frames);
  const std::vector<WalkStep> s = steps_of(pt, 0xFFFFF);
  ASSERT_EQ(s.size(), 1U);
  EXPECT_EQ(s[0].table_pfn, 1000U);
  EXPECT_EQ(s[0].entry_address, 8290300U);
  EXPECT_FALSE(s[0].present);
}

TEST(PageTable, ReleasedTablePagesAreReusedLastFreedFirst) {
  TableFrames frames(kFirstTablePfn);
  const PageTableShape shape = shape_of(PageTableKind::Radix, 48, 4, 8);
  PageTable first(shape, frames);
  first.populate(0);  // 1000 (root), 1001, 1002, 1003
  PageTable second(shape, frames);
  EXPECT_EQ(second.root_pfn(), 1004U);
  EXPECT_EQ(frames.in_use(), 5U);
  first.release();  // frees 1000, 1001, 1002, 1003 in that order
  EXPECT_EQ(frames.in_use(), 1U);
  PageTable third(shape, frames);
  EXPECT_EQ(third.root_pfn(), 1003U);
  third.populate(0);
  const std::vector<WalkStep> s = steps_of(third, 0);
  EXPECT_EQ(s[0].next, 1002U);
  EXPECT_EQ(s[1].next, 1001U);
  EXPECT_EQ(s[2].next, 1000U);
  EXPECT_EQ(frames.in_use(), 5U);
}

TEST(PageTable, EntryReferencesStayValidWhileTheTableGrows) {
  TableFrames frames(kFirstTablePfn);
  PageTable pt(shape_of(PageTableKind::Radix, 48, 4, 8), frames);
  Pte& entry = pt.populate(5);
  entry.set_present(7, false);
  // Thousands of other leaf tables: a store that grew one array would have moved the entry.
  for (std::uint64_t i = 1; i <= 4000; ++i) pt.populate(5 + i * 512);
  entry.set_present(8, false);
  EXPECT_EQ(pt.walk(5).pte, &entry);
  EXPECT_EQ(pt.walk(5).pte->frame(), 8U);
}

TEST(PageTable, StepByStepWalkAgreesWithTheWalkOnRandomTables) {
  std::mt19937_64 rng(7);
  struct Case {
    PageTableKind kind;
    std::uint32_t va_bits, levels, pte_bytes;
  };
  for (const Case& k : {Case{PageTableKind::Radix, 48, 4, 8}, Case{PageTableKind::Radix, 57, 5, 8},
                        Case{PageTableKind::Radix, 32, 3, 4}, Case{PageTableKind::Linear, 32, 1, 4},
                        Case{PageTableKind::Linear, 40, 1, 8}}) {
    const PageTableShape shape = shape_of(k.kind, k.va_bits, k.levels, k.pte_bytes);
    TableFrames frames(kFirstTablePfn);
    PageTable pt(shape, frames);
    const std::uint64_t pages = 1ULL << shape.vpn_bits;
    for (int i = 0; i < 300; ++i) pt.populate(rng() % pages);
    for (int i = 0; i < 600; ++i) {
      // Half near populated pages, half anywhere.
      const std::uint64_t vpn = i % 2 == 0 ? rng() % pages : (rng() % pages) & ~0x3FFULL;
      const PageTable::Walk walk = pt.walk(vpn);
      const std::vector<WalkStep> s = steps_of(pt, vpn);
      ASSERT_EQ(s.size(), walk.memory_refs);
      for (const WalkStep& step : s) {
        const std::uint64_t node_pages = shape.pages_per_node(shape.level_bits[step.level]);
        EXPECT_GE(step.entry_address, step.table_pfn * shape.page_size);
        EXPECT_LT(step.entry_address, (step.table_pfn + node_pages) * shape.page_size);
        EXPECT_EQ(step.entry_address % shape.pte_bytes, 0U);
      }
      EXPECT_EQ(s.back().present, walk.pte != nullptr && walk.pte->present());
      // A walk that reaches a leaf reads one entry per level.
      if (walk.pte != nullptr) {
        EXPECT_EQ(s.size(), shape.level_bits.size());
      }
    }
    EXPECT_EQ(frames.in_use(), pt.table_pages());
  }
}

TEST(PageTable, AddressOutsideTheSpaceIsAnError) {
  TableFrames frames(kFirstTablePfn);
  PageTable pt(shape_of(PageTableKind::Radix, 32, 2, 4), frames);
  try {
    pt.walk(1ULL << 20);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(
        e.what(),
        "address 0x100000000 lies outside the 32-bit virtual address space (raise --va-bits)");
  }
}

}  // namespace
}  // namespace vmsim
