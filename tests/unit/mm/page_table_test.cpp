// Page-table shapes: walk lengths and table pages, worked out from the level widths.
#include <gtest/gtest.h>

#include "mm/page_table.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

PageTableShape shape_of(PageTableKind kind, std::uint32_t va_bits, std::uint32_t levels,
                        std::uint32_t pte_bytes) {
  SimConfig c;
  c.page_table = kind;
  c.va_bits = va_bits;
  c.pt_levels = levels;
  c.pte_bytes = pte_bytes;
  return PageTableShape::from_config(c);
}

TEST(RadixPageTable, X86_64FourLevels) {
  PageTable pt(shape_of(PageTableKind::Radix, 48, 4, 8));
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
  SimConfig c;
  c.va_bits = 60;
  c.pt_bits = {24, 24};
  PageTable pt(PageTableShape::from_config(c));
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
  PageTable pt(shape_of(PageTableKind::Radix, 48, 4, 8));
  pt.populate(5).set_present(11, false);
  pt.populate(5 + (1ULL << 30)).set_present(22, false);  // differs only in the root index
  EXPECT_EQ(pt.walk(5).pte->frame(), 11U);
  EXPECT_EQ(pt.walk(5 + (1ULL << 30)).pte->frame(), 22U);
  EXPECT_EQ(pt.existing(5).frame(), 11U);
}

TEST(RadixPageTable, TwoLevel32BitWith4ByteEntries) {
  // 20 page-number bits split 10 + 10; 1024 entries x 4 bytes = one 4 KiB page per table.
  PageTable pt(shape_of(PageTableKind::Radix, 32, 2, 4));
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
  PageTable pt(PageTableShape::from_config(c));
  EXPECT_EQ(pt.table_pages(), 512U);
  pt.populate(1);
  EXPECT_EQ(pt.table_pages(), 1024U);
}

TEST(LinearPageTable, WholeTableCountsAndOneReferencePerWalk) {
  // 2^20 entries x 4 bytes = 4 MiB = 1024 pages, all allocated up front.
  PageTable pt(shape_of(PageTableKind::Linear, 32, 1, 4));
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
  PageTable pt(shape_of(PageTableKind::Linear, 48, 1, 8));
  EXPECT_EQ(pt.table_pages(), 1ULL << 27);  // 2^36 entries x 8 bytes / 4 KiB
  pt.populate((1ULL << 36) - 1).set_present(9, false);
  EXPECT_EQ(pt.walk((1ULL << 36) - 1).pte->frame(), 9U);
}

TEST(PageTable, AddressOutsideTheSpaceIsAnError) {
  PageTable pt(shape_of(PageTableKind::Radix, 32, 2, 4));
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
