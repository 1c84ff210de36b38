#include "policy/page/registry.hpp"

#include <algorithm>
#include <cctype>

namespace vmsim {

namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Optimal string alignment distance, without regard to case: insertions, deletions,
// substitutions and swaps of two neighbours each cost 1, so `lur` is one slip from `lru`.
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

}  // namespace

namespace detail {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

// One slip in a name of up to three letters, two in a longer one: closer than that, a name is
// more likely a typo than a different word.
std::string did_you_mean(std::string_view name, const std::vector<std::string_view>& candidates) {
  if (name.size() > 64) return {};  // no name is that long; and the distance costs |a| x |b|
  const std::size_t limit = name.size() <= 3 ? 1 : 2;
  std::size_t best = limit + 1;
  std::vector<std::string_view> closest;
  for (const std::string_view candidate : candidates) {
    const std::size_t d = edit_distance(name, candidate);
    if (d > limit) continue;
    if (d < best) {
      best = d;
      closest.clear();
    }
    if (d == best) closest.push_back(candidate);
  }
  if (closest.empty()) return {};
  std::string out = "; did you mean ";
  for (std::size_t i = 0; i < closest.size(); ++i) {
    if (i > 0) out += i + 1 == closest.size() ? " or " : ", ";
    out += fmt::format("'{}'", closest[i]);
  }
  return out + "?";
}

}  // namespace detail

PolicySpec parse_policy_spec(std::string_view text) {
  PolicySpec spec;
  const std::size_t colon = text.find(':');
  spec.name = std::string(text.substr(0, colon));
  if (spec.name.empty()) throw Error(fmt::format("empty policy name (valid: {})", policy_names()));
  if (colon == std::string_view::npos) return spec;
  std::string_view rest = text.substr(colon + 1);
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == item.size()) {
      throw Error(fmt::format("policy parameter '{}' is not name=value (in '{}')", item, text));
    }
    spec.params.emplace_back(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  return spec;
}

std::string policy_names() {
  std::string names;
  for_each_policy([&]<class P>() {
    if (!names.empty()) names += ", ";
    names += P::info.name;
  });
  return names;
}

}  // namespace vmsim
