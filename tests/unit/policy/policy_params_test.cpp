// Policy parameters as users type them: ranges, hostile values, the words of each error, bounded
// side structures, and names without regard to case with a suggestion for a slip. The expected
// messages are written out from the format in detail/param_check.hpp and the ranges each policy
// documents (docs/policies.md), not taken from the program.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "policy/page/detail/replay.hpp"
#include "policy/page/registry.hpp"
#include "unit/policy/hook_bits.hpp"

namespace vmsim::test {
namespace {

std::string error_of(const std::string& spec) {
  try {
    dispatch_policy(parse_policy_spec(spec), []<class P>(typename P::Params) {});
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

struct Hostile {
  const char* spec;
  const char* message;
};

TEST(PolicyParams, HostileValuesGetAClearMessage) {
  const std::vector<Hostile> table = {
      // Crashed at the first eviction (a NaN share of frames).
      {"s3fifo:small=nan",
       "policy s3fifo: bad value 'nan' for parameter small: expected a number from 0 to 1"},
      // Allocated gigabytes up front.
      {"s3fifo:ghost=1e6",
       "policy s3fifo: bad value '1e6' for parameter ghost: expected a number from 0 to 4"},
      {"2q:kout=1e7",
       "policy 2q: bad value '1e7' for parameter kout: expected a number from 0 to 4"},
      {"lru-k:history=1000000000",
       "policy lru-k: bad value '1000000000' for parameter history: expected an integer from 0 "
       "to 1048576"},
      {"lirs:nonresident=1e7",
       "policy lirs: bad value '1e7' for parameter nonresident: expected a number from 0 to 4"},
      // Clamped or cast out of range.
      {"arc:p=2", "policy arc: bad value '2' for parameter p: expected a number from 0 to 1"},
      {"arc:p=-1", "policy arc: bad value '-1' for parameter p: expected a number from 0 to 1"},
      {"arc:p=nan", "policy arc: bad value 'nan' for parameter p: expected a number from 0 to 1"},
      {"arc:p=inf", "policy arc: bad value 'inf' for parameter p: expected a number from 0 to 1"},
      {"arc:p=-inf", "policy arc: bad value '-inf' for parameter p: expected a number from 0 to 1"},
      {"car:p=nan", "policy car: bad value 'nan' for parameter p: expected a number from 0 to 1"},
      {"lirs:hir=1e30",
       "policy lirs: bad value '1e30' for parameter hir: expected a number from 0 to 1"},
      {"2q:kin=1e30",
       "policy 2q: bad value '1e30' for parameter kin: expected a number from 0 to 1"},
      {"clock-pro:cold=1.5",
       "policy clock-pro: bad value '1.5' for parameter cold: expected a number from 0 to 1"},
      {"s3fifo:promote=4",
       "policy s3fifo: bad value '4' for parameter promote: expected an integer from 1 to 3"},
      {"s3fifo:promote=0",
       "policy s3fifo: bad value '0' for parameter promote: expected an integer from 1 to 3"},
      // Beyond what the number type holds, or not a number at all.
      {"arc:p=1e400",
       "policy arc: bad value '1e400' for parameter p: expected a number from 0 to 1"},
      {"arc:p=0x1p-1",
       "policy arc: bad value '0x1p-1' for parameter p: expected a number from 0 to 1"},
      {"arc:p=0.5x", "policy arc: bad value '0.5x' for parameter p: expected a number from 0 to 1"},
      {"lru-k:k=0",
       "policy lru-k: bad value '0' for parameter k: expected an integer from 1 to 64"},
      {"lru-k:k=65",
       "policy lru-k: bad value '65' for parameter k: expected an integer from 1 to 64"},
      {"lru-k:k=-1",
       "policy lru-k: bad value '-1' for parameter k: expected an integer from 1 to 64"},
      {"lru-k:k=2.5",
       "policy lru-k: bad value '2.5' for parameter k: expected an integer from 1 to 64"},
      {"lru-k:crp=18446744073709551616",
       "policy lru-k: bad value '18446744073709551616' for parameter crp: expected an integer >= "
       "0"},
      {"aging:bits=0",
       "policy aging: bad value '0' for parameter bits: expected an integer from 1 to 64"},
      {"aging:bits=4294967296",
       "policy aging: bad value '4294967296' for parameter bits: expected an integer from 1 to "
       "64"},
      {"nfu:tick=-5", "policy nfu: bad value '-5' for parameter tick: expected an integer >= 0"},
      {"ws:tau=0", "policy ws: bad value '0' for parameter tau: expected an integer >= 1"},
      {"wsclock:tau=0",
       "policy wsclock: bad value '0' for parameter tau: expected an integer >= 1"},
      {"pff:threshold=0",
       "policy pff: bad value '0' for parameter threshold: expected an integer >= 1"},
      {"lfu:perfect=2", "policy lfu: bad value '2' for parameter perfect: expected 0 or 1"},
      {"arc:p=", "policy parameter 'p=' is not name=value (in 'arc:p=')"},
  };
  for (const Hostile& h : table) EXPECT_EQ(error_of(h.spec), h.message) << h.spec;
}

// Built directly, as tests do, a policy checks its Params too, with the value as it prints.
TEST(PolicyParams, ConstructorsCheckTheirParams) {
  HookBits bits(4);
  try {
    S3Fifo(bits.context(), {.small = std::nan(""), .ghost = 0.9, .promote = 2});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(
        e.what(),
        "policy s3fifo: bad value 'nan' for parameter small: expected a number from 0 to 1");
  }
  try {
    LruK(bits.context(), {.k = 0, .crp = 0, .history = 0});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "policy lru-k: bad value '0' for parameter k: expected an integer from 1 to 64");
  }
  EXPECT_THROW(Arc(bits.context(), {.p = std::numeric_limits<double>::infinity()}), Error);
  EXPECT_THROW(Lirs(bits.context(), {.hir = 0.01, .nonresident = 5}), Error);
}

// Every parameter's help line states its range in the words of the error message, and its default
// lies inside it.
TEST(PolicyParams, HelpLinesStateTheRangeAndDefaultsLieInIt) {
  std::size_t fields = 0;
  for_each_policy([&]<class P>() {
    const typename P::Params defaults{};
    std::apply(
        [&](const auto&... field) {
          [[maybe_unused]] const auto check = [&](const auto& f) {  // unused for no parameters
            ++fields;
            const std::string valid = detail::valid_values(f);
            EXPECT_NE(std::string(f.help).find(valid), std::string::npos)
                << P::info.name << ":" << f.name << " help does not say '" << valid << "'";
            EXPECT_TRUE(detail::within(defaults.*f.member, f.min, f.max))
                << P::info.name << ":" << f.name;
            using T = std::remove_cvref_t<decltype(f.min)>;
            if constexpr (std::is_floating_point_v<T>) {
              EXPECT_TRUE(std::isfinite(f.min) && f.min > std::numeric_limits<T>::lowest() &&
                          std::isfinite(f.max) && f.max < std::numeric_limits<T>::max())
                  << P::info.name << ":" << f.name << " has no stated range";
            }
          };
          (check(field), ...);
        },
        P::Params::fields);
  });
  EXPECT_EQ(fields, 20U);  // aging 2, nfu 1, lfu 1, lru-k 3, 2q 2, arc 1, car 1, lirs 2,
                           // clock-pro 1, s3fifo 3, ws 1, wsclock 1, pff 1
}

// At both ends of every range every policy builds and runs: faults, evictions, ghost hits, on 1,
// 2 and 5 frames. The reference string cycles through 7 pages with repeats, so lists fill,
// overflow and pages come back from ghost lists.
TEST(PolicyParams, EveryPolicyRunsAtBothEndsOfEveryRange) {
  const std::vector<std::uint64_t> pages = {1, 2, 3, 1, 4, 5, 1, 2, 6, 7, 1, 3, 2, 4, 6, 6, 5, 1,
                                            7, 2, 3, 1, 1, 4, 5, 6, 2, 7, 3, 1, 2, 3, 4, 5, 6, 7};
  std::size_t runs = 0;
  for_each_policy([&]<class P>() {
    const auto run = [&](const typename P::Params& params, const std::string& what) {
      for (const std::uint32_t frames : {1U, 2U, 5U}) {
        try {
          const detail::ReplayCounts counts = detail::replay_references<P>(params, frames, pages);
          EXPECT_GT(counts.faults, 0U) << what;
          ++runs;
        } catch (const std::exception& e) {
          ADD_FAILURE() << what << " with " << frames << " frames: " << e.what();
        }
      }
    };
    run(typename P::Params{}, std::string(P::info.name) + " defaults");
    std::apply(
        [&](const auto&... field) {
          [[maybe_unused]] const auto ends = [&](const auto& f) {
            for (const auto value : {f.min, f.max}) {
              typename P::Params params{};
              params.*f.member = value;
              run(params, std::string(P::info.name) + ":" + std::string(f.name) + "=" +
                              std::to_string(value));
            }
          };
          (ends(field), ...);
        },
        P::Params::fields);
  });
  EXPECT_EQ(runs, 3U * (22U + 2U * 20U));
}

// The side structures that scale with memory stop at their documented caps: a scan of 200
// distinct pages through 10 frames evicts 190 pages, each of which S3-FIFO's G (from S), 2Q's
// A1out (from A1in) and LIRS's S (as a non-resident HIR entry above the bottom LIR page) would
// remember; with the largest share, 4 x 10 = 40 are kept.
TEST(PolicyParams, SideStructuresStopAtTheirCaps) {
  HookBits bits(10);
  S3Fifo s3fifo(bits.context(), {.small = 0.1, .ghost = 4, .promote = 2});
  TwoQ two_q(bits.context(), {.kin = 0.25, .kout = 4});
  Lirs lirs(bits.context(), {.hir = 0.01, .nonresident = 4});
  const auto scan = [&](auto& policy) {
    for (std::uint64_t page = 0; page < 200; ++page) {
      FrameId f = static_cast<FrameId>(page);
      if (page >= 10) {
        if constexpr (SelectsVictimFor<std::remove_reference_t<decltype(policy)>>) {
          f = policy.select_victim_for(page);
        } else {
          f = policy.select_victim();
        }
        policy.on_unmap(f);
      }
      bits.page_key[f] = page;
      load(policy, f, page);
    }
  };
  scan(s3fifo);
  scan(two_q);
  scan(lirs);
  EXPECT_EQ(s3fifo.ghost_size(), 40U);
  EXPECT_EQ(two_q.a1out_size(), 40U);
  EXPECT_EQ(lirs.nonresident_in_stack(), 40U);
}

std::string_view policy_named(const std::string& spec) {
  std::string_view found;
  dispatch_policy(parse_policy_spec(spec),
                  [&]<class P>(typename P::Params) { found = P::info.name; });
  return found;
}

TEST(PolicyNames, CompareWithoutRegardToCase) {
  EXPECT_EQ(policy_named("LRU"), "lru");
  EXPECT_EQ(policy_named("Clock-Pro"), "clock-pro");
  double p = -1;
  dispatch_policy(parse_policy_spec("Arc:P=0.5"), [&]<class P>(typename P::Params params) {
    if constexpr (std::is_same_v<P, Arc>) p = params.p;
  });
  EXPECT_DOUBLE_EQ(p, 0.5);
}

TEST(PolicyNames, UnknownNamesSuggestTheClosest) {
  const std::string valid = " (valid: " + policy_names() + ")";
  // One swap of neighbours.
  EXPECT_EQ(error_of("lur"), "unknown policy 'lur'" + valid + "; did you mean 'lru'?");
  // One letter too many, one away from two names: both, in registry order.
  EXPECT_EQ(error_of("lfru"), "unknown policy 'lfru'" + valid + "; did you mean 'lru' or 'lfu'?");
  // One letter missing; the suggestion keeps the policy's own spelling.
  EXPECT_EQ(error_of("CLOCKPRO"),
            "unknown policy 'CLOCKPRO'" + valid + "; did you mean 'clock-pro'?");
  EXPECT_EQ(error_of("s3-fifo:small=0.2"),
            "unknown policy 's3-fifo'" + valid + "; did you mean 's3fifo'?");
  // Nothing near: no guess.
  EXPECT_EQ(error_of("nosuch"), "unknown policy 'nosuch'" + valid);
  EXPECT_EQ(error_of("xyz"), "unknown policy 'xyz'" + valid);
}

TEST(PolicyNames, UnknownParametersSuggestTheClosest) {
  EXPECT_EQ(error_of("arc:q=1"), "policy arc has no parameter 'q' (valid: p); did you mean 'p'?");
  EXPECT_EQ(error_of("s3fifo:gost=1"),
            "policy s3fifo has no parameter 'gost' (valid: small ghost promote); did you mean "
            "'ghost'?");
  EXPECT_EQ(error_of("lru-k:histroy=5"),
            "policy lru-k has no parameter 'histroy' (valid: k crp history); did you mean "
            "'history'?");
  EXPECT_EQ(error_of("2q:zzz=1"), "policy 2q has no parameter 'zzz' (valid: kin kout)");
  EXPECT_EQ(error_of("lru:x=1"), "policy lru has no parameter 'x' (it takes none)");
}

}  // namespace
}  // namespace vmsim::test
