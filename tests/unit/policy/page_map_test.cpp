// PageMap, in both of its forms (flat array over dense ids, hash table over sparse keys), against
// std::map, and GhostLists on each form against a plain model of ordered lists.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "core/rng.hpp"
#include "policy/page/detail/ghost_lists.hpp"
#include "policy/page/detail/page_map.hpp"

namespace vmsim::detail {
namespace {

constexpr std::uint32_t kPages = 500;

// Sparse keys as the full model makes them: an asid above bit 48, page numbers far apart.
std::uint64_t sparse_key(std::uint64_t id) {
  return (id % 3) << 48 | (id * 0x10001);
}

TEST(PageMap, BothFormsAgreeWithAMap) {
  for (const bool dense : {true, false}) {
    PageMap<std::uint32_t> map(dense ? kPages : 0, 16);
    std::map<std::uint64_t, std::uint32_t> model;
    Rng rng(dense ? 1 : 2);
    for (int step = 0; step < 20000; ++step) {
      const std::uint64_t id = rng.below(kPages);
      const std::uint64_t key = dense ? id : sparse_key(id);
      switch (rng.below(3)) {
        case 0: {
          // insert takes an absent key, remove a present one (their preconditions).
          if (model.contains(key)) {
            map.remove(key);
            model.erase(key);
          } else {
            const auto value = static_cast<std::uint32_t>(rng.below(1000));
            map.insert(key, value);
            model[key] = value;
          }
          break;
        }
        case 1: {
          const auto taken = map.take(key);
          const auto it = model.find(key);
          ASSERT_EQ(taken.has_value(), it != model.end());
          if (it != model.end()) {
            EXPECT_EQ(*taken, it->second);
            model.erase(it);
          }
          break;
        }
        default: {
          const std::uint32_t* found = map.find(key);
          const auto it = model.find(key);
          ASSERT_EQ(found != nullptr, it != model.end());
          if (found != nullptr) {
            EXPECT_EQ(*found, it->second);
          }
        }
      }
      ASSERT_EQ(map.size(), model.size());
    }
  }
}

TEST(PageMap, TakeRemovesOnce) {
  PageMap<std::uint64_t> map(10, 0);
  map.insert(7, 42);
  EXPECT_TRUE(map.contains(7));
  EXPECT_EQ(map.take(7), std::optional<std::uint64_t>(42));
  EXPECT_FALSE(map.take(7).has_value());
  EXPECT_FALSE(map.contains(7));
  EXPECT_EQ(map.size(), 0U);
  map.insert(7, 43);  // absent again, so it may come back
  EXPECT_EQ(*map.find(7), 43U);
}

// Two lists with random pushes, pops and erasures: membership and order as in two deques.
TEST(GhostLists, BothIndexFormsAgreeWithDeques) {
  for (const bool dense : {true, false}) {
    GhostLists ghosts(2, 64, dense ? kPages : 0);
    std::deque<std::uint64_t> model[2];  // front = most recent
    Rng rng(dense ? 3 : 4);
    const auto holder = [&](std::uint64_t key) {
      for (int l = 0; l < 2; ++l)
        if (std::find(model[l].begin(), model[l].end(), key) != model[l].end()) return l;
      return GhostLists::kNone;
    };
    for (int step = 0; step < 20000; ++step) {
      const std::uint64_t id = rng.below(kPages);
      const std::uint64_t key = dense ? id : sparse_key(id);
      const int list = static_cast<int>(rng.below(2));
      ASSERT_EQ(ghosts.find(key), holder(key));
      switch (rng.below(3)) {
        case 0:
          if (holder(key) == GhostLists::kNone) {
            ghosts.push_front(list, key);
            model[list].push_front(key);
          }
          break;
        case 1:
          if (!model[list].empty()) {
            EXPECT_EQ(ghosts.back(list), model[list].back());
            EXPECT_EQ(ghosts.pop_back(list), model[list].back());
            model[list].pop_back();
          }
          break;
        default: {
          const int was = holder(key);
          EXPECT_EQ(ghosts.erase(key), was != GhostLists::kNone);
          if (was != GhostLists::kNone)
            model[was].erase(std::find(model[was].begin(), model[was].end(), key));
        }
      }
      for (int l = 0; l < 2; ++l) {
        ASSERT_EQ(ghosts.size(l), model[l].size());
        if (!model[l].empty()) {
          EXPECT_EQ(ghosts.front(l), model[l].front());
        }
      }
      ASSERT_EQ(ghosts.total(), model[0].size() + model[1].size());
    }
  }
}

}  // namespace
}  // namespace vmsim::detail
