// Scripted tests of each policy through its hooks alone, without the rest of the system.
#include <gtest/gtest.h>

#include <array>
#include <set>
#include <vector>

#include "policy/page/all.hpp"
#include "policy/page/registry.hpp"

namespace vmsim {
namespace {

struct Bits {
  explicit Bits(std::uint32_t frames) : referenced(frames, 0), dirty(frames, 0) {}
  std::vector<std::uint8_t> referenced;
  std::vector<std::uint8_t> dirty;
  PolicyContext context(std::uint32_t frames, std::span<const std::uint64_t> next_use = {}) {
    return {.frames = frames,
            .seed = 7,
            .referenced = referenced.data(),
            .dirty = dirty.data(),
            .next_use = next_use};
  }
};

TEST(FifoHooks, EvictsInLoadOrderAndIgnoresUse) {
  Bits bits(3);
  Fifo fifo(bits.context(3), {});
  fifo.on_map(2);
  fifo.on_map(0);
  fifo.on_map(1);
  EXPECT_EQ(fifo.select_victim(), 2U);
  fifo.on_unmap(2);
  fifo.on_map(2);  // reloaded: now youngest
  EXPECT_EQ(fifo.select_victim(), 0U);
}

TEST(LruHooks, AccessMovesToMostRecent) {
  Bits bits(3);
  Lru lru(bits.context(3), {});
  lru.on_map(0);
  lru.on_map(1);
  lru.on_map(2);
  EXPECT_EQ(lru.select_victim(), 0U);
  lru.on_access(0, 3);
  EXPECT_EQ(lru.select_victim(), 1U);
  lru.on_access(1, 4);
  EXPECT_EQ(lru.select_victim(), 2U);
  lru.on_unmap(2);
  EXPECT_EQ(lru.select_victim(), 0U);
}

TEST(ClockHooks, HandClearsBitsThenEvictsFirstUnreferenced) {
  Bits bits(4);
  Clock clock(bits.context(4), {});
  bits.referenced = {1, 0, 1, 1};
  EXPECT_EQ(clock.select_victim(), 1U);  // frame 0 gets its second chance
  EXPECT_EQ(bits.referenced[0], 0);
  EXPECT_EQ(bits.referenced[2], 1);  // the hand stopped at 1 and did not touch 2
  // Hand is now at 2: 2 and 3 are referenced, 0 was cleared -> evicts 0 after clearing 2 and 3.
  EXPECT_EQ(clock.select_victim(), 0U);
  EXPECT_EQ(bits.referenced[2], 0);
  EXPECT_EQ(bits.referenced[3], 0);
}

TEST(ClockHooks, AllReferencedDegeneratesToFifoOrder) {
  Bits bits(3);
  Clock clock(bits.context(3), {});
  bits.referenced = {1, 1, 1};
  EXPECT_EQ(clock.select_victim(), 0U);  // full sweep clears all, back to 0
  EXPECT_EQ(clock.select_victim(), 1U);
}

TEST(OptHooks, EvictsFarthestNextUse) {
  // Reference indices 0..2 touch frames 0,1,2; their next uses are 10, never, 5.
  const std::vector<std::uint64_t> next_use = {10, kNeverUsedAgain, 5, 11};
  Bits bits(3);
  Opt opt(bits.context(3, next_use), {});
  for (FrameId f = 0; f < 3; ++f) {
    opt.on_map(f);
    opt.on_access(f, f);
  }
  EXPECT_EQ(opt.select_victim(), 1U);
  opt.on_unmap(1);
  EXPECT_EQ(opt.select_victim(), 0U);  // 10 > 5
  opt.on_access(0, 2);                 // frame 0 now next used at 5... (index 2's next use)
  opt.on_access(2, 3);                 // frame 2 next used at 11
  EXPECT_EQ(opt.select_victim(), 2U);
}

TEST(RandomHooks, SameSeedSameVictimsAndAllInRange) {
  Bits bits(5);
  RandomPolicy a(bits.context(5), {});
  RandomPolicy b(bits.context(5), {});
  std::set<FrameId> seen;
  for (int i = 0; i < 200; ++i) {
    const FrameId v = a.select_victim();
    EXPECT_EQ(v, b.select_victim());
    EXPECT_LT(v, 5U);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 5U);  // 200 uniform draws over 5 frames miss one with probability < 1e-18
}

TEST(PolicyRegistry, ParsesSpecsAndRejectsUnknownNames) {
  const PolicySpec spec = parse_policy_spec("lru:a=1,b=2");
  EXPECT_EQ(spec.name, "lru");
  ASSERT_EQ(spec.params.size(), 2U);
  EXPECT_EQ(spec.params[1].first, "b");
  EXPECT_EQ(spec.params[1].second, "2");
  try {
    dispatch_policy(parse_policy_spec("nosuch"), []<class P>(typename P::Params) {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "unknown policy 'nosuch' (valid: " + policy_names() + ")");
    EXPECT_EQ(policy_names().rfind("fifo, lru, clock, opt, random", 0), 0U);
  }
  EXPECT_THROW(dispatch_policy(parse_policy_spec("lru:x=1"), []<class P>(typename P::Params) {}),
               Error);
  EXPECT_THROW(parse_policy_spec("lru:x"), Error);
}

TEST(PolicyRegistry, DispatchFindsEachRegisteredPolicy) {
  for (const char* name : {"fifo", "lru", "clock", "opt", "random"}) {
    std::string_view found;
    dispatch_policy(parse_policy_spec(name),
                    [&]<class P>(typename P::Params) { found = P::info.name; });
    EXPECT_EQ(found, name);
  }
}

}  // namespace
}  // namespace vmsim
