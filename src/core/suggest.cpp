#include "core/suggest.hpp"

#include <algorithm>

namespace vmsim {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::vector<std::string> closest_matches(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  std::vector<std::string> closest;
  if (word.size() > 64) return closest;  // no name is that long; and the distance costs |a| x |b|
  const std::size_t limit = word.size() <= 3 ? 1 : 2;
  std::size_t best = limit + 1;
  for (const std::string& candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    if (d > limit) continue;
    if (d < best) {
      best = d;
      closest.clear();
    }
    if (d == best) closest.push_back(candidate);
  }
  return closest;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::vector<std::string> closest = closest_matches(word, candidates);
  if (closest.empty()) return {};
  std::string out = "; did you mean ";
  for (std::size_t i = 0; i < closest.size(); ++i) {
    if (i > 0) out += i + 1 == closest.size() ? " or " : ", ";
    out += "'" + closest[i] + "'";
  }
  return out + "?";
}

}  // namespace vmsim
