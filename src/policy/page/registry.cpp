#include "policy/page/registry.hpp"

#include <algorithm>
#include <cctype>

#include "core/suggest.hpp"

namespace vmsim {

namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

}  // namespace

namespace detail {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

std::string did_you_mean(std::string_view name, const std::vector<std::string_view>& candidates) {
  return vmsim::did_you_mean(name, std::vector<std::string>(candidates.begin(), candidates.end()));
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
