// The valid values of a policy parameter (ParamField::min, max) and the one message for a value
// outside them. The spec parser (registry.hpp) checks the text as typed; a policy constructor
// checks its Params again (ParamsChecked), so a policy built directly, as tests do, cannot start
// from a value its arithmetic is not defined for (a NaN share, a count that overflows).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include <fmt/format.h>

#include "policy/page/policy.hpp"
#include "vmsim/error.hpp"

namespace vmsim::detail {

// The words the help lines and error messages use for a field's range.
template <class T>
std::string valid_values(T min, T max) {
  if constexpr (std::is_same_v<T, bool>) {
    return "0 or 1";
  } else if constexpr (std::is_integral_v<T>) {
    if (max == std::numeric_limits<T>::max()) return fmt::format("an integer >= {}", min);
    return fmt::format("an integer from {} to {}", min, max);
  } else {
    return fmt::format("a number from {} to {}", min, max);
  }
}

template <class Params, class T>
std::string valid_values(const ParamField<Params, T>& field) {
  return valid_values(field.min, field.max);
}

// NaN fails every comparison and infinities pass some, so finiteness is asked first.
template <class T>
bool within(T value, T min, T max) {
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(value)) return false;
  }
  return min <= value && value <= max;
}

inline Error bad_param(std::string_view policy, std::string_view name, std::string_view value,
                       const std::string& valid) {
  return Error(fmt::format("policy {}: bad value '{}' for parameter {}: expected {}", policy, value,
                           name, valid));
}

// Throws bad_param for the first field of `params` outside its range.
template <class Params>
void check_params(std::string_view policy, const Params& params) {
  std::apply(
      [&](const auto&... field) {
        const auto check = [&](const auto& f) {
          const auto value = params.*f.member;
          if (!within(value, f.min, f.max)) {
            throw bad_param(policy, f.name, fmt::format("{}", value), valid_values(f));
          }
        };
        (check(field), ...);
      },
      Params::fields);
}

// Declared as a policy's first member, so that its Params are checked before any other member is
// computed from them. Takes no space.
struct ParamsChecked {
  template <class Params>
  ParamsChecked(std::string_view policy, const Params& params) {
    check_params(policy, params);
  }
};

// The most entries a policy keeps beside its frames (ghost keys, non-resident entries) in one
// structure: they are numbered with 32-bit indices next to the frames.
inline constexpr std::uint64_t kMaxSideEntries = std::uint64_t{1} << 31;

// floor(share x frames) entries, for a share already checked against its range; an error if the
// memory is so large that they would not fit 32-bit indices.
inline std::uint32_t entries_for_share(std::string_view policy, std::string_view name, double share,
                                       std::uint32_t frames) {
  const double entries = std::floor(share * frames);
  if (entries > static_cast<double>(kMaxSideEntries)) {
    throw Error(fmt::format("policy {}: {}={} with {} frames asks for {} entries, more than 2^31",
                            policy, name, share, frames, entries));
  }
  return static_cast<std::uint32_t>(entries);
}

}  // namespace vmsim::detail
