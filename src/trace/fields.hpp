// Field splitting and validated field parsing shared by the line-oriented readers. Every failure
// throws InputError through the LineSource, so the message carries FILE:LINE.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "trace/line_source.hpp"
#include "trace/parse_util.hpp"

namespace vmsim {

// Whitespace-separated fields of one line, taken left to right without copying.
class Fields {
 public:
  explicit Fields(std::string_view line) : p_(line.data()), end_(line.data() + line.size()) {}

  // The next field, or an empty view when the line has no more.
  std::string_view next() {
    while (p_ < end_ && is_space(*p_)) ++p_;
    const char* start = p_;
    while (p_ < end_ && !is_space(*p_)) ++p_;
    return {start, static_cast<std::size_t>(p_ - start)};
  }

 private:
  const char* p_;
  const char* end_;
};

// Drops a `#` comment and what follows it.
inline std::string_view strip_comment(std::string_view line) {
  const void* hash = std::memchr(line.data(), '#', line.size());
  if (hash == nullptr) return line;
  return line.substr(0, static_cast<std::size_t>(static_cast<const char*>(hash) - line.data()));
}

// The messages for fields that did not parse; out of line to keep the parsers below small.
[[noreturn]] void fail_pid(const LineSource& lines, std::string_view token, std::string_view what,
                           NumberStatus status);
[[noreturn]] void fail_address(const LineSource& lines, std::string_view token,
                               NumberStatus status);
[[noreturn]] void fail_size(const LineSource& lines, std::string_view token, NumberStatus status);
[[noreturn]] void fail_range(const LineSource& lines, std::string_view addr_token,
                             std::uint64_t size);

// A decimal pid in 0..65535; `what` names the field in messages ("pid", "child pid").
inline std::uint16_t parse_pid_field(const LineSource& lines, std::string_view token,
                                     std::string_view what) {
  std::uint64_t value = 0;
  const NumberStatus status = parse_decimal(token, value);
  if (status != NumberStatus::Ok || value > kMaxPid) [[unlikely]] {
    fail_pid(lines, token, what, status);
  }
  return static_cast<std::uint16_t>(value);
}

// An address in decimal or 0x hex.
inline std::uint64_t parse_address_field(const LineSource& lines, std::string_view token) {
  std::uint64_t value = 0;
  const NumberStatus status = parse_number(token, value);
  if (status != NumberStatus::Ok) [[unlikely]] {
    fail_address(lines, token, status);
  }
  return value;
}

// An access size in decimal or 0x hex, 1..kMaxAccessSize.
inline std::uint32_t parse_size_field(const LineSource& lines, std::string_view token) {
  std::uint64_t value = 0;
  const NumberStatus status = parse_number(token, value);
  if (status != NumberStatus::Ok || value < 1 || value > kMaxAccessSize) [[unlikely]] {
    fail_size(lines, token, status);
  }
  return static_cast<std::uint32_t>(value);
}

// Fails unless [addr, addr + size) fits in the address space (64-bit, or the simulated one set on
// `lines`). One comparison more than the 64-bit check alone, on the same cold branch.
inline void check_range(const LineSource& lines, std::string_view addr_token, std::uint64_t addr,
                        std::uint64_t size) {
  const std::uint64_t last = lines.last_address();
  if (size - 1 > last || addr > last - (size - 1)) [[unlikely]] {
    fail_range(lines, addr_token, size);
  }
}

// Fails with "missing WHAT" when `token` is empty.
inline std::string_view require(const LineSource& lines, std::string_view token,
                                std::string_view what) {
  if (token.empty()) lines.fail("missing " + std::string(what));
  return token;
}
// Fails with "extra field 'X'" when `token` is not empty.
inline void require_end(const LineSource& lines, std::string_view token) {
  if (!token.empty()) lines.fail("extra field " + quote(token));
}

}  // namespace vmsim
