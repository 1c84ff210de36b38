// Name -> policy type: parses `name[:param=value,...]` and calls a generic callable with the policy
// type and its parsed Params. The only place policy names are compared; everything follows from
// all.hpp.
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

#include "policy/page/all.hpp"
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

template <class T>
T parse_param_value(std::string_view policy, std::string_view name, std::string_view text) {
  T value{};
  if constexpr (std::is_same_v<T, bool>) {
    if (text == "1" || text == "true" || text == "yes") return true;
    if (text == "0" || text == "false" || text == "no") return false;
  } else {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!text.empty() && ec == std::errc() && end == text.data() + text.size()) return value;
  }
  throw Error(fmt::format("policy {}: bad value '{}' for parameter {}", policy, text, name));
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
          ((field.name == key
                ? (params.*field.member =
                       parse_param_value<std::remove_cvref_t<decltype(params.*field.member)>>(
                           P::info.name, key, value),
                   known = true)
                : false),
           ...);
        },
        P::Params::fields);
    if (!known) {
      std::string valid;
      std::apply([&](const auto&... field) { ((valid += std::string(field.name) + " "), ...); },
                 P::Params::fields);
      throw Error(fmt::format("policy {} has no parameter '{}'{}", P::info.name, key,
                              valid.empty()
                                  ? std::string(" (it takes none)")
                                  : " (valid: " + valid.substr(0, valid.size() - 1) + ")"));
    }
  }
  return params;
}

template <class F, class... Ps>
auto dispatch(const PolicySpec& spec, F&& f, TypeList<Ps...>) {
  using R = decltype(f.template operator()<Fifo>(typename Fifo::Params{}));
  if constexpr (std::is_void_v<R>) {
    bool found = false;
    ((!found && spec.name == Ps::info.name
          ? (f.template operator()<Ps>(parse_params<Ps>(spec)), found = true)
          : false),
     ...);
    if (!found)
      throw Error(fmt::format("unknown policy '{}' (valid: {})", spec.name, policy_names()));
  } else {
    std::optional<R> result;
    ((!result && spec.name == Ps::info.name
          ? (result.emplace(f.template operator()<Ps>(parse_params<Ps>(spec))), true)
          : false),
     ...);
    if (!result)
      throw Error(fmt::format("unknown policy '{}' (valid: {})", spec.name, policy_names()));
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
