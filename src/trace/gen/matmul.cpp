// Matrix multiply C = A x B over n x n row-major matrices of 8-byte doubles, naive (i, j, k) or
// blocked in b x b tiles: the classic demonstration that loop order and tiling change locality and
// therefore faults and TLB misses. The trace ends when the multiply does (or at --length).
#include <algorithm>
#include <memory>

#include "trace/gen/basic.hpp"
#include "trace/gen/generator_base.hpp"

namespace vmsim::gen {
namespace {

constexpr std::uint64_t kElement = 8;

class Matmul final : public GeneratorBase {
 public:
  explicit Matmul(const GeneratorParams& p)
      : GeneratorBase(with_element_size(p)),
        n_(p.matrix_n),
        b_(p.block == 0 ? p.matrix_n : p.block) {
    const std::uint64_t bytes = n_ * n_ * kElement;
    const std::uint64_t aligned = (bytes + p.page_size - 1) / p.page_size * p.page_size;
    a_ = p.base;
    b_base_ = a_ + aligned;
    c_ = b_base_ + aligned;
  }

 private:
  static GeneratorParams with_element_size(GeneratorParams p) {
    p.access_size = kElement;
    return p;
  }

  std::uint64_t at(std::uint64_t matrix, std::uint64_t row, std::uint64_t col) const {
    return matrix + (row * n_ + col) * kElement;
  }

  // One (i, j) inner loop per chunk, visiting tiles in (ii, jj, kk) order and, inside a tile,
  // (i, j) rows then columns. With b = n there is one tile and this is the naive (i, j, k) loop,
  // which keeps the sum in a register: C is only written. Tiles accumulate partial sums, so the
  // blocked version reads C[i][j] before its k loop.
  void refill() override {
    if (ii_ >= n_) return;
    const bool blocked = b_ < n_;
    if (blocked) emit(at(c_, i_, j_), Op::Read);
    const std::uint64_t k_end = std::min(kk_ + b_, n_);
    for (std::uint64_t k = kk_; k < k_end; ++k) {
      emit(at(a_, i_, k), Op::Read);
      emit(at(b_base_, k, j_), Op::Read);
    }
    emit(at(c_, i_, j_), Op::Write);
    advance();
  }

  void advance() {
    const std::uint64_t i_end = std::min(ii_ + b_, n_);
    const std::uint64_t j_end = std::min(jj_ + b_, n_);
    if (++j_ < j_end) return;
    j_ = jj_;
    if (++i_ < i_end) return;
    i_ = ii_;
    kk_ += b_;
    if (kk_ < n_) return;
    kk_ = 0;
    jj_ += b_;
    if (jj_ >= n_) {
      jj_ = 0;
      ii_ += b_;
    }
    i_ = ii_;
    j_ = jj_;
  }

  std::uint64_t n_;
  std::uint64_t b_;
  std::uint64_t a_ = 0, b_base_ = 0, c_ = 0;
  std::uint64_t ii_ = 0, jj_ = 0, kk_ = 0, i_ = 0, j_ = 0;
};

}  // namespace

std::unique_ptr<TraceReader> make_matmul(const GeneratorParams& p) {
  return std::make_unique<Matmul>(p);
}

}  // namespace vmsim::gen
