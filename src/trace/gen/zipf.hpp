// Zipf-distributed ranks in O(1) per draw for any number of elements, by rejection-inversion:
// W. Hörmann, G. Derflinger, "Rejection-inversion to generate variates from monotone discrete
// distributions", ACM TOMACS 6(3), 1996. P(rank = k) is proportional to 1 / k^alpha, k = 1..n.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/rng.hpp"

namespace vmsim::gen {

class ZipfSampler {
 public:
  // alpha > 0 and n >= 1; alpha = 1 is handled by the log/exp limits of the helper functions.
  ZipfSampler(std::uint64_t n, double alpha)
      : n_(static_cast<double>(n)),
        alpha_(alpha),
        h_integral_x1_(h_integral(1.5) - 1.0),
        h_integral_n_(h_integral(n_ + 0.5)),
        s_(2.0 - h_integral_inverse(h_integral(2.5) - h(2.0))) {}

  // A rank in 1..n.
  std::uint64_t sample(Rng& rng) const {
    for (;;) {
      const double u = h_integral_n_ + rng.uniform() * (h_integral_x1_ - h_integral_n_);
      const double x = h_integral_inverse(u);
      double k = std::floor(x + 0.5);
      if (k < 1) k = 1;
      if (k > n_) k = n_;
      // Accept at once when k is close to x (most draws), else test against the hat function.
      if (k - x <= s_ || u >= h_integral(k + 0.5) - h(k)) return static_cast<std::uint64_t>(k);
    }
  }

 private:
  // H(x) = integral of h(x) = x^-alpha, written with helpers that stay accurate as alpha -> 1.
  double h_integral(double x) const {
    const double log_x = std::log(x);
    return helper2((1.0 - alpha_) * log_x) * log_x;
  }
  double h(double x) const { return std::exp(-alpha_ * std::log(x)); }
  double h_integral_inverse(double x) const {
    double t = x * (1.0 - alpha_);
    if (t < -1.0) t = -1.0;  // guards rounding at the far end of the range
    return std::exp(helper1(t) * x);
  }
  // log(1 + x) / x, and (exp(x) - 1) / x, both -> 1 as x -> 0.
  static double helper1(double x) { return std::abs(x) > 1e-8 ? std::log1p(x) / x : 1.0 - x / 2.0; }
  static double helper2(double x) { return std::abs(x) > 1e-8 ? std::expm1(x) / x : 1.0 + x / 2.0; }

  double n_;
  double alpha_;
  double h_integral_x1_;
  double h_integral_n_;
  double s_;
};

}  // namespace vmsim::gen
