#include "trace/fields.hpp"

namespace vmsim {

void fail_pid(const LineSource& lines, std::string_view token, std::string_view what,
              NumberStatus status) {
  if (status == NumberStatus::Bad) {
    lines.fail("bad " + std::string(what) + " " + quote(token) + " (expected decimal 0..65535)");
  }
  // Only digits get here, so the token is safe to show unquoted, like the number it is.
  lines.fail(std::string(what) + " " + std::string(token) + " out of range 0..65535");
}

void fail_address(const LineSource& lines, std::string_view token, NumberStatus status) {
  if (status == NumberStatus::Bad) lines.fail("bad address " + quote(token));
  lines.fail("address " + quote(token) + " does not fit in 64 bits");
}

void fail_size(const LineSource& lines, std::string_view token, NumberStatus status) {
  if (status == NumberStatus::Bad) lines.fail("bad size " + quote(token));
  lines.fail("size " + std::string(token) + " out of range 1.." + std::to_string(kMaxAccessSize));
}

void fail_range(const LineSource& lines, std::string_view addr_token, std::uint64_t size) {
  const AddressLimit& limit = lines.address_limit();
  if (limit.bits >= 64) {
    lines.fail(std::to_string(size) + " bytes at " + std::string(addr_token) +
               " run past the end of the 64-bit address space");
  }
  lines.fail(std::to_string(size) + " bytes at " + std::string(addr_token) + " lie outside the " +
             std::to_string(limit.bits) + "-bit virtual address space (" + limit.hint + ")");
}

}  // namespace vmsim
