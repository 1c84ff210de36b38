#include "report/provenance.hpp"

#include <sys/stat.h>

#include <fstream>
#include <vector>

#include <fmt/format.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "vmsim/error.hpp"

namespace vmsim {
namespace {

std::string hex64(std::uint64_t v) {
  return fmt::format("{:016x}", v);
}

}  // namespace

std::string vmsim_version() {
  return "vmsim 0.1.0";
}

Provenance describe_input(const TraceSpec& trace) {
  Provenance p;
  p.version = vmsim_version();
  p.trace_path = trace.display_name();
  if (trace.has_inline_refs) {
    p.trace_bytes = trace.inline_refs.size();
    p.trace_xxh3 = hex64(XXH3_64bits(trace.inline_refs.data(), trace.inline_refs.size()));
    return p;
  }
  struct stat st {};
  if (trace.path == "-" || ::stat(trace.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return p;
  std::ifstream in(trace.path, std::ios::binary);
  if (!in) return p;
  XXH3_state_t* state = XXH3_createState();
  if (state == nullptr) throw Error("cannot start the XXH3 checksum");
  XXH3_64bits_reset(state);
  std::vector<char> buffer(std::size_t{1} << 20);
  std::uint64_t total = 0;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    XXH3_64bits_update(state, buffer.data(), got);
    total += got;
  }
  p.trace_bytes = total;
  p.trace_xxh3 = hex64(XXH3_64bits_digest(state));
  XXH3_freeState(state);
  return p;
}

}  // namespace vmsim
