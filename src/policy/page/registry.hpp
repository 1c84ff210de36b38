// Name -> policy type: parses `name[:param=value,...]` and calls a generic callable with the policy
// type and its parsed Params. The only place policy names are compared (without regard to case);
// everything follows from all.hpp.
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "policy/page/all.hpp"
#include "policy/page/detail/param_check.hpp"
#include "vmsim/error.hpp"

namespace vmsim {

struct PolicySpec {
  std::string name;
  std::vector<std::pair<std::string, std::string>> params;  // in the order given
};

// "arc:p=0.5,c=3" -> {"arc", {{"p","0.5"},{"c","3"}}}. Throws vmsim::Error on a malformed spec.
PolicySpec parse_policy_spec(std::string_view text);

// Every registered policy name, comma-separated, for error messages and help.
std::string policy_names();

namespace detail {

// Names compare without regard to case: `LRU` and `Arc:P=0.5` name lru and arc's p.
bool same_name(std::string_view a, std::string_view b);

// "; did you mean 'x'?" (or 'x' or 'y') for the candidates closest to `name` by edit distance,
// if any is close enough to be a likely slip; else empty.
std::string did_you_mean(std::string_view name, const std::vector<std::string_view>& candidates);

// The text of one value, checked against the field's range; a vmsim::Error naming policy,
// parameter, the text and the valid values otherwise.
template <class Params, class T>
T parse_param_value(std::string_view policy, const ParamField<Params, T>& field,
                    std::string_view text) {
  T value{};
  bool parsed = false;
  if constexpr (std::is_same_v<T, bool>) {
    if (text == "1" || text == "true" || text == "yes") return true;
    if (text == "0" || text == "false" || text == "no") return false;
  } else {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    parsed = !text.empty() && ec == std::errc() && end == text.data() + text.size();
  }
  if (!parsed || !within(value, field.min, field.max)) {
    throw bad_param(policy, field.name, text, valid_values(field));
  }
  return value;
}

template <class P>
typename P::Params parse_params(const PolicySpec& spec) {
  typename P::Params params{};
  for (const auto& param : spec.params) {
    // Plain references, not structured bindings: lambdas cannot capture those before C++20 in
    // Clang 14.
    const std::string& key = param.first;
    const std::string& value = param.second;
    bool known = false;
    std::apply(
        [&](const auto&... field) {
          ((same_name(field.name, key)
                ? (params.*field.member = parse_param_value(P::info.name, field, value),
                   known = true)
                : false),
           ...);
        },
        P::Params::fields);
    if (!known) {
      std::vector<std::string_view> names;
      std::apply([&](const auto&... field) { (names.push_back(field.name), ...); },
                 P::Params::fields);
      throw Error(fmt::format(
          "policy {} has no parameter '{}' ({}){}", P::info.name, key,
          names.empty() ? "it takes none" : fmt::format("valid: {}", fmt::join(names, " ")),
          did_you_mean(key, names)));
    }
  }
  return params;
}

template <class F, class... Ps>
auto dispatch(const PolicySpec& spec, F&& f, TypeList<Ps...>) {
  using R = decltype(f.template operator()<Fifo>(typename Fifo::Params{}));
  const auto unknown = [&] {
    return Error(fmt::format("unknown policy '{}' (valid: {}){}", spec.name, policy_names(),
                             did_you_mean(spec.name, {Ps::info.name...})));
  };
  if constexpr (std::is_void_v<R>) {
    bool found = false;
    ((!found && same_name(spec.name, Ps::info.name)
          ? (f.template operator()<Ps>(parse_params<Ps>(spec)), found = true)
          : false),
     ...);
    if (!found) throw unknown();
  } else {
    std::optional<R> result;
    ((!result && same_name(spec.name, Ps::info.name)
          ? (result.emplace(f.template operator()<Ps>(parse_params<Ps>(spec))), true)
          : false),
     ...);
    if (!result) throw unknown();
    return std::move(*result);
  }
}

}  // namespace detail

// Calls f.template operator()<P>(params) for the policy named in `spec`; throws listing valid names
// if none.
template <class F>
auto dispatch_policy(const PolicySpec& spec, F&& f) {
  return detail::dispatch(spec, std::forward<F>(f), PagePolicies{});
}

// Calls f.template operator()<P>() for every registered policy, in registry order.
template <class F>
void for_each_policy(F&& f) {
  [&]<class... Ps>(TypeList<Ps...>) { (f.template operator()<Ps>(), ...); }(PagePolicies{});
}

}  // namespace vmsim
