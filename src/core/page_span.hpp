// Which pages an access touches. Shared by the engine, OPT's next-use pre-pass, the dense decoding
// and the trace summary, which must all see the same sequence of page references.
#pragma once

#include <cstdint>

#include "vmsim/access.hpp"

namespace vmsim {

struct PageSpan {
  std::uint64_t first;
  std::uint64_t last;  // inclusive
};

// Every page from the first to the last byte of the access (an access crossing a boundary touches
// both).
inline PageSpan page_span(const Access& a, unsigned page_shift) {
  const std::uint64_t size = a.size == 0 ? 1 : a.size;
  const std::uint64_t last_byte =
      a.addr > ~std::uint64_t{0} - (size - 1) ? ~std::uint64_t{0} : a.addr + (size - 1);
  return {a.addr >> page_shift, last_byte >> page_shift};
}

}  // namespace vmsim
