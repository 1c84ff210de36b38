// SHARDS against the exact curve: mean absolute error of the miss ratio over every memory size
// from one frame to the footprint.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/rng.hpp"
#include "mrc/mrc.hpp"
#include "trace/dense_trace.hpp"
#include "trace/gen/generator.hpp"
#include "unit/mrc/slow_build.hpp"
#include "vmsim/error.hpp"

namespace vmsim::test {
namespace {

double mean_absolute_error(const mrc::MissRatioCurve& estimate, const mrc::MissRatioCurve& exact) {
  const auto pages = static_cast<std::uint64_t>(exact.distinct_pages);
  double sum = 0;
  for (std::uint64_t c = 1; c <= pages; ++c) {
    sum += std::abs(estimate.miss_ratio(c) - exact.miss_ratio(c));
  }
  return pages == 0 ? 0 : sum / static_cast<double>(pages);
}

// The largest error at `points` sizes on a log scale from `from` frames up. Below about 1% of the
// footprint the curve hangs on a handful of hot pages, which a 1% sample holds one or none of:
// the known limit of spatial sampling on very skewed workloads (docs/mrc.md).
double max_error_from(const mrc::MissRatioCurve& estimate, const mrc::MissRatioCurve& exact,
                      std::uint64_t from, std::uint64_t points) {
  double worst = 0;
  for (const std::uint64_t c :
       mrc::log_spaced_sizes(static_cast<std::uint64_t>(exact.distinct_pages), points)) {
    if (c < from) continue;
    worst = std::max(worst, std::abs(estimate.miss_ratio(c) - exact.miss_ratio(c)));
  }
  return worst;
}

gen::GeneratorParams zipf(std::uint64_t length, std::uint64_t pages) {
  gen::GeneratorParams p;
  p.length = length;
  p.pages = pages;
  p.alpha = 0.9;
  return p;
}

mrc::MissRatioCurve exact_curve(const gen::GeneratorParams& p) {
  const auto reader = gen::make_generator("zipf", p);
  return mrc::exact_lru_curve(DenseTrace::decode(*reader, 12));
}

mrc::MissRatioCurve shards_curve(const gen::GeneratorParams& p, const mrc::ShardsOptions& o) {
  const auto reader = gen::make_generator("zipf", p);
  return mrc::shards_lru_curve(*reader, 12, o);
}

// The case: 10M accesses of zipf(0.9) over 1M pages, 1% of the pages sampled. Sanitizer
// and debug builds run 2M accesses over 200K pages (2,000 pages sampled) to stay within seconds.
TEST(Shards, FixedRateOnePercentOnZipf) {
  const gen::GeneratorParams p =
      kSlowBuild ? zipf(2'000'000, 200'000) : zipf(10'000'000, 1'000'000);
  const mrc::MissRatioCurve exact = exact_curve(p);
  mrc::ShardsOptions o;
  o.sample_rate = 0.01;
  const mrc::MissRatioCurve est = shards_curve(p, o);
  EXPECT_EQ(est.page_refs, exact.page_refs);
  EXPECT_EQ(est.accesses, exact.accesses);
  const double mae = mean_absolute_error(est, exact);
  const auto pages = static_cast<std::uint64_t>(exact.distinct_pages);
  const double worst = max_error_from(est, exact, pages / 100, 60);
  EXPECT_LT(mae, 0.01);
  EXPECT_LT(worst, 0.05);
  // About 1% of the pages sampled, and the footprint estimated within 5%.
  EXPECT_NEAR(static_cast<double>(est.sampled_pages), 0.01 * exact.distinct_pages,
              0.002 * exact.distinct_pages);
  EXPECT_NEAR(est.distinct_pages, exact.distinct_pages, 0.05 * exact.distinct_pages);
  std::printf("SHARDS at 1%%: mean absolute error %.5f, largest error from %llu frames %.5f\n", mae,
              static_cast<unsigned long long>(pages / 100), worst);
}

// The accuracy check itself: 10M accesses of zipf(0.9) over 1M pages, --sample-rate 0.01,
// 20 log-spaced sizes from 1,000 frames to the footprint, mean absolute error within 0.01. A 1%
// sample alone misses it (0.0125 at hash seed 0, 0.016 on average over seeds 0-9: the sizes below
// 10,000 frames hold under 100 sampled pages); the dense sample at 10% covers those sizes. Slow
// builds run 2M accesses over 200K pages.
TEST(Shards, OnePercentWithinAHundredthFromAThousandFrames) {
  const gen::GeneratorParams p =
      kSlowBuild ? zipf(2'000'000, 200'000) : zipf(10'000'000, 1'000'000);
  const mrc::MissRatioCurve exact = exact_curve(p);
  const auto pages = static_cast<std::uint64_t>(exact.distinct_pages);
  std::vector<std::uint64_t> sizes;
  for (int i = 0; i < 20; ++i) {
    sizes.push_back(static_cast<std::uint64_t>(
        std::llround(1000 * std::pow(static_cast<double>(pages) / 1000, i / 19.0))));
  }
  const auto error_over_sizes = [&](const mrc::MissRatioCurve& est) {
    double sum = 0;
    for (const std::uint64_t c : sizes) sum += std::abs(est.miss_ratio(c) - exact.miss_ratio(c));
    return sum / static_cast<double>(sizes.size());
  };
  mrc::ShardsOptions o;
  o.sample_rate = 0.01;
  const mrc::MissRatioCurve est = shards_curve(p, o);
  EXPECT_DOUBLE_EQ(est.dense_rate, 0.1);
  EXPECT_EQ(est.dense_frames, 40'960U);  // 4,096 dense pages at 10%
  EXPECT_EQ(est.trusted_from(), 1'000U);
  for (const std::uint64_t c : sizes) EXPECT_FALSE(est.undersampled(c)) << c;
  const double mae = error_over_sizes(est);
  EXPECT_LT(mae, 0.01);
  // The hash seed picks the sample: over several, the error stays within the bound on average.
  double sum = 0;
  constexpr int kSeeds = 4;
  for (int seed = 2; seed < 2 + kSeeds; ++seed) {
    o.seed = static_cast<std::uint64_t>(seed);
    sum += error_over_sizes(shards_curve(p, o));
  }
  EXPECT_LT(sum / kSeeds, 0.01);
  std::printf("SHARDS at 1%% from 1,000 frames: mean absolute error %.5f (seeds 2-5: %.5f)\n", mae,
              sum / kSeeds);
}

// With a dense rate of 1 the dense stack holds every page to depth 4,096: the curve there is the
// exact one, except that where the two samples meet it never falls below the sparse estimate at
// the next size (the curve must not rise with memory). Above 4,096 frames it is the sparse curve.
TEST(Shards, DenseSampleIsExactUpToItsDepth) {
  const gen::GeneratorParams p = zipf(300'000, 20'000);
  const mrc::MissRatioCurve exact = exact_curve(p);
  mrc::ShardsOptions o;
  o.sample_rate = 0.05;
  o.dense_rate = 0;
  const mrc::MissRatioCurve sparse = shards_curve(p, o);
  EXPECT_EQ(sparse.dense_rate, 0);
  o.dense_rate = 1;
  const mrc::MissRatioCurve est = shards_curve(p, o);
  ASSERT_EQ(est.bucket_frames, 1U);
  EXPECT_EQ(est.dense_frames, mrc::kDenseDepth);
  EXPECT_EQ(est.dense_refs, exact.page_refs);
  const double junction = sparse.faults(mrc::kDenseDepth + 1);
  for (std::uint64_t c = 1; c <= mrc::kDenseDepth; ++c) {
    ASSERT_DOUBLE_EQ(est.faults(c), std::max(exact.faults(c), junction)) << c;
  }
  for (std::uint64_t c = mrc::kDenseDepth + 1; c <= 21'000; ++c) {
    ASSERT_DOUBLE_EQ(est.faults(c), sparse.faults(c)) << c;
  }
  // A full dense sample is never undersampled, and the 5% one above it holds over 204 pages.
  EXPECT_FALSE(est.undersampled(1));
  EXPECT_FALSE(est.undersampled(mrc::kDenseDepth + 1));
  EXPECT_EQ(est.trusted_from(), 1U);
}

// Fixed-size at the paper's 8K sampled pages, over 300K pages (150K in slow builds): the rate
// falls to about 3% (5%).
TEST(Shards, FixedSizeOnZipf) {
  const gen::GeneratorParams p = kSlowBuild ? zipf(1'500'000, 150'000) : zipf(3'000'000, 300'000);
  const mrc::MissRatioCurve exact = exact_curve(p);
  mrc::ShardsOptions o;
  o.sample_rate = 1.0;
  o.max_pages = 8'000;
  const mrc::MissRatioCurve est = shards_curve(p, o);
  const double mae = mean_absolute_error(est, exact);
  EXPECT_LT(mae, 0.01);
  EXPECT_NEAR(est.sample_rate, 8'000 / exact.distinct_pages, 0.005);
  std::printf("SHARDS with 8000 pages: mean absolute error %.5f, final rate %.5f\n", mae,
              est.sample_rate);
}

// The accuracy setting in miniature: 10,000 sampled pages (10% of 100,000, as 1% of the
// issue's 1,000,000) and 20 log-spaced sizes from 0.1% of the footprint (the 1,000 of
// 1,000,000 frames) up, so the smallest size holds 10 sampled pages there as here. The error at a
// size depends on which pages the hash happens to pick, so the bound is on its mean over eight
// hash seeds. On the sizes not flagged undersampled it is within 0.01; on the flagged ones it is
// several times larger, which is why they are flagged (docs/mrc.md has the full-size figures).
TEST(Shards, ErrorBoundWhereNotUndersampled) {
  // Generated once and replayed: generating is slower than sampling.
  std::vector<Access> records;
  {
    const auto generator = gen::make_generator("zipf", zipf(1'000'000, 100'000));
    std::vector<Access> batch(4096);
    while (const std::size_t n = generator->read(batch)) {
      records.insert(records.end(), batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(n));
    }
  }
  VectorReader all(records);
  const mrc::MissRatioCurve exact = mrc::exact_lru_curve(DenseTrace::decode(all, 12));
  const auto pages = static_cast<std::uint64_t>(exact.distinct_pages);
  std::vector<std::uint64_t> sizes;
  for (int i = 0; i < 20; ++i) {
    sizes.push_back(static_cast<std::uint64_t>(
        std::llround(static_cast<double>(pages) / 1000 * std::pow(1000.0, i / 19.0))));
  }
  constexpr int kSeeds = 8;
  double trusted_error = 0;
  double flagged_error = 0;
  int trusted = 0;
  int flagged = 0;
  for (int seed = 0; seed < kSeeds; ++seed) {
    mrc::ShardsOptions o;
    o.sample_rate = 0.1;
    o.seed = static_cast<std::uint64_t>(seed);
    VectorReader reader(records);
    const mrc::MissRatioCurve est = mrc::shards_lru_curve(reader, 12, o);
    for (const std::uint64_t c : sizes) {
      const double error = std::abs(est.miss_ratio(c) - exact.miss_ratio(c));
      // The flag is frames x rate below 100, worked out here from the rate.
      const bool few = static_cast<double>(c) * est.sample_rate < 100;
      ASSERT_EQ(est.undersampled(c), few) << c;
      (few ? flagged_error : trusted_error) += error;
      ++(few ? flagged : trusted);
    }
  }
  ASSERT_GT(trusted, 0);
  ASSERT_GT(flagged, 0);
  trusted_error /= trusted;
  flagged_error /= flagged;
  EXPECT_LT(trusted_error, 0.01);
  EXPECT_GT(flagged_error, 2 * trusted_error);
  std::printf(
      "SHARDS at 10%% of 100K pages: mean absolute error %.5f where trusted, %.5f where "
      "undersampled\n",
      trusted_error, flagged_error);
}

// Fixed-size sampling never holds more than its bound, and once the footprint exceeds it holds
// exactly the bound: the pages whose hash is below the final limit, which are what fixed-rate
// sampling at the final rate picks.
TEST(Shards, FixedSizeKeepsItsBound) {
  const gen::GeneratorParams p = zipf(200'000, 20'000);
  const mrc::MissRatioCurve exact = exact_curve(p);
  ASSERT_GT(exact.distinct_pages, 5'000);
  for (const std::uint64_t bound : {1, 50, 500, 5'000}) {
    mrc::ShardsOptions o;
    o.sample_rate = 1.0;
    o.max_pages = bound;
    o.seed = 7;
    const mrc::MissRatioCurve est = shards_curve(p, o);
    EXPECT_LE(est.peak_sampled_pages, bound);
    EXPECT_EQ(est.sampled_pages, bound);
    EXPECT_EQ(est.sample_limit, bound);
    EXPECT_GT(est.dropped_pages, 0U);
    EXPECT_LT(est.sample_rate, 1.0);
    mrc::ShardsOptions fixed_rate;
    // The final rate is the dropped hash h / 2^64 rounded to a double, which can round up and let
    // that page back in; a hair lower leaves it out and (at odds of about 1e-8) no other.
    fixed_rate.sample_rate = est.sample_rate * (1 - 1e-12);
    fixed_rate.seed = 7;
    EXPECT_EQ(shards_curve(p, fixed_rate).sampled_pages, bound) << bound;
  }
}

// The flag by hand: at rate 0.01, 10,000 frames hold 100 sampled pages and 9,999 hold fewer.
TEST(Shards, UndersampledIsFramesTimesRateBelowAHundred) {
  mrc::MissRatioCurve c;
  c.method = mrc::Method::Shards;
  c.sample_rate = 0.01;
  EXPECT_TRUE(c.undersampled(1));
  EXPECT_TRUE(c.undersampled(9'999));
  EXPECT_FALSE(c.undersampled(10'000));
  EXPECT_EQ(c.trusted_from(), 10'000U);
  c.sample_rate = 1.0;  // a full sample is exact
  EXPECT_FALSE(c.undersampled(1));
  EXPECT_EQ(c.trusted_from(), 1U);
  c.method = mrc::Method::Exact;
  c.sample_rate = 0.01;
  EXPECT_FALSE(c.undersampled(1));
}

// With a dense sample at 10% covering up to 40,960 frames: 1,000 frames hold 100 of its pages,
// 999 fewer; above 40,960 the 1% sample holds over 409.
TEST(Shards, UndersampledUsesTheDenseRateWhereItApplies) {
  mrc::MissRatioCurve c;
  c.method = mrc::Method::Shards;
  c.sample_rate = 0.01;
  c.dense_rate = 0.1;
  c.dense_frames = 40'960;
  EXPECT_TRUE(c.undersampled(999));
  EXPECT_FALSE(c.undersampled(1'000));
  EXPECT_FALSE(c.undersampled(40'961));
  EXPECT_EQ(c.trusted_from(), 1'000U);
  // A dense sample that ends below the sparse one's threshold (10,000) leaves a gap: trusted only
  // from the sparse threshold.
  c.dense_rate = 1.0;
  c.dense_frames = 4'096;
  EXPECT_FALSE(c.undersampled(4'096));
  EXPECT_TRUE(c.undersampled(4'097));
  EXPECT_EQ(c.trusted_from(), 10'000U);
  EXPECT_DOUBLE_EQ(mrc::default_dense_rate(0.01), 0.1);
  EXPECT_DOUBLE_EQ(mrc::default_dense_rate(0.001), 0.01);
  EXPECT_DOUBLE_EQ(mrc::default_dense_rate(0.05), 0.1);
  EXPECT_EQ(mrc::default_dense_rate(0.1), 0);
}

// Sampling everything is the exact algorithm.
TEST(Shards, RateOneIsExact) {
  const gen::GeneratorParams p = zipf(50'000, 2'000);
  const mrc::MissRatioCurve exact = exact_curve(p);
  mrc::ShardsOptions o;
  o.sample_rate = 1.0;
  const mrc::MissRatioCurve est = shards_curve(p, o);
  for (std::uint64_t c = 1; c <= 2'100; ++c) ASSERT_DOUBLE_EQ(est.faults(c), exact.faults(c)) << c;
}

// A sample size larger than the footprint never lowers the rate: exact again.
TEST(Shards, FixedSizeAboveTheFootprintIsExact) {
  const gen::GeneratorParams p = zipf(50'000, 2'000);
  const mrc::MissRatioCurve exact = exact_curve(p);
  mrc::ShardsOptions o;
  o.sample_rate = 1.0;
  o.max_pages = 5'000;
  const mrc::MissRatioCurve est = shards_curve(p, o);
  EXPECT_EQ(est.sample_rate, 1.0);
  EXPECT_EQ(est.sampled_pages, exact.distinct_pages);
  EXPECT_EQ(est.dropped_pages, 0U);
  for (std::uint64_t c = 1; c <= 2'100; ++c) ASSERT_DOUBLE_EQ(est.faults(c), exact.faults(c)) << c;
}

// With fewer buckets than frames the width doubles until the distances fit; at the bucket edges
// (multiples of the width) a full sample is still exact, and in between it interpolates.
TEST(Shards, CoarseBucketsAreExactAtTheirEdges) {
  const gen::GeneratorParams p = zipf(50'000, 2'000);
  const mrc::MissRatioCurve exact = exact_curve(p);
  mrc::ShardsOptions o;
  o.sample_rate = 1.0;
  o.max_buckets = 100;
  const mrc::MissRatioCurve est = shards_curve(p, o);
  ASSERT_EQ(est.bucket_frames, 32U);  // 2,000 pages need 63 buckets of 32 frames
  for (std::uint64_t c = 0; c <= 2'100; c += 32) {
    ASSERT_DOUBLE_EQ(est.faults(c), exact.faults(c)) << c;
  }
  for (std::uint64_t c = 1; c <= 2'100; ++c) {
    ASSERT_LE(est.faults(c), exact.faults(c - c % 32)) << c;
    ASSERT_GE(est.faults(c), exact.faults(c - c % 32 + 32)) << c;
  }
}

TEST(Shards, RejectsBadRates) {
  VectorReader reader({});
  for (const double rate : {0.0, -0.5, 1.5, 1e-30}) {
    mrc::ShardsOptions o;
    o.sample_rate = rate;
    EXPECT_THROW(mrc::shards_lru_curve(reader, 12, o), Error) << rate;
  }
  for (const double dense : {1.5, std::nan("")}) {
    mrc::ShardsOptions o;
    o.dense_rate = dense;
    EXPECT_THROW(mrc::shards_lru_curve(reader, 12, o), Error) << dense;
  }
}

}  // namespace
}  // namespace vmsim::test
