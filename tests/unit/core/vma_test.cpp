// Regions: splitting, replacing and protecting ranges of pages, worked by hand.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/regions.hpp"
#include "core/vma.hpp"

namespace vmsim {
namespace {

// The set as "start-end:prot" per region, prot as rwx bits (e.g. 3 = rw-).
std::string layout(const VmaSet& set) {
  std::string out;
  set.for_each([&](const Vma& v) {
    if (!out.empty()) out += ' ';
    out += std::to_string(v.start) + '-' + std::to_string(v.end) + ':' +
           std::to_string(prot_bits(v.prot));
  });
  return out;
}

TEST(VmaSet, MapSplitsAndReplacesWhatItCovers) {
  VmaSet set;
  set.map(10, 20, kProtRead | kProtWrite);
  EXPECT_EQ(layout(set), "10-20:3");
  set.map(15, 25, kProtRead);  // replaces 15..19 of the first and extends past it
  EXPECT_EQ(layout(set), "10-15:3 15-25:1");
  set.map(12, 13, kProtRead | kProtExec);  // inside the first: three pieces
  EXPECT_EQ(layout(set), "10-12:3 12-13:5 13-15:3 15-25:1");
  EXPECT_EQ(set.find(9), nullptr);
  EXPECT_EQ(set.find(12)->prot, kProtRead | kProtExec);
  EXPECT_EQ(set.find(24)->start, 15U);
  EXPECT_EQ(set.find(25), nullptr);
}

TEST(VmaSet, UnmapAndProtectActOnTheMappedPartOnly) {
  VmaSet set;
  set.map(0, 10, kProtRead | kProtWrite);
  set.map(20, 30, kProtRead | kProtWrite);
  set.unmap(5, 25);  // the tail of one, the head of the other, the hole between
  EXPECT_EQ(layout(set), "0-5:3 25-30:3");
  set.protect(3, 27, kProtRead);
  EXPECT_EQ(layout(set), "0-3:3 3-5:1 25-27:1 27-30:3");
  EXPECT_TRUE(set.overlaps(4, 6));
  EXPECT_FALSE(set.overlaps(5, 25));
  EXPECT_TRUE(set.overlaps(24, 26));
  set.unmap(0, 100);
  EXPECT_TRUE(set.empty());
}

TEST(Regions, AProcessWithoutRegionsMayTouchAnything) {
  Regions regions(12);
  std::optional<Vma> region;
  EXPECT_FALSE(regions.declared(1));
  EXPECT_TRUE(regions.allows(1, 0x12345, Op::Write, region));
  EXPECT_TRUE(regions.allows(1, 0x12345, Op::Fetch, region));
}

TEST(Regions, EventsDeclareRegionsInWholePagesAndSayWhatToUnmap) {
  Regions regions(12);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> unmapped;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> reprotected;
  const auto apply = [&](Op op, std::uint64_t addr, std::uint32_t length, Prot prot) {
    Access event{addr, length, 1, op, prot};
    regions.apply(
        1, event, [&](std::uint64_t f, std::uint64_t e) { unmapped.emplace_back(f, e); },
        [&](std::uint64_t f, std::uint64_t e) { reprotected.emplace_back(f, e); });
  };
  // 0x1800 + 0x1000 bytes touch pages 1 and 2: the region is pages [1, 3). The first event
  // ends the implicit mapping of everything.
  apply(Op::Mmap, 0x1800, 0x1000, kProtRead);
  EXPECT_EQ(unmapped, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{0, kAllPages}}));
  EXPECT_EQ(layout(regions.of(1)), "1-3:1");
  std::optional<Vma> region;
  EXPECT_TRUE(regions.allows(1, 2, Op::Read, region));
  EXPECT_FALSE(regions.allows(1, 2, Op::Write, region));  // a write to r--
  ASSERT_TRUE(region.has_value());
  EXPECT_EQ(region->start, 1U);
  EXPECT_FALSE(regions.allows(1, 2, Op::Fetch, region));  // a fetch from non-x
  EXPECT_FALSE(regions.allows(1, 3, Op::Read, region));   // outside every region
  EXPECT_FALSE(region.has_value());

  // A mapping over unmapped pages unmaps nothing; one over mapped pages unmaps them.
  unmapped.clear();
  apply(Op::Mmap, 0x10000, 0x2000, kProtRead | kProtWrite);
  EXPECT_TRUE(unmapped.empty());
  apply(Op::Mmap, 0x2000, 0x1000, kProtRead | kProtExec);
  EXPECT_EQ(unmapped, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{2, 3}}));
  EXPECT_EQ(layout(regions.of(1)), "1-2:1 2-3:5 16-18:3");
  // mprotect of mapped pages asks for their translations to be dropped; of unmapped ones, not.
  apply(Op::Mprotect, 0x10000, 1, kProtRead);
  apply(Op::Mprotect, 0x40000, 0x1000, kProtRead);
  EXPECT_EQ(reprotected, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{16, 17}}));
  EXPECT_EQ(layout(regions.of(1)), "1-2:1 2-3:5 16-17:1 17-18:3");
  // munmap of a length 0 does nothing (Linux refuses it).
  unmapped.clear();
  apply(Op::Munmap, 0x10000, 0, kProtNone);
  EXPECT_TRUE(unmapped.empty());
  apply(Op::Munmap, 0x10fff, 2, kProtNone);  // bytes on pages 16 and 17
  EXPECT_EQ(unmapped, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{16, 18}}));
  EXPECT_EQ(layout(regions.of(1)), "1-2:1 2-3:5");
}

TEST(Regions, AForkCopiesTheRegionsAndAnExitDropsThem) {
  Regions regions(12);
  const Access map{0x4000, 0x1000, 1, Op::Mmap, kProtRead};
  regions.apply(
      1, map, [](std::uint64_t, std::uint64_t) {}, [](std::uint64_t, std::uint64_t) {});
  regions.fork(1, 2);
  regions.fork(3, 4);  // a parent without regions: a child without regions
  EXPECT_EQ(layout(regions.of(2)), "4-5:1");
  EXPECT_FALSE(regions.declared(4));
  regions.end(1);
  EXPECT_FALSE(regions.declared(1));
  EXPECT_TRUE(regions.declared(2));
}

}  // namespace
}  // namespace vmsim
