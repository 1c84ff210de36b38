// Small parsing helpers shared by the trace readers: number parsing without allocation or locale,
// and quoting of offending text for error messages.
#pragma once

#include <array>
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

// Space, tab, CR, vertical tab, form feed (and '\n', which only the reference scanner ever sees).
constexpr bool is_space(char c) {
  return c == ' ' || static_cast<unsigned char>(c - '\t') <= '\r' - '\t';
}
constexpr bool is_digit(char c) {
  return static_cast<unsigned char>(c - '0') <= 9;
}

// Digit values of every byte (16: not a hex digit): one load per digit on the hottest path of
// parsing.
inline constexpr auto kHexValue = [] {
  std::array<std::uint8_t, 256> table{};
  for (unsigned c = 0; c < 256; ++c) {
    if (c >= '0' && c <= '9') {
      table[c] = static_cast<std::uint8_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      table[c] = static_cast<std::uint8_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      table[c] = static_cast<std::uint8_t>(c - 'A' + 10);
    } else {
      table[c] = 16;
    }
  }
  return table;
}();

constexpr unsigned hex_value(char c) {
  return kHexValue[static_cast<unsigned char>(c)];
}

// The first byte of page `page` at `page_size` bytes per page, for readers of page numbers (refs,
// csv). `text` is the number as written and `status` how it parsed (anything but Bad); a page
// whose address does not fit in 64 bits fails through `source` (a LineSource: FILE:LINE).
template <class Source>
std::uint64_t page_address(const Source& source, std::string_view text, std::uint64_t page,
                           NumberStatus status, std::uint64_t page_size) {
  if (status == NumberStatus::Overflow || page > UINT64_MAX / page_size) {
    source.fail("page " + std::string(text) + " times page size " + std::to_string(page_size) +
                " does not fit in 64 bits");
  }
  if (page > source.last_address() / page_size) {
    source.fail("page " + std::string(text) + " lies outside the " +
                std::to_string(source.address_limit().bits) + "-bit virtual address space at " +
                std::to_string(page_size) + "-byte pages (" + source.address_limit().hint + ")");
  }
  return page * page_size;
}

// Hex digits without a prefix, as valgrind prints them.
constexpr NumberStatus parse_hex(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return NumberStatus::Bad;
  std::uint64_t value = 0;
  std::size_t significant = 0;  // digits from the first non-zero one: more than 16 overflow
  for (const char c : text) {
    const unsigned digit = hex_value(c);
    if (digit > 15) return NumberStatus::Bad;
    significant += (value | digit) != 0;
    value = (value << 4) | digit;
  }
  out = value;
  return significant > 16 ? NumberStatus::Overflow : NumberStatus::Ok;
}

constexpr NumberStatus parse_decimal(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return NumberStatus::Bad;
  std::uint64_t value = 0;
  bool overflow = false;
  for (const char c : text) {
    const auto digit = static_cast<unsigned char>(c - '0');
    if (digit > 9) return NumberStatus::Bad;
    overflow |= __builtin_mul_overflow(value, 10U, &value);
    overflow |= __builtin_add_overflow(value, digit, &value);
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
