// Small parsing helpers shared by the trace readers: number parsing without allocation or locale,
// and quoting of offending text for error messages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vmsim {

// Why a number did not parse; Overflow is kept apart so messages can say "out of range" instead of
// "bad".
enum class NumberStatus : std::uint8_t { Ok, Bad, Overflow };

// The largest access a trace may describe: big enough for any vector or block copy, small enough
// that a typo (an address in the size field) is caught.
inline constexpr std::uint64_t kMaxAccessSize = std::uint64_t{1} << 20;
inline constexpr std::uint64_t kMaxPid = 65535;

constexpr bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}
constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Value of a hex digit, or 16 when `c` is not one.
constexpr unsigned hex_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
  const char lower = static_cast<char>(c | 0x20);
  if (lower >= 'a' && lower <= 'f') return static_cast<unsigned>(lower - 'a' + 10);
  return 16;
}

// Hex digits without a prefix, as valgrind prints them.
constexpr NumberStatus parse_hex(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return NumberStatus::Bad;
  std::uint64_t value = 0;
  bool overflow = false;
  for (const char c : text) {
    const unsigned digit = hex_value(c);
    if (digit > 15) return NumberStatus::Bad;
    if (value >> 60) overflow = true;
    value = (value << 4) | digit;
  }
  out = value;
  return overflow ? NumberStatus::Overflow : NumberStatus::Ok;
}

constexpr NumberStatus parse_decimal(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return NumberStatus::Bad;
  std::uint64_t value = 0;
  bool overflow = false;
  for (const char c : text) {
    if (!is_digit(c)) return NumberStatus::Bad;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) overflow = true;
    value = value * 10 + digit;
  }
  out = value;
  return overflow ? NumberStatus::Overflow : NumberStatus::Ok;
}

// Decimal, or hex with a 0x / 0X prefix: the notation of text traces and reference strings.
constexpr NumberStatus parse_number(std::string_view text, std::uint64_t& out) {
  if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    return parse_hex(text.substr(2), out);
  }
  return parse_decimal(text, out);
}

// True when [addr, addr + size) stays inside the 64-bit address space; size is at least 1.
constexpr bool fits_address_space(std::uint64_t addr, std::uint64_t size) {
  return addr <= UINT64_MAX - (size - 1);
}

// `text` in single quotes for a message, shortened and with control bytes escaped so that one bad
// line of binary garbage still gives a readable one-line error.
std::string quote(std::string_view text);

}  // namespace vmsim
