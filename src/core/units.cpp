#include "core/units.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "vmsim/error.hpp"

namespace vmsim {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

std::uint64_t parse_uint(std::string_view text, std::string_view what) {
  int base = 10;
  std::string_view digits = text;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  }
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
    throw Error(fmt::format("{}: '{}' is not a non-negative integer", what, text));
  }
  return value;
}

double parse_double(std::string_view text, std::string_view what) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value) || value < 0) {
    throw Error(fmt::format("{}: '{}' is not a non-negative number", what, text));
  }
  return value;
}

std::uint64_t parse_size(std::string_view text, std::string_view what) {
  std::size_t split = 0;
  while (split < text.size() && std::isdigit(static_cast<unsigned char>(text[split]))) ++split;
  const std::string_view number = text.substr(0, split);
  const std::string_view suffix = text.substr(split);
  if (number.empty()) {
    throw Error(
        fmt::format("{}: '{}' is not a size (examples: 4096, 4KiB, 64MiB, 2GiB)", what, text));
  }
  unsigned shift = 0;
  if (suffix.empty() || iequals(suffix, "b")) {
    shift = 0;
  } else if (iequals(suffix, "k") || iequals(suffix, "kb") || iequals(suffix, "kib")) {
    shift = 10;
  } else if (iequals(suffix, "m") || iequals(suffix, "mb") || iequals(suffix, "mib")) {
    shift = 20;
  } else if (iequals(suffix, "g") || iequals(suffix, "gb") || iequals(suffix, "gib")) {
    shift = 30;
  } else if (iequals(suffix, "t") || iequals(suffix, "tb") || iequals(suffix, "tib")) {
    shift = 40;
  } else {
    throw Error(fmt::format("{}: unknown size suffix '{}' in '{}' (use B, KiB, MiB, GiB, TiB)",
                            what, suffix, text));
  }
  const std::uint64_t value = parse_uint(number, what);
  if (shift > 0 && value > (~std::uint64_t{0} >> shift)) {
    throw Error(fmt::format("{}: '{}' is too large", what, text));
  }
  return value << shift;
}

std::string format_size(std::uint64_t bytes) {
  static constexpr std::string_view kSuffix[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  std::size_t unit = 0;
  while (unit + 1 < std::size(kSuffix) && bytes != 0 && bytes % 1024 == 0) {
    bytes /= 1024;
    ++unit;
  }
  return fmt::format("{}{}", bytes, kSuffix[unit]);
}

}  // namespace vmsim
