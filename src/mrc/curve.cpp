#include "mrc/curve.hpp"

#include <algorithm>
#include <cmath>

namespace vmsim::mrc {

double MissRatioCurve::faults(std::uint64_t frames) const {
  if (faults_at.empty()) return 0;
  const std::uint64_t k = frames / bucket_frames;
  // k + 1 would wrap for frames near 2^64.
  if (k >= faults_at.size() - 1) return faults_at.back();
  const double within =
      static_cast<double>(frames % bucket_frames) / static_cast<double>(bucket_frames);
  return faults_at[k] + (faults_at[k + 1] - faults_at[k]) * within;
}

double MissRatioCurve::miss_ratio(std::uint64_t frames) const {
  return page_refs == 0 ? 0.0 : faults(frames) / static_cast<double>(page_refs);
}

bool MissRatioCurve::undersampled(std::uint64_t frames) const {
  if (exact()) return false;
  const double rate = dense_rate > 0 && frames <= dense_frames ? dense_rate : sample_rate;
  return rate < 1 && static_cast<double>(frames) * rate < kMinSampledPages;
}

std::uint64_t MissRatioCurve::trusted_from() const {
  if (exact()) return 1;
  const auto threshold = [](double rate) {
    return rate >= 1 ? 1 : whole_pages(std::ceil(kMinSampledPages / rate));
  };
  const std::uint64_t sparse = threshold(sample_rate);
  // The dense sample holds far more than kMinSampledPages pages at its largest size
  // (kDenseDepth), so its own threshold lies inside the sizes it covers; it helps when those
  // reach the sparse sample's threshold (a dense rate far above the sample rate leaves a gap).
  if (dense_rate > 0 && dense_frames + 1 >= sparse) return std::min(sparse, threshold(dense_rate));
  return sparse;
}

std::uint64_t MissRatioCurve::largest_frames() const {
  return faults_at.size() <= 1 ? 0 : (faults_at.size() - 1) * bucket_frames;
}

std::vector<double> faults_from_histogram(const std::vector<double>& hits_at_distance, double cold,
                                          double refs) {
  const std::size_t n = std::max<std::size_t>(hits_at_distance.size(), 1);
  std::vector<double> out(n);
  out[n - 1] = cold;
  for (std::size_t k = n - 1; k-- > 0;) out[k] = out[k + 1] + hits_at_distance[k + 1];
  out[0] = refs;
  return out;
}

std::uint64_t whole_pages(double pages) {
  if (!(pages > 0)) return 0;
  // 2^64 as a double: every double below it converts to a uint64.
  constexpr double kTwo64 = 18446744073709551616.0;
  return pages >= kTwo64 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(std::round(pages));
}

std::vector<std::uint64_t> every_size(std::uint64_t largest) {
  std::vector<std::uint64_t> out;
  out.reserve(largest);
  // Counting below largest, not up to it: c <= 2^64 - 1 would never end.
  for (std::uint64_t c = 0; c < largest; ++c) out.push_back(c + 1);
  return out;
}

std::vector<std::uint64_t> log_spaced_sizes(std::uint64_t largest, std::uint64_t points) {
  if (largest == 0 || points == 0) return {};
  if (points == 1) return {largest};
  std::vector<std::uint64_t> out;
  const double top = static_cast<double>(largest);
  const double step = std::log(top) / static_cast<double>(points - 1);
  // The last point is `largest` itself, not exp(log(largest)), which rounding may put just below.
  for (std::uint64_t i = 0; i + 1 < points; ++i) {
    const double c = std::exp(step * static_cast<double>(i));
    // At or past `top` the size is `largest` (converting a double near 2^64 would overflow).
    const std::uint64_t size =
        c >= top ? largest : std::clamp<std::uint64_t>(whole_pages(c), 1, largest);
    if (out.empty() || size > out.back()) out.push_back(size);
  }
  if (out.back() != largest) out.push_back(largest);
  return out;
}

}  // namespace vmsim::mrc
