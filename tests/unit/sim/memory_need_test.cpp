// A run's memory need, worked out from the per-frame figures the policies state.
#include <gtest/gtest.h>

#include "sim/memory_need.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

TEST(MemoryNeed, FramesTimesWhatThePolicyKeepsPlusTheTlb) {
  SimConfig c;
  c.frames = std::uint64_t{1} << 28;  // 1 TiB of 4 KiB pages
  c.tlb_entries = 64;
  c.policy = "lru";  // states 24 bytes a frame
  EXPECT_EQ(run_memory_need(c), (std::uint64_t{24} << 28) + 64 * 16);
  c.policy = "clock";  // 16
  EXPECT_EQ(run_memory_need(c), (std::uint64_t{16} << 28) + 64 * 16);
  c.policy = "lirs";  // states nothing: the most any policy keeps, 96
  EXPECT_EQ(run_memory_need(c), (std::uint64_t{96} << 28) + 64 * 16);
}

TEST(MemoryNeed, AnImpossibleGridIsRefusedWithTheFigure) {
  SimConfig c;
  c.frames = std::uint64_t{1} << 31;
  c.policy = "lru";
  try {
    check_run_memory(std::span(&c, 1));
    FAIL() << "2^31 frames x 24 bytes = 48 GiB should not fit here";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("a run with 2147483648 frames needs about 48.0 GiB"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace vmsim
