// XXH3-64, the block checksum of .vmt files. xxhash is used header-only (XXH_INLINE_ALL), so the
// library and its find_package() consumers need no extra link dependency.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "trace/vmt_format.hpp"

namespace vmsim::vmt {

std::uint64_t checksum(const void* data, std::size_t size) {
  return XXH3_64bits(data, size);
}

}  // namespace vmsim::vmt
