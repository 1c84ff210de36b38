// The synthetic workloads: exact address sequences for the deterministic ones (worked out by hand),
// distributions within statistical tolerance for the random ones, determinism for all.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "trace/gen/generator.hpp"
#include "vmsim/error.hpp"

namespace vmsim::gen {
namespace {

constexpr std::uint64_t kBase = 0x10000000;

std::vector<Access> generate(std::string_view kind, const GeneratorParams& p) {
  auto reader = make_generator(kind, p);
  std::vector<Access> all;
  std::vector<Access> batch(777);  // an odd batch size crosses chunk boundaries
  while (const std::size_t n = reader->read(batch))
    all.insert(all.end(), batch.begin(), batch.begin() + n);
  return all;
}

std::uint64_t page_of(const Access& a) {
  return (a.addr - kBase) / 4096;
}

std::size_t count_accesses(const std::vector<Access>& records) {
  return static_cast<std::size_t>(std::count_if(records.begin(), records.end(),
                                                [](const Access& a) { return !is_event(a.op); }));
}

TEST(Generators, EveryKindIsDeterministicAndProducesTheLength) {
  GeneratorParams p;
  p.length = 5000;
  p.pages = 64;
  for (const GeneratorInfo& kind : generator_kinds()) {
    const auto first = generate(kind.name, p);
    EXPECT_EQ(first, generate(kind.name, p)) << kind.name;
    if (kind.name != "matmul") {
      EXPECT_EQ(count_accesses(first), 5000U) << kind.name;
    }
  }
}

TEST(Generators, SeedChangesRandomKinds) {
  GeneratorParams p;
  p.length = 1000;
  GeneratorParams q = p;
  q.seed = 2;
  for (const char* kind : {"uniform", "zipf", "phases", "mix"})
    EXPECT_NE(generate(kind, p), generate(kind, q)) << kind;
}

TEST(Generators, SequentialWalksAndWraps) {
  GeneratorParams p;
  p.length = 1030;
  p.pages = 2;  // 8192 bytes = 1024 eight-byte steps, then back to the start
  const auto r = generate("sequential", p);
  EXPECT_EQ(r[0].addr, kBase);
  EXPECT_EQ(r[1].addr, kBase + 8);
  EXPECT_EQ(r[1023].addr, kBase + 8184);
  EXPECT_EQ(r[1024].addr, kBase);
  EXPECT_EQ(r[0].size, 8U);
}

TEST(Generators, StridedDefaultsToOnePage) {
  GeneratorParams p;
  p.length = 5;
  p.pages = 3;
  auto r = generate("strided", p);
  EXPECT_EQ(r[0].addr, kBase);
  EXPECT_EQ(r[1].addr, kBase + 4096);
  EXPECT_EQ(r[2].addr, kBase + 8192);
  EXPECT_EQ(r[3].addr, kBase);
  p.stride = 6144;  // 1.5 pages: offsets 0, 6144, 12288 - 12288 = 0
  r = generate("strided", p);
  EXPECT_EQ(r[1].addr, kBase + 6144);
  EXPECT_EQ(r[2].addr, kBase);
}

TEST(Generators, LoopCyclesTheWorkingSet) {
  GeneratorParams p;
  p.length = 7;
  p.pages = 10;
  p.working_set = 3;
  const auto r = generate("loop", p);
  std::vector<std::uint64_t> pages;
  for (const Access& a : r) pages.push_back(page_of(a));
  EXPECT_EQ(pages, (std::vector<std::uint64_t>{0, 1, 2, 0, 1, 2, 0}));
}

TEST(Generators, PhasesMoveTheWorkingSet) {
  GeneratorParams p;
  p.length = 4000;
  p.pages = 100;
  p.phases = 4;
  p.working_set = 10;
  const auto r = generate("phases", p);
  for (std::size_t i = 0; i < r.size(); ++i) {
    const std::uint64_t phase = i / 1000;
    EXPECT_GE(page_of(r[i]), phase * 10) << i;
    EXPECT_LT(page_of(r[i]), phase * 10 + 10) << i;
  }
}

TEST(Generators, UniformCoversPagesEvenlyAndWritesAtTheRatio) {
  GeneratorParams p;
  p.length = 200000;
  p.pages = 10;
  p.write_ratio = 0.25;
  const auto r = generate("uniform", p);
  std::map<std::uint64_t, std::uint64_t> hits;
  std::uint64_t writes = 0;
  for (const Access& a : r) {
    ++hits[page_of(a)];
    writes += a.op == Op::Write;
    ASSERT_EQ(a.addr % 8, 0U);
  }
  ASSERT_EQ(hits.size(), 10U);
  // Each page has probability 0.1: standard deviation of the count sqrt(n p (1-p)) = 134; allow 5
  // sigma.
  for (const auto& [page, n] : hits) EXPECT_NEAR(static_cast<double>(n), 20000.0, 700.0) << page;
  EXPECT_NEAR(static_cast<double>(writes) / 200000.0, 0.25, 0.005);
}

TEST(Generators, ZipfMatchesItsDistribution) {
  for (const double alpha : {0.9, 1.0, 1.5}) {
    GeneratorParams p;
    p.length = 400000;
    p.pages = 1000;
    p.alpha = alpha;
    const auto r = generate("zipf", p);
    std::vector<double> count(p.pages, 0);
    for (const Access& a : r) count[page_of(a)] += 1;
    // P(page k) = (k+1)^-alpha / sum_{j=1..1000} j^-alpha, summed here directly.
    double norm = 0;
    for (int j = 1; j <= 1000; ++j) norm += std::pow(j, -alpha);
    for (const int k : {0, 1, 9, 99}) {
      const double expected = std::pow(k + 1, -alpha) / norm;
      const double sigma = std::sqrt(expected * (1 - expected) / 400000.0);
      EXPECT_NEAR(count[k] / 400000.0, expected, 5 * sigma) << "alpha " << alpha << " page " << k;
    }
  }
}

TEST(Generators, NaiveMatmulByHand) {
  GeneratorParams p;
  p.matrix_n = 2;
  p.length = 1000;
  // A at base, B one page later, C two pages later (each 2x2 matrix of doubles fits in a page).
  const std::uint64_t A = kBase, B = kBase + 4096, C = kBase + 8192;
  const std::vector<std::pair<std::uint64_t, Op>> expected = {
      {A + 0, Op::Read},  {B + 0, Op::Read},   {A + 8, Op::Read},
      {B + 16, Op::Read}, {C + 0, Op::Write},  // C00
      {A + 0, Op::Read},  {B + 8, Op::Read},   {A + 8, Op::Read},
      {B + 24, Op::Read}, {C + 8, Op::Write},  // C01
      {A + 16, Op::Read}, {B + 0, Op::Read},   {A + 24, Op::Read},
      {B + 16, Op::Read}, {C + 16, Op::Write},  // C10
      {A + 16, Op::Read}, {B + 8, Op::Read},   {A + 24, Op::Read},
      {B + 24, Op::Read}, {C + 24, Op::Write},  // C11
  };
  const auto r = generate("matmul", p);
  ASSERT_EQ(r.size(), expected.size());
  for (std::size_t i = 0; i < r.size(); ++i) {
    EXPECT_EQ(r[i].addr, expected[i].first) << i;
    EXPECT_EQ(r[i].op, expected[i].second) << i;
  }
}

TEST(Generators, BlockedMatmulByHand) {
  GeneratorParams p;
  p.matrix_n = 2;
  p.block = 1;
  p.length = 1000;
  const std::uint64_t A = kBase, B = kBase + 4096, C = kBase + 8192;
  // Tiles of 1: (ii, jj, kk) = (0,0,0): C00 += A00 B00; (0,0,1): C00 += A01 B10; then (0,1,0) ...
  const std::vector<std::pair<std::uint64_t, Op>> first = {
      {C + 0, Op::Read}, {A + 0, Op::Read}, {B + 0, Op::Read},  {C + 0, Op::Write},
      {C + 0, Op::Read}, {A + 8, Op::Read}, {B + 16, Op::Read}, {C + 0, Op::Write},
      {C + 8, Op::Read}, {A + 0, Op::Read}, {B + 8, Op::Read},  {C + 8, Op::Write},
  };
  const auto r = generate("matmul", p);
  ASSERT_EQ(r.size(), 32U);  // 4 tiles x 2 k-steps x (read C, read A, read B, write C)
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(r[i].addr, first[i].first) << i;
    EXPECT_EQ(r[i].op, first[i].second) << i;
  }
  EXPECT_EQ(r.back().addr, C + 24);
}

TEST(Generators, MatmulNaturalLength) {
  GeneratorParams p;
  p.matrix_n = 16;
  p.length = ~std::uint64_t{0};
  EXPECT_EQ(generate("matmul", p).size(), 16U * 16 * (2 * 16 + 1));
}

TEST(Generators, MixForksChildrenThatExitAtTheEnd) {
  GeneratorParams p;
  p.length = 4000;
  p.pages = 16;
  p.processes = 3;
  const auto r = generate("mix", p);
  EXPECT_EQ(count_accesses(r), 4000U);
  // The parent's first quarter: 1000 accesses by pid 1, the first 16 writing its pages in order.
  for (std::size_t i = 0; i < 1000; ++i) ASSERT_EQ(r[i].pid, 1U) << i;
  EXPECT_EQ(r[0].op, Op::Write);
  EXPECT_EQ(page_of(r[15]), 15U);
  for (std::uint16_t c = 0; c < 3; ++c) {
    EXPECT_EQ(r[1000 + c].op, Op::Fork);
    EXPECT_EQ(r[1000 + c].pid, 1U);
    EXPECT_EQ(r[1000 + c].addr, 2U + c);
    EXPECT_EQ(r[r.size() - 3 + c].op, Op::Exit);
    EXPECT_EQ(r[r.size() - 3 + c].pid, 2U + c);
  }
  // Children run in quanta of 100: pids 2, 3, 4, 2, ...
  EXPECT_EQ(r[1003].pid, 2U);
  EXPECT_EQ(r[1103].pid, 3U);
  EXPECT_EQ(r[1203].pid, 4U);
  EXPECT_EQ(r[1303].pid, 2U);
}

TEST(Generators, BadParametersAreClearErrors) {
  GeneratorParams p;
  EXPECT_THROW(make_generator("gauss", p), Error);
  p.pages = 0;
  EXPECT_THROW(make_generator("uniform", p), Error);
  p = GeneratorParams{};
  p.alpha = 0;
  EXPECT_THROW(make_generator("zipf", p), Error);
  p = GeneratorParams{};
  p.write_ratio = 1.5;
  EXPECT_THROW(make_generator("uniform", p), Error);
  try {
    make_generator("gauss", GeneratorParams{});
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "unknown workload 'gauss' (valid: sequential, strided, uniform, zipf"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace vmsim::gen
