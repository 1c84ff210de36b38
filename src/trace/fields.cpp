#include "trace/fields.hpp"

namespace vmsim {

std::uint16_t parse_pid_field(const LineSource& lines, std::string_view token,
                              std::string_view what) {
  std::uint64_t value = 0;
  const NumberStatus status = parse_decimal(token, value);
  if (status == NumberStatus::Bad) {
    lines.fail("bad " + std::string(what) + " " + quote(token) + " (expected decimal 0..65535)");
  }
  if (status == NumberStatus::Overflow || value > kMaxPid) {
    lines.fail(std::string(what) + " " + std::string(token) + " out of range 0..65535");
  }
  return static_cast<std::uint16_t>(value);
}

std::uint64_t parse_address_field(const LineSource& lines, std::string_view token) {
  std::uint64_t value = 0;
  const NumberStatus status = parse_number(token, value);
  if (status == NumberStatus::Bad) lines.fail("bad address " + quote(token));
  if (status == NumberStatus::Overflow) {
    lines.fail("address " + quote(token) + " does not fit in 64 bits");
  }
  return value;
}

std::uint32_t parse_size_field(const LineSource& lines, std::string_view token) {
  std::uint64_t value = 0;
  const NumberStatus status = parse_number(token, value);
  if (status == NumberStatus::Bad) lines.fail("bad size " + quote(token));
  if (status == NumberStatus::Overflow || value < 1 || value > kMaxAccessSize) {
    lines.fail("size " + std::string(token) + " out of range 1.." + std::to_string(kMaxAccessSize));
  }
  return static_cast<std::uint32_t>(value);
}

void check_range(const LineSource& lines, std::string_view addr_token, std::uint64_t addr,
                 std::uint64_t size) {
  if (!fits_address_space(addr, size)) {
    lines.fail(std::to_string(size) + " bytes at " + std::string(addr_token) +
               " run past the end of the 64-bit address space");
  }
}

}  // namespace vmsim
