// Where a report came from, so a figure can be traced back and reproduced: the vmsim version and
// the input trace (its path, size and XXH3-64 checksum of its bytes as stored). With the settings
// every report echoes, that is all a rerun needs; the command line is left out because options
// that change no figure (--threads, --no-progress) must not change the bytes of a report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vmsim/trace.hpp"

namespace vmsim {

struct Provenance {
  std::string version;     // "vmsim 0.1.0"
  std::string trace_path;  // the path given, "-" for standard input, "--refs" for a string
  // Size and checksum of the bytes read; absent for standard input, which is not read twice.
  std::optional<std::uint64_t> trace_bytes;
  std::optional<std::string> trace_xxh3;  // 16 hex digits
};

// The version string every report and `--version` print.
std::string vmsim_version();

// Describes `trace`: a regular file is read once more to checksum it (at several GB/s, against the
// simulation's hundreds of MB/s); an inline reference string is checksummed as given.
Provenance describe_input(const TraceSpec& trace);

}  // namespace vmsim
