// The memory bounds the policies state (policy/page/detail/footprint.hpp): the hash-table sizes
// they assume are the ones absl allocates, a table sized that way never grows while keys come
// and go, and a run's peak resident memory stays within its policy's stated bound.
#include <absl/container/flat_hash_map.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "../mrc/slow_build.hpp"
#include "policy/page/all.hpp"
#include "policy/page/detail/footprint.hpp"
#include "policy/page/detail/replay.hpp"
#include "unit/policy/driver.hpp"

namespace vmsim {
namespace {

using Map = absl::flat_hash_map<std::uint64_t, std::uint32_t>;

TEST(Footprint, HashCapacityIsWhatAbslAllocates) {
  std::vector<std::uint64_t> sizes;
  for (std::uint64_t n = 0; n <= 3000; ++n) sizes.push_back(n);
  for (std::uint64_t k = 12; k <= 20; ++k) {
    for (const std::int64_t d : {-2, -1, 0, 1, 2}) {
      sizes.push_back(static_cast<std::uint64_t>(std::int64_t{1} << k) + d);
    }
  }
  for (const std::uint64_t n : sizes) {
    Map map;
    map.reserve(detail::no_growth_reserve(n));
    ASSERT_EQ(map.bucket_count(), detail::hash_capacity(n)) << n << " entries";
  }
}

// Tables at their tightest: a size just past a power of two's 7/8 and one just below it. Keys
// are erased and inserted at random with `n` live; tombstones pile up and are squashed in place,
// but the table never doubles.
TEST(Footprint, ATableSizedForItsEntriesNeverGrowsUnderChurn) {
  std::mt19937_64 rng(7);
  for (const std::uint64_t n : {1ULL, 2ULL, 7ULL, 100ULL, 1000ULL, 1792ULL, 1793ULL, 50000ULL}) {
    Map map;
    map.reserve(detail::no_growth_reserve(n));
    const std::size_t slots = map.bucket_count();
    std::vector<std::uint64_t> live;
    std::uint64_t next_key = 0;
    for (; next_key < n; ++next_key) {
      map.emplace(next_key * 0x9e3779b97f4a7c15ULL, 0);
      live.push_back(next_key * 0x9e3779b97f4a7c15ULL);
    }
    for (std::uint64_t step = 0; step < 20 * n + 100; ++step) {
      const std::size_t i = rng() % live.size();
      map.erase(live[i]);
      live[i] = (next_key++) * 0x9e3779b97f4a7c15ULL;
      map.emplace(live[i], 0);
      ASSERT_EQ(map.bucket_count(), slots) << n << " entries, step " << step;
    }
    EXPECT_EQ(map.size(), n);
  }
}

// ARC's and CAR's directory bound (Megiddo and Modha, FAST 2003, section III; Bansal and Modha,
// FAST 2004, invariants I1-I4): between references |T1| + |T2| + |B1| + |B2| <= 2c and, once the
// cache is full, |B1| + |B2| <= c, which is what their ghost lists are sized for. Random traces
// over 3c pages fill the ghosts to the bound.
template <class P>
void check_directory_bound() {
  for (const std::uint32_t frames : {1U, 2U, 5U, 64U}) {
    std::mt19937_64 rng(frames);
    std::vector<std::uint64_t> pages(200 * frames);
    for (auto& page : pages) {
      // A hot set of frames/2 pages half of the time, so that both lists are used.
      page = rng() % 2 == 0 ? rng() % (frames / 2 + 1) : rng() % (3 * frames);
    }
    test::Driver<P> d(frames);
    std::uint32_t most_ghosts = 0;
    for (std::uint64_t now = 0; now < pages.size(); ++now) {
      d.ref(pages[now]);
      const P& policy = d.policy();
      const std::uint32_t ghosts = policy.b1_size() + policy.b2_size();
      ASSERT_LE(ghosts, frames) << P::info.name << ", " << frames << " frames, reference " << now;
      ASSERT_LE(policy.t1_size() + policy.t2_size() + ghosts, 2 * frames) << P::info.name;
      most_ghosts = std::max(most_ghosts, ghosts);
    }
    EXPECT_EQ(most_ghosts, frames) << P::info.name << ": the bound is reached";
  }
}

TEST(Footprint, ArcGhostsStayWithinTheDirectoryBound) {
  check_directory_bound<Arc>();
}
TEST(Footprint, CarGhostsStayWithinTheDirectoryBound) {
  check_directory_bound<Car>();
}

// The peak resident set (VmHWM) of a child process that replays `pages` through P, less what it
// already held; measured in a fresh child so that nothing the test binary freed earlier is reused.
template <class P>
std::int64_t peak_growth(std::uint32_t frames, const std::vector<std::uint64_t>& pages) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  const pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    const auto status_kib = [](const std::string& field) {
      std::ifstream in("/proc/self/status");
      std::string line;
      while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1));
      }
      return -1LL;
    };
    {
      std::ofstream clear("/proc/self/clear_refs");
      clear << "5";  // resets VmHWM to the current resident set
    }
    const long long before = status_kib("VmRSS");
    detail::replay_references<P>(typename P::Params{}, frames, pages);
    const long long growth = (status_kib("VmHWM") - before) * 1024;
    const bool ok = write(fds[1], &growth, sizeof growth) == sizeof growth;
    _exit(ok ? 0 : 1);
  }
  close(fds[1]);
  long long growth = -1;
  if (read(fds[0], &growth, sizeof growth) != sizeof growth) growth = -1;
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  return growth;
}

// Uniform references over 8c pages, 20c of them: the ghost lists and non-resident entries fill
// and turn over many times. What each policy's run holds beyond a run with random replacement
// (which keeps nothing but the frame table) must stay within what it states beyond the frame
// table's share. The runs differ from the baseline by a few pages either way in what the allocator
// keeps (some 50-250 KiB at this size); 1 MiB of slack covers that and is half of what one hash
// table doubling midway would add.
TEST(Footprint, PeakResidentMemoryStaysWithinTheStatedBound) {
  if (test::kSlowBuild) GTEST_SKIP() << "the sanitizers' shadow memory hides the policies' own";
  {
    std::ifstream clear("/proc/self/clear_refs");
    if (!clear) GTEST_SKIP() << "no /proc/self/clear_refs";
  }
  constexpr std::uint32_t kFrames = 1U << 16;
  std::mt19937_64 rng(3);
  std::vector<std::uint64_t> pages(20 * std::size_t{kFrames});
  for (auto& page : pages) page = rng() % (8 * kFrames);

  const std::int64_t baseline = peak_growth<RandomPolicy>(kFrames, pages);
  ASSERT_GE(baseline, 0);
  constexpr std::int64_t kSlack = 1 << 20;
  const auto check = [&]<class P>() {
    const std::int64_t growth = peak_growth<P>(kFrames, pages);
    ASSERT_GE(growth, 0) << P::info.name;
    const auto stated = static_cast<std::int64_t>(P::memory_bound(kFrames, 0, {}) -
                                                  kFrames * detail::kFrameShareBytes);
    EXPECT_LE(growth - baseline, stated + kSlack)
        << P::info.name << ": grew " << growth << " bytes, random replacement " << baseline;
    // The run did fill its structures: at least a quarter of what it states was touched.
    EXPECT_GE(growth - baseline, stated / 4) << P::info.name;
  };
  check.template operator()<Arc>();
  check.template operator()<Car>();
  check.template operator()<TwoQ>();
  check.template operator()<S3Fifo>();
  check.template operator()<Lirs>();
  check.template operator()<ClockPro>();
  check.template operator()<LruK>();
}

}  // namespace
}  // namespace vmsim
